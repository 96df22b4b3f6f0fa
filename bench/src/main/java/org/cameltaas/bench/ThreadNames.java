package org.cameltaas.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts which threads run a callback, by name with the numbers blanked ("TaasHttpClient #", ...): shows where
 * the component delivers work, e.g. whether anything runs on the HTTP client's selector thread.
 */
final class ThreadNames {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void seen() {
        String name = Thread.currentThread().getName().replaceAll("\\d+", "#");
        counts.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((name, count) -> copy.put(name, count.sum()));
        return copy;
    }
}
