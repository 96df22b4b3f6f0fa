package org.cameltaas.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Starts {@link FakeUpstreamServer} in a child JVM on this JVM's classpath and asks it for its counters. */
final class UpstreamProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final PrintWriter in;
    /** Lines from the child, read by one thread that lives as long as the child: a constant in thread counts. */
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final int port;

    private UpstreamProcess(Process process) throws IOException {
        this.process = process;
        this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> readAll(process), "upstream-process-reader");
        reader.setDaemon(true);
        reader.start();
        String ready = readLine(START_TIMEOUT);
        if (ready == null || !ready.startsWith("READY ")) {
            process.destroyForcibly();
            throw new IOException("the upstream process did not start: " + ready);
        }
        this.port = Integer.parseInt(ready.substring("READY ".length()).trim());
    }

    static UpstreamProcess start(int replyWords, Duration chunkDelay) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx512m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), FakeUpstreamServer.class.getName(),
                String.valueOf(replyWords), String.valueOf(chunkDelay.toMillis())));
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        return new UpstreamProcess(builder.start());
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    int openConnections() throws IOException {
        return ask("connections");
    }

    int requestCount() throws IOException {
        return ask("requests");
    }

    private synchronized int ask(String command) throws IOException {
        in.println(command);
        String answer = readLine(ANSWER_TIMEOUT);
        if (answer == null) {
            throw new IOException("no answer from the upstream process to " + command);
        }
        return Integer.parseInt(answer.trim());
    }

    private void readAll(Process child) {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the child is gone: readers time out
        }
    }

    /** A read with a deadline, so a hung child cannot hang the harness; null on time-out. */
    private String readLine(Duration timeout) throws IOException {
        try {
            return lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the upstream process", e);
        }
    }

    @Override
    public void close() {
        in.println("quit");
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
