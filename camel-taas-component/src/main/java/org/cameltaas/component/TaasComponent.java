package org.cameltaas.component;


import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.PropertiesHelper;
import org.cameltaas.component.http.JdkUpstreamHttp;
import org.cameltaas.component.http.NettyUpstreamHttp;
import org.cameltaas.component.http.UpstreamHttp;
import org.cameltaas.component.http.UpstreamLimiter;
import org.cameltaas.component.protocol.ChatTranslation;
import org.cameltaas.component.provider.TaasProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code taas:} component. It owns what its endpoints share: the HTTP clients (Netty, and the JDK's on request),
 * a small worker pool, a timer thread for time-outs, the per-upstream concurrency limiters and breakers, and the
 * providers.
 */
@Component("taas")
public class TaasComponent extends DefaultComponent {

    private static final Logger LOG = LoggerFactory.getLogger(TaasComponent.class);
    static final String UPSTREAM_HEADER_PREFIX = "upstreamHeader.";

    @Metadata(description = "Default options of every endpoint")
    private TaasConfiguration configuration = new TaasConfiguration();
    @Metadata(label = "advanced", description = "Threads that run HTTP client callbacks and stream delivery. 0: twice the cores, at least 4.")
    private int workerThreads;

    private final Map<String, UpstreamLimiter> limiters = new ConcurrentHashMap<>();
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    /** Providers on the class path (META-INF/services), by name: a provider is a package and one line there. */
    private final Map<String, TaasProvider> builtInProviders = classPathProviders();
    private final Map<TaasOperation, ChatTranslation> translations = new java.util.EnumMap<>(TaasOperation.class);
    private ExecutorService clientExecutor;
    private JdkUpstreamHttp jdkHttp;
    private final java.util.concurrent.atomic.AtomicBoolean jdkWarned = new java.util.concurrent.atomic.AtomicBoolean();
    private NettyUpstreamHttp nettyHttp;
    private ScheduledExecutorService timer;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        TaasOperation operation;
        try {
            operation = TaasOperation.valueOf(remaining);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown taas operation '" + remaining + "'; use one of "
                    + java.util.Arrays.toString(TaasOperation.values()), e);
        }
        TaasConfiguration endpointConfiguration = configuration.copy();
        TaasEndpoint endpoint = new TaasEndpoint(uri, this, operation, endpointConfiguration);
        Map<String, Object> headers = PropertiesHelper.extractProperties(parameters, UPSTREAM_HEADER_PREFIX);
        setProperties(endpoint, parameters);
        endpointConfiguration.getUpstreamHeaders().putAll(headers);
        return endpoint;
    }

    private static Map<String, TaasProvider> classPathProviders() {
        Map<String, TaasProvider> found = new java.util.TreeMap<>();
        for (TaasProvider provider : ServiceLoader.load(TaasProvider.class, TaasComponent.class.getClassLoader())) {
            found.putIfAbsent(provider.name(), provider);
        }
        return java.util.Collections.unmodifiableMap(found);
    }

    /** The provider of that name: on the class path, else a {@link TaasProvider} bean in the registry. */
    TaasProvider provider(String name) {
        TaasProvider provider = builtInProviders.get(name);
        if (provider == null) {
            provider = getCamelContext().getRegistry().lookupByNameAndType(name, TaasProvider.class);
        }
        if (provider == null) {
            throw new IllegalArgumentException("No taas provider named '" + name + "': use one of "
                    + builtInProviders.keySet() + " or bind a TaasProvider bean of that name");
        }
        return provider;
    }

    /** The translation of an operation into chat completions, or null when there is none. */
    ChatTranslation translation(TaasOperation operation) {
        synchronized (translations) {
            if (translations.isEmpty()) {
                // translations are found like providers: on the class path, so more can be added without code here
                for (ChatTranslation t : ServiceLoader.load(ChatTranslation.class, TaasComponent.class.getClassLoader())) {
                    translations.put(t.operation(), t);
                }
            }
            return translations.get(operation);
        }
    }

    /**
     * The HTTP client an endpoint sends with: for a base URL of another scheme than http(s), the
     * {@link UpstreamHttp} bean named {@code taasUpstreamHttp-<scheme>} (the gateway's {@code connector://} tunnels).
     */
    UpstreamHttp upstreamHttp(TaasConfiguration.UpstreamClient kind, String baseUrl) {
        int colon = baseUrl == null ? -1 : baseUrl.indexOf("://");
        String scheme = colon > 0 ? baseUrl.substring(0, colon).toLowerCase() : "https";
        if (!scheme.equals("http") && !scheme.equals("https")) {
            UpstreamHttp custom = getCamelContext().getRegistry().lookupByNameAndType("taasUpstreamHttp-" + scheme, UpstreamHttp.class);
            if (custom == null) {
                throw new IllegalArgumentException("No upstream client for " + scheme + ":// base URLs: bind an UpstreamHttp "
                        + "bean named taasUpstreamHttp-" + scheme);
            }
            return custom;
        }
        return upstreamHttp(kind);
    }

    /** The HTTP client an endpoint sends with. */
    UpstreamHttp upstreamHttp(TaasConfiguration.UpstreamClient kind) {
        if (kind != TaasConfiguration.UpstreamClient.jdk) {
            return nettyHttp;
        }
        if (ForkJoinPool.getCommonPoolParallelism() < 2 && !jdkWarned.getAndSet(true)) {
            LOG.warn("The JDK HttpClient finishes every async call on CompletableFuture's default pool, which with a common "
                     + "pool parallelism below 2 (machines with 2 cores or fewer) starts a new thread per request. Start the "
                     + "JVM with -Djava.util.concurrent.ForkJoinPool.common.parallelism=4 to avoid that cost.");
        }
        return jdkHttp;
    }

    /** One breaker per deployment (base URL and model), shared by the endpoints that call it. */
    CircuitBreaker circuitBreaker(String deployment, TaasConfiguration configuration) {
        return breakers.computeIfAbsent(deployment, name -> CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .failureRateThreshold(configuration.getCircuitBreakerFailureRate())
                .minimumNumberOfCalls(configuration.getCircuitBreakerMinimumCalls())
                .slidingWindowSize(Math.max(configuration.getCircuitBreakerMinimumCalls(), 20))
                .waitDurationInOpenState(Duration.ofMillis(configuration.getCircuitBreakerOpenDuration()))
                .permittedNumberOfCallsInHalfOpenState(3)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build()));
    }

    /** Each deployment's breaker state (CLOSED, OPEN, HALF_OPEN), for health reports. */
    public Map<String, String> circuitBreakerStates() {
        Map<String, String> states = new java.util.TreeMap<>();
        breakers.forEach((name, breaker) -> states.put(name, breaker.getState().name()));
        return states;
    }

    /** One limiter per upstream and limit, shared by the endpoints that call it. */
    UpstreamLimiter limiter(String baseUrl, int maxConcurrent) {
        return limiters.computeIfAbsent(baseUrl + "|" + maxConcurrent, key -> new UpstreamLimiter(maxConcurrent));
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        int threads = workerThreads > 0 ? workerThreads : Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        clientExecutor = getCamelContext().getExecutorServiceManager().newFixedThreadPool(this, "TaasHttpClient", threads);
        jdkHttp = new JdkUpstreamHttp(clientExecutor);
        nettyHttp = new NettyUpstreamHttp(Runtime.getRuntime().availableProcessors(), clientExecutor);
        // One time-out task per call in flight: the queue must be unbounded (Camel's scheduled pools cap it at 1000,
        // which refused the 1001st concurrent stream) and cancelled tasks must leave it at once.
        ScheduledThreadPoolExecutor scheduled = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "TaasTimeouts");
            thread.setDaemon(true);
            return thread;
        });
        scheduled.setRemoveOnCancelPolicy(true);
        timer = scheduled;
    }

    @Override
    protected void doStop() throws Exception {
        if (nettyHttp != null) {
            nettyHttp.close();
            nettyHttp = null;
        }
        jdkHttp = null;
        limiters.clear();
        if (clientExecutor != null) {
            getCamelContext().getExecutorServiceManager().shutdown(clientExecutor);
            clientExecutor = null;
        }
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        super.doStop();
    }

    public TaasConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(TaasConfiguration configuration) {
        this.configuration = configuration;
    }

    public int getWorkerThreads() {
        return workerThreads;
    }

    public void setWorkerThreads(int workerThreads) {
        this.workerThreads = workerThreads;
    }
}
