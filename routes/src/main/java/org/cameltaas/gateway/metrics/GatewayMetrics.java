package org.cameltaas.gateway.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.cameltaas.component.TaasComponent;
import org.cameltaas.component.TaasConstants;
import org.cameltaas.component.TaasStream;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.gateway.GatewayHeaders;
import org.cameltaas.gateway.cache.EmbeddingsStore;
import org.cameltaas.gateway.http.AccessLog;

/**
 * The gateway's metrics, in Prometheus' text format at {@code GET /metrics}. Every metric is listed in
 * docs/gateway.md. Labels: {@code surface} (the operation), {@code model} (the catalog model that served, else the
 * one asked for), {@code provider}, {@code status}.
 */
public class GatewayMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger openStreams = new AtomicInteger();
    private final Map<String, AtomicInteger> breakerStates = new ConcurrentHashMap<>();
    private final Map<ReplyKey, ReplyMeters> replyMeters = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary[]> tokens = new ConcurrentHashMap<>();
    static final int MAX_MODEL_LABELS = 500;
    private final Set<String> modelLabels = ConcurrentHashMap.newKeySet();

    public GatewayMetrics() {
        registry.gauge("taas_open_streams", openStreams);
        FunctionCounter.builder("taas_access_log_dropped_total", AccessLog.class, ignored -> AccessLog.dropped())
                .description("Access log lines dropped because the log writer was a whole queue behind").register(registry);
    }

    /** Called once per request when its reply (or a stream's head) is ready. */
    public void recordReply(Exchange exchange, int status) {
        Message message = exchange.getMessage();
        String surface = label(exchange.getProperty(GatewayHeaders.OPERATION, String.class));
        String model = modelLabel(modelOf(exchange));
        String provider = label(message.getHeader(TaasConstants.PROVIDER, String.class));
        ReplyMeters meters = replyMeters.computeIfAbsent(new ReplyKey(surface, model, provider, status), this::replyMeters);
        meters.requests().increment();
        Integer depth = exchange.getProperty(GatewayHeaders.FALLBACK_DEPTH, Integer.class);
        if (depth != null) {
            Counter.builder("taas_fallbacks_total").description("Requests served by a fallback, by model asked for and model used")
                    .tags("from", modelLabel(exchange.getProperty(GatewayHeaders.MODEL, String.class)), "model", model)
                    .register(registry).increment();
        }
        Long started = exchange.getProperty(GatewayHeaders.STARTED_NANOS, Long.class);
        if (started == null) {
            return;
        }
        long totalNanos = System.nanoTime() - started;
        meters.total().record(totalNanos, TimeUnit.NANOSECONDS);
        Double upstreamMillis = message.getHeader(TaasConstants.UPSTREAM_MILLIS, Double.class);
        if (upstreamMillis != null) {
            long upstreamNanos = (long) (upstreamMillis * 1_000_000);
            meters.upstream().record(upstreamNanos, TimeUnit.NANOSECONDS);
            meters.overhead().record(Math.max(0, totalNanos - upstreamNanos), TimeUnit.NANOSECONDS);
        }
        TaasUsage usage = message.getHeader(TaasConstants.USAGE, TaasUsage.class);
        if (usage != null) {
            tokens(model, usage);
        }
    }

    /** The labels of one kind of reply; its meters are built once (building them per reply was a hot spot). */
    private record ReplyKey(String surface, String model, String provider, int status) {
    }

    private record ReplyMeters(Counter requests, Timer total, Timer upstream, Timer overhead) {
    }

    private ReplyMeters replyMeters(ReplyKey key) {
        return new ReplyMeters(
                Counter.builder("taas_requests_total").description("Requests answered, by surface, model, provider and status")
                        .tags("surface", key.surface(), "model", key.model(), "provider", key.provider(),
                                "status", String.valueOf(key.status()))
                        .register(registry),
                Timer.builder("taas_request_seconds")
                        .description("Time to the reply's first byte (a stream's head), by surface and model")
                        .tags("surface", key.surface(), "model", key.model()).publishPercentileHistogram()
                        .register(registry),
                Timer.builder("taas_upstream_seconds")
                        .description("Upstream time: to the whole reply, or to a stream's first content (time to first token)")
                        .tags("surface", key.surface(), "model", key.model(), "provider", key.provider())
                        .publishPercentileHistogram().register(registry),
                Timer.builder("taas_gateway_overhead_seconds")
                        .description("The gateway's own share of the time to first byte: total minus upstream")
                        .tags("surface", key.surface()).publishPercentileHistogram()
                        .register(registry));
    }

    /** A stream went out: count it open until it ends, then record its duration, outcome and tokens. */
    public void streamStarted(Exchange exchange, TaasStream stream) {
        String model = modelLabel(modelOf(exchange));
        long started = System.nanoTime();
        openStreams.incrementAndGet();
        stream.completion().whenComplete((result, error) -> {
            openStreams.decrementAndGet();
            String outcome = result == null || result.error() != null ? "failed" : result.cancelled() ? "cancelled" : "completed";
            Counter.builder("taas_streams_total").description("Streams ended, by model and outcome")
                    .tags("model", model, "outcome", outcome).register(registry).increment();
            Timer.builder("taas_stream_seconds").description("Whole stream duration, by model")
                    .tags("model", model).register(registry).record(Duration.ofNanos(System.nanoTime() - started));
            if (result != null) {
                tokens(model, result.usage());
            }
        });
    }

    /** A request refused by a rate limit: {@code rpm}, {@code tpm}, {@code concurrency} or {@code ip}. */
    public void rateLimited(String limit) {
        Counter.builder("taas_rate_limited_total").description("Requests refused with 429 by a rate limit, by limit")
                .tag("limit", limit).register(registry).increment();
    }

    /**
     * The rate limiter's back end (Redis) did not answer: {@code refused} (failing closed, 503), {@code allowed}
     * (failing open), {@code correction} (a slot release or a token correction after the reply was lost).
     */
    /** A request refused with 403 insufficient_credits. */
    public void creditRefused(String project) {
        Counter.builder("taas_credit_refusals_total").description("Requests refused with 403 insufficient_credits, by project")
                .tag("project", project).register(registry).increment();
    }

    /** Credits a settled request cost. */
    public void creditsCharged(String project, String model, java.math.BigDecimal credits) {
        Counter.builder("taas_credits_charged_total").description("Credits charged for settled requests, by project and model")
                .tags("project", project, "model", model == null ? "" : model).register(registry).increment(credits.doubleValue());
    }

    /** Credit reservations this replica holds (requests in flight of metered projects). */
    public void creditReservations(java.util.concurrent.atomic.AtomicInteger open) {
        Gauge.builder("taas_credit_reservations_open", open, java.util.concurrent.atomic.AtomicInteger::get)
                .description("Credit reservations this replica holds open").register(registry);
    }

    public void rateLimiterFailure(String outcome) {
        Counter.builder("taas_rate_limiter_failures_total").description("Rate limiter back end failures, by what the request got")
                .tag("outcome", outcome).register(registry).increment();
    }

    /** Hits, misses, evictions and size of a cache, read from its own counters at each scrape. */
    public void watchCache(String cache, EmbeddingsStore store) {
        FunctionCounter.builder("taas_cache_hits_total", store, s -> s.stats().hits())
                .description("Cache hits, per item, by cache").tag("cache", cache).register(registry);
        FunctionCounter.builder("taas_cache_misses_total", store, s -> s.stats().misses())
                .description("Cache misses, per item, by cache").tag("cache", cache).register(registry);
        FunctionCounter.builder("taas_cache_evictions_total", store, s -> s.stats().evictions())
                .description("Cache entries evicted for size, by cache").tag("cache", cache).register(registry);
        Gauge.builder("taas_cache_bytes", store, s -> s.stats().weightBytes())
                .description("Bytes held by the cache").tag("cache", cache).register(registry);
    }

    /** The scrape: circuit breaker states are read from the component at this moment. */
    public String scrape(Exchange exchange) {
        TaasComponent taas = exchange.getContext().getComponent("taas", TaasComponent.class);
        taas.circuitBreakerStates().forEach((upstream, state) -> breakerStates.computeIfAbsent(upstream, key -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder("taas_circuit_breaker_state", value, AtomicInteger::get)
                    .description("A deployment's circuit breaker: 0 closed, 1 half-open, 2 open")
                    .tag("upstream", key).register(registry);
            return value;
        }).set(switch (state) {
            case "OPEN", "FORCED_OPEN" -> 2;
            case "HALF_OPEN" -> 1;
            default -> 0;
        }));
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    private void tokens(String model, TaasUsage usage) {
        DistributionSummary[] summaries = tokens.computeIfAbsent(model, key -> new DistributionSummary[] {
                tokenSummary(key, "prompt"), tokenSummary(key, "completion") });
        summaries[0].record(usage.promptTokens());
        summaries[1].record(usage.completionTokens());
    }

    private DistributionSummary tokenSummary(String model, String kind) {
        return DistributionSummary.builder("taas_tokens").description("Tokens per request, by model and kind (prompt, completion)")
                .tags("model", model, "kind", kind).register(registry);
    }

    private static String modelOf(Exchange exchange) {
        String used = exchange.getProperty(GatewayHeaders.MODEL_USED, String.class);
        return used != null ? used : exchange.getProperty(GatewayHeaders.MODEL, String.class);
    }

    /**
     * A model name as a label. Names come from clients (any name goes to the default upstream), so past
     * {@link #MAX_MODEL_LABELS} distinct names further ones count as {@code other}: a client cannot grow the
     * registry without bound.
     */
    private String modelLabel(String model) {
        String name = label(model);
        if (modelLabels.contains(name)) {
            return name;
        }
        if (modelLabels.size() >= MAX_MODEL_LABELS) {
            return "other";
        }
        modelLabels.add(name);
        return name;
    }

    private static String label(String value) {
        return value == null || value.isBlank() ? "none" : value;
    }
}
