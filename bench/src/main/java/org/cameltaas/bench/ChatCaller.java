package org.cameltaas.bench;

import java.util.concurrent.CompletableFuture;

/** One way of sending the benchmark's chat request; the future tells whether a good reply came back. */
interface ChatCaller {

    String name();

    CompletableFuture<Boolean> call();

    /** Whether the other clients' added latency and throughput ratio are computed against this one. */
    default boolean isBaseline() {
        return false;
    }

    /** Calls without ever throwing: a synchronous failure becomes a failed future. */
    static CompletableFuture<Boolean> safely(ChatCaller caller) {
        try {
            return caller.call();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
