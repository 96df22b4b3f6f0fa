package org.cameltaas.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs the benchmark and prints its markdown tables.
 * <pre>
 * java -jar bench/target/camel-taas-bench.jar [--smoke] [--parts=123] [--streams=N] [--camel-default-queue]
 *                                             [--wait-quiet=SECONDS] [--out=FILE]
 * </pre>
 * {@code --parts} picks parts (1 closed loop, 2 open loop, 3 open streams); {@code --camel-default-queue} keeps
 * Camel's default 1000-task queue limit (part 3 then shows what it does to more than 1000 streams);
 * {@code --wait-quiet} first waits, at most that long, for the machine's load average to drop below 1.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean smoke = false;
        boolean defaultQueue = false;
        Integer streams = null;
        int waitQuietSeconds = 0;
        String parts = "123";
        Path out = null;
        for (String arg : args) {
            if (arg.equals("--smoke")) {
                smoke = true;
            } else if (arg.startsWith("--parts=")) {
                parts = arg.substring("--parts=".length());
            } else if (arg.startsWith("--streams=")) {
                streams = Integer.parseInt(arg.substring("--streams=".length()));
            } else if (arg.equals("--camel-default-queue")) {
                defaultQueue = true;
            } else if (arg.startsWith("--wait-quiet=")) {
                waitQuietSeconds = Integer.parseInt(arg.substring("--wait-quiet=".length()));
            } else if (arg.startsWith("--out=")) {
                out = Path.of(arg.substring("--out=".length()));
            } else {
                System.err.println("unknown argument " + arg);
                System.exit(2);
            }
        }
        BenchOptions options = (smoke ? BenchOptions.smoke() : BenchOptions.full())
                .withRaiseCamelQueueLimit(!defaultQueue);
        if (streams != null) {
            options = options.withStreams(streams);
        }
        RunConditions.awaitQuietMachine(1.0, waitQuietSeconds);
        String report = run(options, parts);
        System.out.println(report);
        if (out != null) {
            Files.writeString(out, report, StandardCharsets.UTF_8);
        }
    }

    /** Runs the chosen parts; the stream part first, while the heap holds nothing of the load parts. */
    static String run(BenchOptions options, String parts) throws Exception {
        RunConditions conditions = new RunConditions();
        StreamMemoryResult memory = parts.contains("3") ? StreamMemoryBench.run(options) : null;
        boolean closed = parts.contains("1");
        boolean open = parts.contains("2");
        List<ProducerOverheadBench.Phase> overhead = closed || open
                ? ProducerOverheadBench.run(options, closed, open) : null;
        return new MarkdownReport().render(overhead, memory) + conditions.render();
    }
}
