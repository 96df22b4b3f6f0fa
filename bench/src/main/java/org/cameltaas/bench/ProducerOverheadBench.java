package org.cameltaas.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.cameltaas.testkit.FakeUpstream;
import org.cameltaas.testkit.RecordedRequest;
import org.cameltaas.testkit.Script;

/**
 * Parts 1 and 2: non-streamed chat through plain JDK HttpClients and through the taas producer, against the same
 * in-process fake upstream, closed-loop at fixed concurrencies and open-loop at a fixed rate, the clients of a
 * phase measured in alternating slices ({@link InterleavedLoad}).
 * <p>
 * Two phases: the producer with its time-outs off (no timer work at all) against the baselines, then the producer
 * with every default, time-outs included, against the baseline again. Time-outs get their own phase because
 * their timer is where the component once leaked (docs/BENCHMARKS.md). Each taas client has its own
 * CamelContext, so what it leaves in flight is its own.
 */
final class ProducerOverheadBench {

    private static final String REPLY = "Hello benchmark, nice to meet you.";
    /** What TaasComponent picks when workerThreads is 0: twice the cores, at least 4. */
    private static final int COMPONENT_WORKER_THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    private static final String NO_TIMEOUTS = "&firstTokenTimeout=0&idleTimeout=0&totalTimeout=0";

    /** One phase's figures, the live heap around it, and the exchanges each taas client's context still holds. */
    record Phase(String name, List<LoadResult> closedLoop, List<LoadResult> openLoop, long liveHeapBefore,
                 long liveHeapAfter, Map<String, Integer> inflightExchanges) {
    }

    private final BenchOptions options;
    private final boolean closedLoop;
    private final boolean openLoop;
    private final List<CamelContext> contexts = new ArrayList<>();
    private final Map<String, CamelContext> contextByClient = new LinkedHashMap<>();
    private final Set<ChatCaller> warm = new HashSet<>();

    private ProducerOverheadBench(BenchOptions options, boolean closedLoop, boolean openLoop) {
        this.options = options;
        this.closedLoop = closedLoop;
        this.openLoop = openLoop;
    }

    static List<Phase> run(BenchOptions options, boolean closedLoop, boolean openLoop) throws Exception {
        return new ProducerOverheadBench(options, closedLoop, openLoop).execute();
    }

    private List<Phase> execute() throws Exception {
        ExecutorService directPool = Executors.newFixedThreadPool(COMPONENT_WORKER_THREADS);
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.setDefault(Script.ok().reply(REPLY));
            String baseUrl = upstream.baseUrl();
            RecordedRequest sample = componentRequest(upstream);
            upstream.setRecording(false); // under load the journal would keep every request body

            ChatCaller naive = new DirectCaller(baseUrl, sample, null, "direct, naive sendAsync (default executor)");
            ChatCaller baseline = new DirectCaller(baseUrl, sample, directPool,
                    "**direct, " + COMPONENT_WORKER_THREADS + " threads, reply in body subscriber (baseline)**");
            List<Phase> phases = new ArrayList<>();
            phases.add(phase("a. time-outs off", List.of(naive, baseline,
                    camel(baseUrl, false, NO_TIMEOUTS, "taas, time-outs off, threadedAsyncMode=false"))));
            phases.add(phase("b. every default", List.of(baseline,
                    camel(baseUrl, false, "", "taas, defaults, threadedAsyncMode=false"),
                    camel(baseUrl, true, "", "taas, defaults, threadedAsyncMode=true (template default)"))));
            return phases;
        } finally {
            directPool.shutdownNow();
            contexts.forEach(CamelContext::stop);
        }
    }

    /** Warms up the clients not yet warm, then measures them interleaved. */
    private Phase phase(String name, List<ChatCaller> callers) throws Exception {
        long before = HeapProbe.take(options.gcRounds()).heapUsed();
        for (ChatCaller caller : callers) {
            if (warm.add(caller)) {
                ClosedLoopRun.run(caller, options.concurrencies().get(0), options.warmup(), Duration.ZERO,
                        new LatencySamples(0));
            }
        }
        List<LoadResult> closed = new ArrayList<>();
        if (closedLoop) {
            for (int concurrency : options.concurrencies()) {
                closed.addAll(InterleavedLoad.closedLoop(callers, concurrency, options.measure(), options.slices()));
            }
        }
        List<LoadResult> open = openLoop
                ? InterleavedLoad.openLoop(callers, options.openLoopRate(), options.openLoopDuration(),
                        options.slices())
                : List.of();
        long after = HeapProbe.take(options.gcRounds()).heapUsed();
        Map<String, Integer> inflight = new LinkedHashMap<>();
        for (ChatCaller caller : callers) {
            CamelContext context = contextByClient.get(caller.name());
            if (context != null) {
                inflight.put(caller.name(), context.getInflightRepository().size());
            }
        }
        return new Phase(name, closed, open, before, after, inflight);
    }

    private ChatCaller camel(String baseUrl, boolean threaded, String extraOptions, String name) throws Exception {
        CamelContext context = CamelSetup.start(options.raiseCamelQueueLimit());
        contexts.add(context);
        contextByClient.put(name, context);
        return new CamelCaller(context, baseUrl, threaded, extraOptions, name);
    }

    /** Sends one request through the component and returns it as the upstream received it. */
    private RecordedRequest componentRequest(FakeUpstream upstream) throws Exception {
        CamelContext context = CamelSetup.start(options.raiseCamelQueueLimit());
        try {
            CamelCaller camel = new CamelCaller(context, upstream.baseUrl(), false, "", "sample");
            if (!camel.call().get(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the component's first request failed");
            }
            camel.stop();
        } finally {
            context.stop();
        }
        RecordedRequest sample = upstream.takeRequest(Duration.ofSeconds(5));
        if (sample == null) {
            throw new IllegalStateException("the upstream did not record the component's request");
        }
        return sample;
    }
}
