package org.cameltaas.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.cameltaas.component.TaasStream;

/**
 * Part 3: opens many slow streams through the component against an upstream in another JVM, reads them slowly,
 * and measures this JVM's heap and threads before and while they are open; then cancels them all and times
 * how long the upstream takes to see its connections closed.
 */
final class StreamMemoryBench {

    private static final int WARMUP_STREAMS = 20;
    private static final long PACE_MILLIS = 500;
    private static final long CLOSE_LIMIT_MILLIS = 15_000;
    private static final long POLL_MILLIS = 20;

    private final BenchOptions options;
    private final ThreadNames deliveryThreads = new ThreadNames();
    private final ThreadNames exchangeThreads = new ThreadNames();

    private StreamMemoryBench(BenchOptions options) {
        this.options = options;
    }

    static StreamMemoryResult run(BenchOptions options) throws Exception {
        return new StreamMemoryBench(options).execute();
    }

    private StreamMemoryResult execute() throws Exception {
        CamelContext context = null;
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        try (UpstreamProcess upstream = UpstreamProcess.start(options.streamWords(), options.streamChunkDelay())) {
            context = CamelSetup.start(options.raiseCamelQueueLimit());
            ProducerTemplate template = context.createProducerTemplate();
            Endpoint endpoint = context.getEndpoint(ChatRequest.taasUri(upstream.baseUrl(), true));
            List<SlowSubscriber> subscribers = new ArrayList<>();
            pacer.scheduleWithFixedDelay(() -> paceAll(subscribers), PACE_MILLIS, PACE_MILLIS, TimeUnit.MILLISECONDS);

            // the same work once at small scale, so pools, classes and idle connections exist before "before"
            Opened warm = open(template, endpoint, WARMUP_STREAMS);
            warm.subscribers().forEach(SlowSubscriber::cancel);
            int baseline = awaitConnectionsAtMost(upstream, 0, CLOSE_LIMIT_MILLIS) >= 0
                    ? 0 : upstream.openConnections();
            HeapProbe.Snapshot before = HeapProbe.take(options.gcRounds());

            long startNanos = System.nanoTime();
            Opened opened = open(template, endpoint, options.streams());
            double openSeconds = (System.nanoTime() - startNanos) / 1e9;
            synchronized (subscribers) {
                subscribers.addAll(opened.subscribers());
            }
            // let every stream deliver a few paced events before measuring
            Thread.sleep(Math.max(2000, 3 * options.streamChunkDelay().toMillis()));
            int connectionsWhileOpen = upstream.openConnections();
            HeapProbe.Snapshot whileOpen = HeapProbe.take(options.gcRounds());
            long events = opened.subscribers().stream().mapToLong(SlowSubscriber::events).sum();

            long cancelNanos = System.nanoTime();
            opened.subscribers().forEach(SlowSubscriber::cancel);
            long closeMillis = awaitConnectionsAtMost(upstream, baseline, CLOSE_LIMIT_MILLIS);
            if (closeMillis >= 0) {
                closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelNanos);
            }
            int cancelled = countCancelled(opened.streams());
            template.stop();
            return new StreamMemoryResult(options.streams(), opened.streams().size(), opened.failures(), openSeconds,
                    before, whileOpen, baseline, connectionsWhileOpen, events, closeMillis, cancelled,
                    deliveryThreads.snapshot(), exchangeThreads.snapshot(), options.raiseCamelQueueLimit(),
                    options.gcRounds());
        } finally {
            pacer.shutdownNow();
            if (context != null) {
                context.stop();
            }
        }
    }

    /** The streams that opened, their subscribers, and why the others did not. */
    private record Opened(List<TaasStream> streams, List<SlowSubscriber> subscribers, Map<String, Long> failures) {
    }

    private Opened open(ProducerTemplate template, Endpoint endpoint, int count) throws InterruptedException {
        List<CompletableFuture<Exchange>> sends = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            CompletableFuture<Exchange> send;
            try {
                send = template.asyncSend(endpoint, exchange -> exchange.getMessage().setBody(ChatRequest.BODY));
            } catch (RuntimeException e) {
                send = CompletableFuture.failedFuture(e);
            }
            sends.add(send.whenComplete((exchange, error) -> exchangeThreads.seen()));
        }
        // first content comes after two chunk delays (role event, then the first word)
        long limit = 60_000 + 3 * options.streamChunkDelay().toMillis();
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(limit, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            // counted below, one by one
        }
        List<TaasStream> streams = new ArrayList<>();
        List<SlowSubscriber> subscribers = new ArrayList<>();
        Map<String, Long> failures = new TreeMap<>();
        for (CompletableFuture<Exchange> send : sends) {
            String failure = failureOf(send);
            if (failure != null) {
                failures.merge(failure, 1L, Long::sum);
                continue;
            }
            TaasStream stream = send.join().getMessage().getBody(TaasStream.class);
            SlowSubscriber subscriber = new SlowSubscriber(deliveryThreads);
            stream.subscribe(subscriber);
            streams.add(stream);
            subscribers.add(subscriber);
        }
        return new Opened(streams, subscribers, failures);
    }

    /** Why a send did not give a stream, or null if it did. */
    private static String failureOf(CompletableFuture<Exchange> send) {
        if (!send.isDone()) {
            return "no reply within the limit";
        }
        if (send.isCompletedExceptionally()) {
            Throwable error = send.handle((exchange, e) -> e).join();
            return describe(error instanceof java.util.concurrent.CompletionException ? error.getCause() : error);
        }
        Exchange exchange = send.join();
        if (exchange.getException() != null) {
            return describe(exchange.getException());
        }
        return exchange.getMessage().getBody() instanceof TaasStream ? null : "body is not a TaasStream";
    }

    private static String describe(Throwable error) {
        return error.getClass().getName() + ": " + error.getMessage();
    }

    private static void paceAll(List<SlowSubscriber> subscribers) {
        synchronized (subscribers) {
            subscribers.forEach(SlowSubscriber::pace);
        }
    }

    /** Polls the upstream until it has at most {@code most} connections; elapsed millis, or -1 past the limit. */
    private static long awaitConnectionsAtMost(UpstreamProcess upstream, int most, long limitMillis)
            throws Exception {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(limitMillis);
        while (System.nanoTime() < deadline) {
            if (upstream.openConnections() <= most) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
            Thread.sleep(POLL_MILLIS);
        }
        return -1;
    }

    private static int countCancelled(List<TaasStream> streams) {
        int cancelled = 0;
        for (TaasStream stream : streams) {
            TaasStream.Result result = stream.completion().getNow(null);
            if (result != null && result.cancelled()) {
                cancelled++;
            }
        }
        return cancelled;
    }
}
