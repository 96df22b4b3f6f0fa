package org.cameltaas.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Collectors;

/**
 * What the figures were measured under. The load average matters most: on a small machine anything else
 * running (a build, other tests) moves the figures far more than the component does.
 */
final class RunConditions {

    private static final Path LOADAVG = Path.of("/proc/loadavg");

    private final Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final String loadAtStart = loadAverage();

    /** Waits, at most {@code maxSeconds}, for the 1-minute load average to drop below {@code threshold}. */
    static void awaitQuietMachine(double threshold, int maxSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
        while (System.nanoTime() < deadline && oneMinuteLoad() >= threshold) {
            Thread.sleep(5_000);
        }
    }

    String render() {
        String collectors = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", "));
        return "Run " + started + " - " + Instant.now().truncatedTo(ChronoUnit.SECONDS)
                + "; load average (1/5/15 min) at start " + loadAtStart + ", at end " + loadAverage()
                + "; " + Runtime.getRuntime().availableProcessors() + " CPUs; Java "
                + System.getProperty("java.vm.version") + "; GC " + collectors + "; max heap "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB; common-pool parallelism "
                + ForkJoinPool.getCommonPoolParallelism() + "\n";
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(LOADAVG).trim().split("\\s+");
            return fields[0] + " / " + fields[1] + " / " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static double oneMinuteLoad() {
        try {
            return Double.parseDouble(Files.readString(LOADAVG).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 0; // not Linux: do not wait
        }
    }
}
