package org.cameltaas.bench;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

/** A bare CamelContext for the producer: no routes, nothing but the taas component found on the classpath. */
final class CamelSetup {

    private CamelSetup() {
    }

    /**
     * @param raiseQueueLimit raise the default thread-pool profile's 1000-task queue limit. The taas component
     *                        takes its HTTP client pool and its time-out timer from that profile, and the timer
     *                        keeps one task per call in flight, so by default more than 1000 calls in flight
     *                        are refused (see docs/BENCHMARKS.md)
     */
    static CamelContext start(boolean raiseQueueLimit) {
        CamelContext context = new DefaultCamelContext();
        if (raiseQueueLimit) {
            // not -1: Camel turns "no limit" into a SynchronousQueue, and the 4-thread HTTP client pool would
            // then run its overflow on the JDK client's selector thread (CallerRuns)
            context.getExecutorServiceManager().getDefaultThreadPoolProfile().setMaxQueueSize(Integer.MAX_VALUE);
        }
        context.start();
        return context;
    }
}
