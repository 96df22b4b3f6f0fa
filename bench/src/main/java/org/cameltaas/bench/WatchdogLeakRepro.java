package org.cameltaas.bench;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.cameltaas.testkit.FakeUpstream;

/**
 * Checks for the time-out watchdog leak described in docs/BENCHMARKS.md (fixed in commit ed32078): plain
 * sequential, synchronous chat calls with every default, one at a time, until one fails. With the leak, about one
 * call in two left its re-armed watchdog task in the component's timer for idleTimeout (60 s), and once 1000 were
 * queued (Camel's default queue limit) every new call failed with RejectedExecutionException and stayed in
 * Camel's inflight repository. Without it, all calls pass.
 * <pre>
 * java -cp bench/target/camel-taas-bench.jar org.cameltaas.bench.WatchdogLeakRepro
 * </pre>
 */
public final class WatchdogLeakRepro {

    private static final int MAX_CALLS = 20_000;

    private WatchdogLeakRepro() {
    }

    public static void main(String[] args) throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.setRecording(false);
            CamelContext context = CamelSetup.start(false);
            try {
                ProducerTemplate template = context.createProducerTemplate();
                String uri = ChatRequest.taasUri(upstream.baseUrl(), false);
                long start = System.nanoTime();
                for (int call = 1; call <= MAX_CALLS; call++) {
                    Exchange reply = template.request(uri, e -> e.getMessage().setBody(ChatRequest.BODY));
                    if (reply.getException() != null) {
                        System.out.printf("call %d failed after %.1f s: %s%nCamel inflight exchanges: %d%n", call,
                                (System.nanoTime() - start) / 1e9, reply.getException(),
                                context.getInflightRepository().size());
                        return;
                    }
                }
                System.out.println(MAX_CALLS + " sequential calls, none failed: no watchdog leak");
            } finally {
                context.stop();
            }
        }
    }
}
