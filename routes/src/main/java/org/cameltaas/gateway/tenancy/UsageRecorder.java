package org.cameltaas.gateway.tenancy;

import java.math.BigDecimal;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.ChannelHandlerContext;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.netty.NettyConstants;
import org.apache.camel.support.AsyncProcessorSupport;
import org.cameltaas.component.TaasStream;
import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.component.support.Json;
import org.cameltaas.gateway.GatewayHeaders;
import org.cameltaas.gateway.auth.Principal;
import org.cameltaas.gateway.credits.CreditCharge;
import org.cameltaas.gateway.console.DebugBodies;
import org.cameltaas.tenancy.DebugCapture;
import org.cameltaas.tenancy.UsageEvent;
import org.cameltaas.tenancy.UsageJournal;

/**
 * {@code direct:usage}, the last step of every request: builds the request's usage event and journals it. A reply
 * is held until its event is written (the exchange continues on the journal's thread, no thread waits), so a reply
 * that was complete has its event in the journal. A stream's head has gone out by now: its event is built and
 * journaled when the stream ends, with the usage the upstream reported or, if the client left, what was delivered.
 * Not metered: {@code /health}, {@code /metrics}, the admin API and the console's static files.
 */
public final class UsageRecorder extends AsyncProcessorSupport implements AsyncProcessor {

    private static final Set<String> UNMETERED = Set.of("/health", "/metrics");

    private final UsageJournal journal;
    private final DebugCapture debugCapture;

    public UsageRecorder(UsageJournal journal) {
        this(journal, null);
    }

    /** With the console's debug capture: the bodies of a project that has it on are kept too (DebugBodies). */
    public UsageRecorder(UsageJournal journal, DebugCapture debugCapture) {
        this.journal = journal;
        this.debugCapture = debugCapture;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Message message = exchange.getMessage();
        String path = message.getHeader(Exchange.HTTP_PATH, String.class);
        if (path == null || UNMETERED.contains(path) || path.startsWith(AdminEndpoint.PREFIX)
                || path.equals("/console") || path.startsWith("/console/")) {
            callback.done(true);
            return true;
        }
        Request request = Request.of(exchange, path);
        DebugBodies.keep(exchange, debugCapture);
        int status = status(message);
        if (message.getBody() instanceof TaasStream stream) {
            long headNanos = System.nanoTime();
            CompletableFuture<BigDecimal> credits = CreditCharge.finalCost(exchange);
            String slice = CreditCharge.sliceId(exchange);
            stream.completion().whenComplete((result, failure) -> credits.whenComplete((cost, ignored) ->
                    journal.append(request.streamEnded(stream, result, headNanos, cost, slice), null)));
            callback.done(true);
            return true;
        }
        // the reply continues on its connection's event loop, where Netty writes it anyway: run on the journal's
        // one thread, every reply's remaining work queued behind it (measured: 0.4-0.6x the requests/s)
        ChannelHandlerContext ctx = message.getHeader(NettyConstants.NETTY_CHANNEL_HANDLER_CONTEXT, ChannelHandlerContext.class);
        Runnable release = ctx != null ? () -> ctx.channel().eventLoop().execute(() -> callback.done(false))
                : () -> callback.done(false);
        journal.append(request.answered(status, status >= 400 ? errorCode(message) : null,
                exchange.getProperty(CreditCharge.CREDITS_USED, BigDecimal.class), CreditCharge.sliceId(exchange)), release);
        return false;
    }

    private static int status(Message message) {
        Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return status == null ? 200 : status;
    }

    /** The code of the error envelope (OpenAI's {@code error.code}, else Anthropic's {@code error.type}). */
    private static String errorCode(Message message) {
        byte[] body = message.getBody(byte[].class);
        if (body == null || body.length == 0 || body.length > 65_536) {
            return null;
        }
        try {
            JsonNode error = Json.parse(body).path("error");
            JsonNode code = error.hasNonNull("code") ? error.get("code") : error.get("type");
            return code == null || code.isNull() ? null : code.asText();
        } catch (java.io.IOException | RuntimeException e) {
            return null; // not JSON: no code to record
        }
    }

    /** What the exchange knew about the request when it was answered: taken at once, the exchange moves on. */
    private record Request(String requestId, long startedNanos, long arrivedMillis, String sessionId, Principal principal,
                           String surface, String model, String modelUsed, String provider, int fallbackDepth, TaasUsage usage,
                           Double upstreamMs) {

        static Request of(Exchange exchange, String path) {
            Long started = exchange.getProperty(GatewayHeaders.STARTED_NANOS, Long.class);
            long startedNanos = started != null ? started : System.nanoTime();
            long arrived = System.currentTimeMillis() - (System.nanoTime() - startedNanos) / 1_000_000;
            String operation = exchange.getProperty(GatewayHeaders.OPERATION, String.class);
            Integer depth = exchange.getProperty(GatewayHeaders.FALLBACK_DEPTH, Integer.class);
            return new Request(exchange.getProperty(GatewayHeaders.REQUEST_ID, String.class), startedNanos, arrived,
                    exchange.getProperty(GatewayHeaders.SESSION_ID, String.class),
                    exchange.getProperty(GatewayHeaders.PRINCIPAL, Principal.class),
                    operation != null ? operation : path,
                    exchange.getProperty(GatewayHeaders.MODEL, String.class),
                    exchange.getProperty(GatewayHeaders.MODEL_USED, String.class),
                    exchange.getProperty(GatewayHeaders.PROVIDER, String.class),
                    depth != null ? depth : 0,
                    exchange.getProperty(GatewayHeaders.USAGE, TaasUsage.class),
                    exchange.getProperty(GatewayHeaders.UPSTREAM_MILLIS, Double.class));
        }

        UsageEvent answered(int status, String errorCode, BigDecimal credits, String slice) {
            return event(usage, provider, status, errorCode, millisSince(startedNanos), null,
                    status >= 400 ? UsageEvent.FAILED : UsageEvent.COMPLETED, credits, slice);
        }

        UsageEvent streamEnded(TaasStream stream, TaasStream.Result result, long headNanos, BigDecimal credits, String slice) {
            String outcome = UsageEvent.COMPLETED;
            String errorCode = null;
            TaasUsage streamed = stream.usage();
            if (result != null) {
                streamed = result.usage();
                if (result.error() != null) {
                    outcome = UsageEvent.FAILED;
                    errorCode = result.error() instanceof TaasUpstreamException e && e.getErrorCode() != null
                            ? e.getErrorCode() : "stream_failed";
                } else if (result.cancelled()) {
                    outcome = UsageEvent.CANCELLED;
                }
            }
            return event(streamed, stream.provider(), 200, errorCode, millisSince(startedNanos),
                    (headNanos - startedNanos) / 1e6, outcome, credits, slice);
        }

        private UsageEvent event(TaasUsage tokens, String servedBy, int status, String errorCode, double latencyMs,
                                 Double ttftMs, String outcome, BigDecimal credits, String slice) {
            TaasUsage counted = tokens != null ? tokens : TaasUsage.NONE;
            return new UsageEvent(requestId, arrivedMillis, sessionId, principal != null ? principal.tokenId() : null,
                    principal != null ? principal.team() : null, principal != null ? principal.project() : null,
                    surface, model, modelUsed != null ? modelUsed : model, servedBy, fallbackDepth,
                    counted.promptTokens(), counted.completionTokens(), counted.cachedTokens(), status, errorCode,
                    latencyMs, ttftMs, outcome, credits, slice, upstreamMs == null ? null : Math.round(upstreamMs * 1e3) / 1e3);
        }

        private static double millisSince(long nanos) {
            return Math.round((System.nanoTime() - nanos) / 1e3) / 1e3;
        }
    }
}
