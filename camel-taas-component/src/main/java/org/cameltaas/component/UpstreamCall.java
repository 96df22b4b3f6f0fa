package org.cameltaas.component;

import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.cameltaas.component.TaasUpstreamException.Failure;
import org.cameltaas.component.http.UpstreamLimiter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.protocol.ChainedStreamMapper;
import org.cameltaas.component.protocol.ChatTranslation;
import org.cameltaas.component.provider.ProviderResult;
import org.cameltaas.component.provider.StreamMapper;
import org.cameltaas.component.provider.TaasProvider;
import org.cameltaas.component.http.StreamDecoder;
import org.cameltaas.component.http.UpstreamHttp;
import org.cameltaas.component.support.Secrets;

/**
 * One exchange's trip upstream: wait for a concurrency permit, send, read the reply or start the stream, enforce
 * the time-outs with one re-armed timer task, and complete the exchange exactly once.
 */
final class UpstreamCall implements TaasStream.Listener {

    private final TaasEndpoint endpoint;
    private final TaasConfiguration configuration;
    private final TaasProvider provider;
    private final TaasRequest request;
    /** Non-null when the request travels as chat completions: turns replies back into the caller's protocol. */
    private final ChatTranslation translation;
    private final ObjectNode inboundJson;
    private final UpstreamHttp.Call upstreamCall;
    private final Exchange exchange;
    private final AsyncCallback callback;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean exchangeDone = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();

    private volatile boolean headersReceived;
    /** nanoTime since which the call waits for upstream bytes; 0 when it is not waiting. */
    private volatile long waitingSince;
    private volatile CompletableFuture<UpstreamLimiter.Permit> permitFuture;
    private volatile UpstreamLimiter.Permit permit;
    private volatile CompletableFuture<Void> response;
    private volatile TaasStream stream;
    private final Object timerLock = new Object();
    /** Whether a timer task is armed, and when it runs (a nanoTime). */
    private volatile boolean armed;
    private volatile long wakeAt;
    private volatile ScheduledFuture<?> watchdog;
    private volatile String requestId;
    private volatile long sentNanos;

    UpstreamCall(TaasEndpoint endpoint, TaasRequest request, ChatTranslation translation, ObjectNode inboundJson,
                 Exchange exchange, AsyncCallback callback) {
        this.endpoint = endpoint;
        this.configuration = endpoint.getConfiguration();
        this.provider = endpoint.provider();
        this.request = request;
        this.translation = translation;
        this.inboundJson = inboundJson;
        // built before waiting for a permit, so a request the provider refuses fails at once, not after the queue
        // on the caller's thread, which decides where the call runs and where the route resumes
        this.upstreamCall = endpoint.upstreamHttp().prepare(
                provider.toUpstream(request, endpoint.baseUrl(), configuration.getApiKey()), exchange, endpoint.connecting());
        this.exchange = exchange;
        this.callback = callback;
    }

    void start() {
        try {
            begin();
        } catch (RuntimeException e) {
            failExchange(e); // e.g. a rejected timer task: the exchange must still complete
        }
    }

    private void begin() {
        CircuitBreaker breaker = endpoint.breaker();
        if (breaker != null && !breaker.tryAcquirePermission()) {
            failExchange(new TaasRetryableException(provider.name() + " deployment " + breaker.getName()
                    + " is failing (circuit breaker open): not called", null, Failure.CIRCUIT_OPEN, provider.name(), 0,
                    null, null, null));
            return;
        }
        CompletionStage<?> cancellation = exchange.getMessage().getHeader(TaasConstants.CANCELLATION, CompletionStage.class);
        if (cancellation != null) {
            cancellation.whenComplete((ignored, error) -> abandon());
        }
        armWatchdog(firstCheckDelay());
        permitFuture = endpoint.limiter().acquire();
        permitFuture.whenComplete((granted, error) -> {
            if (error != null) {
                return; // the wait was given up (time-out); the failure is already reported
            }
            if (ended.get()) {
                granted.release();
                return;
            }
            permit = granted;
            send();
        });
    }

    private void send() {
        sentNanos = System.nanoTime();
        CompletableFuture<Void> future;
        try {
            future = upstreamCall.send(this::bodySubscriber);
        } catch (RuntimeException e) {
            failExchange(e); // e.g. an event loop that is shutting down: the exchange must still complete
            return;
        }
        response = future;
        // Replies are handled in the body subscribers; the future is only watched for failures before a reply.
        future.whenComplete((ignored, error) -> {
            if (error != null && stream == null && !exchangeDone.get()) {
                failExchange(UpstreamFailures.beforeResponse(provider.name(), endpoint.baseUrl(), error));
            }
        });
    }

    /** Called when the reply's headers arrive: a 2xx event stream feeds a TaasStream, anything else is buffered. */
    private BodySubscriber<Void> bodySubscriber(HttpResponse.ResponseInfo info) {
        headersReceived = true;
        requestId = provider.requestId(info.headers());
        if (exchangeDone.get()) {
            return new Discarding(); // the call was given up (time-out) while the reply was on its way
        }
        String contentType = info.headers().firstValue("content-type").orElse("");
        StreamDecoder decoder = info.statusCode() < 300 && request.stream() ? provider.streamDecoder(contentType) : null;
        if (decoder != null) {
            StreamMapper mapper = provider.streamMapper(request);
            if (translation != null) {
                mapper = new ChainedStreamMapper(mapper, translation.fromChatStream(inboundJson, provider.name()));
            }
            TaasStream taasStream = new TaasStream(mapper, decoder, provider.name(), requestId, this);
            stream = taasStream;
            waitingFromNow();
            return taasStream.bodySubscriber();
        }
        waitingFromNow();
        return new Buffering(info.statusCode(), info.headers());
    }

    private void onBufferedReply(int status, HttpHeaders headers, byte[] body) {
        if (status >= 300) {
            failExchange(UpstreamFailures.httpStatus(provider.name(), status,
                    provider.parseError(status, redact(body)), retryAfter(headers), requestId));
            return;
        }
        try {
            ProviderResult result = provider.fromUpstream(request, status, headers, body);
            if (translation != null && result.body() instanceof ObjectNode chatCompletion) {
                result = new ProviderResult(translation.fromChatResponse(chatCompletion, inboundJson), result.contentType(),
                        result.usage(), result.model());
            }
            Message message = exchange.getMessage();
            setCommonHeaders(message, status, result.model());
            message.setHeader(TaasConstants.STREAMING, false);
            TaasUsage usage = result.usage();
            message.setHeader(TaasConstants.USAGE, usage);
            message.setHeader(TaasConstants.PROMPT_TOKENS, usage.promptTokens());
            message.setHeader(TaasConstants.COMPLETION_TOKENS, usage.completionTokens());
            message.setHeader(TaasConstants.TOTAL_TOKENS, usage.totalTokens());
            message.setHeader(Exchange.CONTENT_TYPE, result.contentType());
            message.setBody(result.body());
            ended();
            completeExchange();
        } catch (Exception e) {
            failExchange(e);
        }
    }

    private void setCommonHeaders(Message message, int status, String modelUsed) {
        message.setHeader(TaasConstants.UPSTREAM_MILLIS, (System.nanoTime() - sentNanos) / 1_000_000.0);
        message.setHeader(TaasConstants.UPSTREAM_STATUS, status);
        message.setHeader(TaasConstants.UPSTREAM_REQUEST_ID, requestId);
        message.setHeader(TaasConstants.PROVIDER, provider.name());
        message.setHeader(TaasConstants.MODEL_USED, modelUsed != null ? modelUsed : request.model());
    }

    // TaasStream.Listener

    @Override
    public void committed() {
        TaasStream s = stream;
        Message message = exchange.getMessage();
        setCommonHeaders(message, 200, s.model());
        message.setHeader(TaasConstants.STREAMING, true);
        message.setHeader(Exchange.CONTENT_TYPE, "text/event-stream");
        message.setBody(s);
        completeExchange();
    }

    @Override
    public void failedBeforeCommit(TaasUpstreamException failure) {
        failExchange(failure);
    }

    @Override
    public void upstreamActivity(boolean waiting) {
        if (waiting) {
            waitingFromNow();
        } else {
            waitingSince = 0;
        }
    }

    /** The call is over for good: give the permit back and stop the timer. */
    @Override
    public void ended() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        UpstreamLimiter.Permit p = permit;
        if (p != null) {
            p.release();
        }
        CompletableFuture<UpstreamLimiter.Permit> waiting = permitFuture;
        if (waiting != null) {
            waiting.cancel(false);
        }
        ScheduledFuture<?> w = watchdog;
        if (w != null) {
            w.cancel(false);
        }
    }

    private void completeExchange() {
        if (exchangeDone.compareAndSet(false, true)) {
            recordOutcome(null);
            continueRoute();
        }
    }

    /** The caller's route goes on where it ran before the call (see UpstreamHttp.Call#resume). */
    private void continueRoute() {
        upstreamCall.resume(() -> callback.done(false));
    }

    /** Tells the breaker how the call went: answered (client errors included) or failed in a retryable way. */
    private void recordOutcome(Throwable failure) {
        CircuitBreaker breaker = endpoint.breaker();
        if (breaker == null || failure instanceof TaasUpstreamException e && e.getFailure() == Failure.CIRCUIT_OPEN) {
            return;
        }
        long nanos = System.nanoTime() - startNanos;
        if (failure instanceof TaasRetryableException) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, failure);
        } else {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
    }

    private void failExchange(Throwable failure) {
        if (exchangeDone.compareAndSet(false, true)) {
            recordOutcome(failure);
            exchange.setException(failure);
            if (stream == null) {
                ended();
            }
            continueRoute();
        }
    }

    // Time-outs: one timer task, armed for the nearest deadline. first token: from the start to the headers (a
    // stream: to its first content); idle: silence while the call waits for upstream bytes, counted only once the
    // headers are in; total: from the start to the end. A deadline that moves closer (the headers arrive, the call
    // starts waiting again) re-arms the task earlier; one that moves later is found when the task runs.

    private void armWatchdog(long delayNanos) {
        if (delayNanos >= 0) {
            wakeBy(System.nanoTime() + delayNanos);
        }
    }

    /** Makes sure the timer task runs no later than {@code deadline} (a nanoTime). */
    private void wakeBy(long deadline) {
        if (ended.get() || armed && deadline - wakeAt >= 0) {
            return;
        }
        ScheduledFuture<?> next;
        synchronized (timerLock) {
            if (ended.get() || armed && deadline - wakeAt >= 0) {
                return;
            }
            ScheduledFuture<?> previous = watchdog;
            if (previous != null) {
                previous.cancel(false);
            }
            wakeAt = deadline;
            armed = true;
            long delay = Math.max(0, deadline - System.nanoTime());
            next = endpoint.getComponent().timer().schedule(this::checkDeadlines, delay, TimeUnit.NANOSECONDS);
            watchdog = next;
        }
        if (ended.get()) {
            next.cancel(false); // the call ended while this task was being armed
        }
    }

    /** The idle deadline from now, once the call waits for upstream bytes after the headers. */
    private void waitingFromNow() {
        long idle = millisToNanos(configuration.getIdleTimeout());
        long now = System.nanoTime();
        waitingSince = now;
        if (idle > 0 && headersReceived) {
            wakeBy(now + idle);
        }
    }

    /** The earliest time-out of a fresh call: nothing can expire before it; -1 when none is configured. */
    private long firstCheckDelay() {
        long delay = Long.MAX_VALUE;
        for (long millis : new long[] {configuration.getFirstTokenTimeout(), configuration.getTotalTimeout()}) {
            if (millis > 0) {
                delay = Math.min(delay, millisToNanos(millis));
            }
        }
        return delay == Long.MAX_VALUE ? -1 : delay; // idle counts only from the headers on
    }

    private void checkDeadlines() {
        synchronized (timerLock) {
            armed = false; // this run re-arms for whatever comes next
            watchdog = null;
        }
        if (ended.get()) {
            return;
        }
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        TaasStream s = stream;
        boolean beforeFirstToken = s == null ? !headersReceived : !s.isCommitted();
        long firstToken = millisToNanos(configuration.getFirstTokenTimeout());
        if (firstToken > 0 && beforeFirstToken) {
            long deadline = startNanos + firstToken;
            if (now - deadline >= 0) {
                timeout(Failure.FIRST_TOKEN_TIMEOUT, configuration.getFirstTokenTimeout());
                return;
            }
            next = deadline;
        }
        long idle = millisToNanos(configuration.getIdleTimeout());
        long since = waitingSince;
        if (idle > 0 && headersReceived && since != 0) {
            long deadline = since + idle;
            if (now - deadline >= 0) {
                timeout(Failure.IDLE_TIMEOUT, configuration.getIdleTimeout());
                return;
            }
            next = Math.min(next, deadline);
        }
        long total = millisToNanos(configuration.getTotalTimeout());
        if (total > 0) {
            long deadline = startNanos + total;
            if (now - deadline >= 0) {
                timeout(Failure.TOTAL_TIMEOUT, configuration.getTotalTimeout());
                return;
            }
            next = Math.min(next, deadline);
        }
        if (next != Long.MAX_VALUE) {
            wakeBy(next);
        }
    }

    /** The caller went away: stop waiting, close the upstream connection, release the permit. */
    private void abandon() {
        if (ended.get()) {
            return;
        }
        TaasUpstreamException gone = new TaasNonRetryableException("the caller went away; the upstream call was abandoned",
                null, Failure.IO, provider.name(), 0, null, null, requestId);
        TaasStream s = stream;
        if (s != null) {
            s.fail(gone);
            return;
        }
        CompletableFuture<Void> pending = response;
        failExchange(gone);
        if (pending != null) {
            pending.cancel(true);
        }
    }

    private void timeout(Failure failure, long limitMillis) {
        TaasStream s = stream;
        boolean delivered = s != null && s.isCommitted();
        TaasUpstreamException error = UpstreamFailures.timeout(provider.name(), failure, Duration.ofMillis(limitMillis),
                delivered);
        if (s != null) {
            s.fail(error); // the stream reports it: to the exchange before commit, to its subscriber after
            return;
        }
        CompletableFuture<Void> pending = response;
        failExchange(error);
        if (pending != null) {
            pending.cancel(true); // aborts the HTTP exchange and closes its connection
        }
    }

    private static long millisToNanos(long millis) {
        return millis <= 0 ? 0 : TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private byte[] redact(byte[] body) {
        if (body == null) {
            return null;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        String redacted = Secrets.redact(text, configuration.getApiKey());
        return redacted.equals(text) ? body : redacted.getBytes(StandardCharsets.UTF_8);
    }

    /** Retry-After as seconds or as an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(HttpHeaders headers) {
        String value = headers.firstValue("retry-after").orElse(null);
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofMillis((long) (Double.parseDouble(value.trim()) * 1000));
        } catch (NumberFormatException e) {
            try {
                java.time.ZonedDateTime at = java.time.ZonedDateTime.parse(value.trim(),
                        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(java.time.Instant.now(), at.toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    /** Collects a non-streamed body, marking upstream activity for the idle time-out. */
    private final class Buffering implements BodySubscriber<Void> {
        private final int status;
        private final HttpHeaders headers;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private Flow.Subscription subscription;

        Buffering(int status, HttpHeaders headers) {
            this.status = status;
            this.headers = headers;
        }

        @Override
        public CompletionStage<Void> getBody() {
            return done;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            waitingSince = System.nanoTime();
            for (ByteBuffer buffer : buffers) {
                if (buffer.hasArray()) {
                    bytes.write(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
                } else {
                    byte[] copy = new byte[buffer.remaining()];
                    buffer.get(copy);
                    bytes.writeBytes(copy);
                }
            }
        }

        @Override
        public void onError(Throwable error) {
            done.completeExceptionally(error);
            if (!exchangeDone.get()) {
                failExchange(UpstreamFailures.beforeResponse(provider.name(), endpoint.baseUrl(), error));
            }
        }

        @Override
        public void onComplete() {
            done.complete(null);
            if (!exchangeDone.get()) {
                onBufferedReply(status, headers, bytes.toByteArray());
            }
        }
    }

    /** Reads nothing: closes a reply that arrived after its call was given up. */
    private static final class Discarding implements BodySubscriber<Void> {
        @Override
        public CompletionStage<Void> getBody() {
            return CompletableFuture.completedStage(null);
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.cancel();
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
        }

        @Override
        public void onError(Throwable throwable) {
        }

        @Override
        public void onComplete() {
        }
    }
}
