package org.cameltaas.gateway.resilience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.direct.DirectConsumerNotAvailableException;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.camel.support.service.ServiceHelper;
import org.cameltaas.component.TaasConstants;
import org.cameltaas.component.TaasRetryableException;
import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.gateway.GatewayHeaders;
import org.cameltaas.gateway.error.UpstreamNotConfiguredException;

/**
 * Serves a model from several deployments (model routes): picks the order by the route's balancing policy and the
 * session's affinity, tries them in turn while failures are worth another try (429, 5xx, unreachable, time-outs or
 * error events before the first content, deployments not configured, upstream error codes the operator named), and
 * retries the whole order after a back-off when asked. All asynchronous: no thread waits for an upstream or a
 * back-off. Bounded by the number of deployments, the retries and a deadline, so failing upstreams cannot cause a
 * retry storm.
 * <p>
 * The deployments route sets its configuration as exchange properties (see the {@code deployments} template in
 * catalog.camel.yaml) and then calls this one shared bean; statistics are per deployment, shared by every model that
 * uses it.
 */
public class DeploymentRouter extends AsyncProcessorSupport {

    public static final String TARGETS = "TaasDeployments";
    public static final String POLICY = "TaasPolicy";
    public static final String WEIGHTS = "TaasWeights";
    public static final String STICKY = "TaasSticky";
    public static final String RETRIES = "TaasRetries";
    public static final String DEADLINE = "TaasDeadline";
    public static final String FALLBACK_CODES = "TaasFallbackCodes";
    public static final String ROUTER_NAME = "TaasRouterName";

    private static final long BACKOFF_BASE_MILLIS = 200;
    private static final long BACKOFF_CAP_MILLIS = 5000;

    private final DeploymentStats stats;
    private final SessionAffinity affinity;
    private final ScheduledExecutorService timer;
    private final Map<String, AsyncProducer> producers = new ConcurrentHashMap<>();

    public DeploymentRouter(DeploymentStats stats, SessionAffinity affinity, ScheduledExecutorService timer) {
        this.stats = stats;
        this.affinity = affinity;
        this.timer = timer;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Attempts attempts;
        try {
            attempts = new Attempts(exchange, callback);
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        attempts.next();
        return false;
    }

    /** One request's way through the deployments. */
    private final class Attempts {
        private final Exchange exchange;
        private final AsyncCallback callback;
        private final String router;
        private final List<String> order;
        private final List<String> fallbackCodes;
        private final boolean sticky;
        private final long deadline;
        private final Object body;
        private final Map<String, Object> headers;
        private int index;
        private int retriesLeft;
        private int tries;
        private Exception last;

        Attempts(Exchange exchange, AsyncCallback callback) {
            this.exchange = exchange;
            this.callback = callback;
            this.router = exchange.getProperty(ROUTER_NAME, String.class);
            List<String> targets = list(exchange.getProperty(TARGETS, String.class));
            if (targets.isEmpty()) {
                throw new IllegalStateException("the deployments route " + router + " names no deployments");
            }
            List<Integer> weights = list(exchange.getProperty(WEIGHTS, String.class)).stream().map(Integer::valueOf).toList();
            List<String> ordered = BalancingPolicy.parse(exchange.getProperty(POLICY, String.class)).order(targets, weights, stats);
            this.sticky = !"false".equalsIgnoreCase(exchange.getProperty(STICKY, String.class));
            String session = exchange.getProperty(GatewayHeaders.SESSION_ID, String.class);
            if (sticky && session != null) {
                // the session keeps its deployment while that one is healthy; affinity never blocks fallback
                affinity.deploymentOf(session, router).filter(ordered::contains).filter(d -> !stats.of(d).failing())
                        .ifPresent(d -> {
                            ordered.remove(d);
                            ordered.add(0, d);
                        });
            }
            this.order = ordered;
            this.fallbackCodes = list(exchange.getProperty(FALLBACK_CODES, String.class));
            this.retriesLeft = exchange.getProperty(RETRIES, 0, Integer.class);
            long deadlineMillis = exchange.getProperty(DEADLINE, 120_000L, Long.class);
            this.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMillis);
            this.body = exchange.getMessage().getBody();
            this.headers = new HashMap<>(exchange.getMessage().getHeaders());
        }

        void next() {
            if (index >= order.size()) {
                if (retriesLeft > 0 && last instanceof TaasRetryableException retryable) {
                    retriesLeft--;
                    index = 0;
                    long delay = backoff(retryable);
                    if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay) < deadline) {
                        timer.schedule(this::next, delay, TimeUnit.MILLISECONDS);
                        return;
                    }
                }
                finish();
                return;
            }
            CompletionStage<?> cancellation = exchange.getMessage().getHeader(TaasConstants.CANCELLATION, CompletionStage.class);
            if (tries > 0 && cancellation != null && cancellation.toCompletableFuture().isDone()) {
                finish(); // the client went away: no further attempt
                return;
            }
            if (tries > 0 && System.nanoTime() >= deadline) {
                finish();
                return;
            }
            String deployment = order.get(index++);
            tries++;
            Message message = exchange.getMessage();
            exchange.setException(null);
            exchange.setRouteStop(false);
            exchange.setRollbackOnly(false);
            message.setBody(body);
            message.getHeaders().clear();
            message.getHeaders().putAll(headers);
            stats.started(deployment);
            long started = System.nanoTime();
            AsyncProducer producer;
            try {
                producer = producer(deployment, exchange.getContext());
            } catch (Exception e) {
                stats.failed(deployment, e.getMessage());
                last = e;
                next();
                return;
            }
            producer.process(exchange, doneSync -> onResult(deployment, started));
        }

        private void onResult(String deployment, long started) {
            Exception failure = exchange.getException();
            if (failure == null || !fallsBack(failure)) {
                // success, or a client error that another deployment would repeat: the deployment itself is fine
                stats.succeeded(deployment, (System.nanoTime() - started) / 1_000_000.0);
                if (failure == null) {
                    String session = exchange.getProperty(GatewayHeaders.SESSION_ID, String.class);
                    if (sticky && session != null) {
                        affinity.remember(session, router, deployment);
                    }
                    if (tries > 1) {
                        exchange.setProperty(GatewayHeaders.FALLBACK_FROM, exchange.getProperty(GatewayHeaders.MODEL));
                        exchange.setProperty(GatewayHeaders.FALLBACK_DEPTH, tries - 1);
                    }
                }
                callback.done(false);
                return;
            }
            stats.failed(deployment, describe(failure));
            last = failure;
            next();
        }

        private void finish() {
            exchange.setException(last != null ? last : new IllegalStateException("no deployment answered"));
            callback.done(false);
        }

        private boolean fallsBack(Exception failure) {
            if (failure instanceof TaasRetryableException || failure instanceof UpstreamNotConfiguredException
                    || failure instanceof DirectConsumerNotAvailableException) {
                return true;
            }
            return failure instanceof TaasUpstreamException e && e.getErrorCode() != null
                   && fallbackCodes.contains(e.getErrorCode());
        }

        /** Exponential with full jitter, but never sooner than the upstream's Retry-After. */
        private long backoff(TaasRetryableException failure) {
            int round = tries / Math.max(order.size(), 1);
            long ceiling = Math.min(BACKOFF_CAP_MILLIS, BACKOFF_BASE_MILLIS << Math.min(round, 10));
            long delay = ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
            Duration retryAfter = failure.getRetryAfter();
            return retryAfter != null ? Math.max(delay, retryAfter.toMillis()) : delay;
        }
    }

    private AsyncProducer producer(String deployment, CamelContext context) throws Exception {
        AsyncProducer producer = producers.get(deployment);
        if (producer == null) {
            producer = context.getEndpoint("direct:model-" + deployment + "?block=false").createAsyncProducer();
            ServiceHelper.startService(producer);
            AsyncProducer raced = producers.putIfAbsent(deployment, producer);
            if (raced != null) {
                ServiceHelper.stopService(producer);
                producer = raced;
            }
        }
        return producer;
    }

    @Override
    protected void doStop() throws Exception {
        producers.values().forEach(ServiceHelper::stopService);
        producers.clear();
    }

    private static String describe(Exception failure) {
        return failure instanceof TaasUpstreamException e ? e.getMessage() : failure.getClass().getSimpleName() + ": "
                + failure.getMessage();
    }

    private static List<String> list(String csv) {
        if (csv == null || csv.isBlank()) {
            return new ArrayList<>();
        }
        return new ArrayList<>(Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }
}
