package org.cameltaas.bench;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Heap, direct buffers and threads of this JVM, the heap read after full collections. */
final class HeapProbe {

    private static final long SETTLE_MILLIS = 200;

    private HeapProbe() {
    }

    /** Live heap in bytes, direct-buffer bytes, live threads and their names (digits blanked) by count. */
    record Snapshot(long heapUsed, long directBytes, int threads, Map<String, Long> threadNames) {
    }

    /**
     * The smallest heap used seen after {@code collections} System.gc() calls: objects allocated in between
     * (the streams keep running) only ever raise a reading, so the minimum is the closest to the live set.
     */
    static Snapshot take(int collections) throws InterruptedException {
        long minHeap = Long.MAX_VALUE;
        for (int i = 0; i < collections; i++) {
            System.gc();
            Thread.sleep(SETTLE_MILLIS);
            minHeap = Math.min(minHeap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return new Snapshot(minHeap, directBytes(), ManagementFactory.getThreadMXBean().getThreadCount(),
                threadNames());
    }

    private static Map<String, Long> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().collect(Collectors.groupingBy(
                t -> t.getName().replaceAll("\\d+", "#"), TreeMap::new, Collectors.counting()));
    }

    private static long directBytes() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getMemoryUsed();
            }
        }
        return 0;
    }
}
