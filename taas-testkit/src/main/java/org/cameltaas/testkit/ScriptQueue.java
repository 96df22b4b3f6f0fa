package org.cameltaas.testkit;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/** Scripts waiting for requests, first in first out, with a default for when none is waiting. */
final class ScriptQueue {

    private final Queue<Script> queue = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Script> fallback = new AtomicReference<>(Script.ok());

    void enqueue(Script script) {
        queue.add(Objects.requireNonNull(script, "script"));
    }

    void setDefault(Script script) {
        fallback.set(Objects.requireNonNull(script, "script"));
    }

    Script next() {
        Script script = queue.poll();
        return script != null ? script : fallback.get();
    }

    void reset() {
        queue.clear();
        fallback.set(Script.ok());
    }
}
