package org.cameltaas.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.cameltaas.testkit.FakeUpstream;
import org.cameltaas.testkit.Script;

/**
 * The fake upstream in its own JVM, so its buffers and event loops stay out of the memory measured in the
 * harness. Talks over stdin/stdout, one line each way: prints {@code READY <port>}, then answers
 * {@code connections} and {@code requests} with a number; {@code quit} or the end of stdin (the harness died)
 * stops it.
 * <p>
 * Args: {@code <replyWords> <chunkDelayMillis>}: every request gets a reply of that many words, and streamed
 * replies wait that long before each event, so streams stay open.
 */
public final class FakeUpstreamServer {

    private FakeUpstreamServer() {
    }

    public static void main(String[] args) throws Exception {
        int words = Integer.parseInt(args[0]);
        Duration chunkDelay = Duration.ofMillis(Long.parseLong(args[1]));
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.setRecording(false);
            upstream.setDefault(Script.ok().reply(words(words)).chunkDelay(chunkDelay));
            System.out.println("READY " + upstream.port());
            System.out.flush();
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String command;
            while ((command = commands.readLine()) != null && !command.equals("quit")) {
                switch (command) {
                    case "connections" -> System.out.println(upstream.openConnections());
                    case "requests" -> System.out.println(upstream.requestCount());
                    default -> System.out.println("unknown command " + command);
                }
                System.out.flush();
            }
        }
    }

    /** "w1 w2 w3 ...": one streamed event per word. */
    static String words(int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            text.append(i == 1 ? "" : " ").append('w').append(i);
        }
        return text.toString();
    }
}
