package org.cameltaas.gateway.credits;

import java.math.BigDecimal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.SynchronizationAdapter;
import org.cameltaas.component.TaasConstants;
import org.cameltaas.component.TaasStream;
import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.component.http.SseEvent;
import org.cameltaas.gateway.http.TappedEvents;
import org.cameltaas.gateway.GatewayHeaders;
import org.cameltaas.gateway.responses.ResponsesMemory;

/**
 * One metered request's reservation, from the moment it holds part of the balance until it is settled: by the
 * reply ({@link #onReply}; a stream when it ends), by the error reply ({@link #onError}) or, should neither run,
 * when the exchange completes. Settled exactly once; the cost is known at once (arithmetic), the database is told
 * on the credits pool. Requests of unmetered projects have none of this.
 */
public final class CreditCharge {

    static final String PROPERTY = "TaasCreditCharge";
    /** The settled cost of a whole reply (a BigDecimal), for x-credits-used and the usage event. */
    public static final String CREDITS_USED = "TaasCreditsUsed";

    private final Credits credits;
    final CreditSlice slice;
    final String requestId;
    final String projectId;
    final String model;
    private final String operation;
    private final JsonNode request;
    private final long promptTokens;
    final BigDecimal reserved;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final CompletableFuture<BigDecimal> cost = new CompletableFuture<>();
    private volatile boolean streaming;
    private DeliveredText delivered;

    CreditCharge(Credits credits, CreditSlice slice, String requestId, String projectId, String model, String operation, JsonNode request,
                 long promptTokens, BigDecimal reserved) {
        this.credits = credits;
        this.slice = slice;
        this.requestId = requestId;
        this.projectId = projectId;
        this.model = model;
        this.operation = operation;
        this.request = request;
        this.promptTokens = promptTokens;
        this.reserved = reserved;
    }

    static void open(Exchange exchange, CreditCharge charge) {
        exchange.setProperty(PROPERTY, charge);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                if (!charge.streaming) {
                    charge.settle(BigDecimal.ZERO); // the request ended without a reply
                }
            }
        });
    }

    /** A reply is ready: a stream settles when it ends, any other reply now, from its reported usage. */
    public static void onReply(Exchange exchange, Object body) {
        CreditCharge charge = exchange.getProperty(PROPERTY, CreditCharge.class);
        if (charge == null) {
            return;
        }
        String modelUsed = exchange.getProperty(GatewayHeaders.MODEL_USED, String.class);
        if (body instanceof TaasStream stream) {
            charge.streaming = true;
            charge.delivered = new DeliveredText();
            tap(exchange, charge.delivered);
            stream.completion().thenAccept(result -> charge.settleStream(result, modelUsed));
            return;
        }
        Message message = exchange.getMessage();
        TaasUsage usage = message.getHeader(TaasConstants.USAGE, TaasUsage.class);
        JsonNode reply = body instanceof JsonNode json ? json : null;
        BigDecimal cost = CreditCosts.actual(charge.credits.price(modelUsed, charge.model), charge.operation, charge.request,
                usage, charge.promptTokens, 0, audioSeconds(reply), imagesMade(reply));
        exchange.setProperty(CREDITS_USED, cost);
        charge.settle(cost);
    }

    /**
     * The request failed before any reply: not charged, unless the failure's status is one the operator charges
     * ({@code TAAS_CREDITS_CHARGE_STATUSES}): then its prompt and request price.
     */
    public static void onError(Exchange exchange) {
        CreditCharge charge = exchange.getProperty(PROPERTY, CreditCharge.class);
        if (charge == null || charge.settled.get()) {
            return;
        }
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        BigDecimal cost = BigDecimal.ZERO;
        if (failure instanceof TaasUpstreamException e && charge.credits.chargesStatus(e.getStatusCode())) {
            cost = CreditCosts.actual(charge.credits.price(exchange.getProperty(GatewayHeaders.MODEL_USED, String.class),
                    charge.model), charge.operation, charge.request, null, charge.promptTokens, 0, 0, 0);
        }
        exchange.setProperty(CREDITS_USED, cost);
        charge.settle(cost);
    }

    /** {@code x-credits-used} on a whole reply, {@code x-credits-reserved} on a stream's head. */
    public static void writeHeaders(Exchange exchange, Message message) {
        CreditCharge charge = exchange.getProperty(PROPERTY, CreditCharge.class);
        if (charge == null) {
            return;
        }
        if (charge.streaming) {
            message.setHeader("x-credits-reserved", Credits.plain(charge.reserved));
        } else {
            BigDecimal used = exchange.getProperty(CREDITS_USED, BigDecimal.class);
            if (used != null) {
                message.setHeader("x-credits-used", Credits.plain(used));
            }
        }
    }

    /** The slice the request's cost is charged to (its usage event names it); null for a request not metered. */
    public static String sliceId(Exchange exchange) {
        CreditCharge charge = exchange.getProperty(PROPERTY, CreditCharge.class);
        return charge == null ? null : charge.slice.id;
    }

    /** The settled cost, once known; null for a request that is not metered. For a stream's usage event. */
    public static CompletableFuture<BigDecimal> finalCost(Exchange exchange) {
        CreditCharge charge = exchange.getProperty(PROPERTY, CreditCharge.class);
        return charge == null ? CompletableFuture.completedFuture(null) : charge.cost;
    }

    /**
     * A stream ended: its final usage; a stream the client left (or that failed mid-way) is charged for its prompt
     * plus the tokens counted in the text it delivered, at least; one that failed before any output, nothing.
     */
    private void settleStream(TaasStream.Result result, String modelUsed) {
        TaasUsage usage = result.usage();
        boolean complete = result.error() == null && !result.cancelled();
        long deliveredTokens = delivered.tokens();
        if (!complete) {
            if (result.error() != null && deliveredTokens == 0 && (usage == null || usage.completionTokens() == 0)) {
                settle(BigDecimal.ZERO);
                return;
            }
            int prompt = usage != null && usage.promptTokens() > 0 ? usage.promptTokens() : (int) Math.min(Integer.MAX_VALUE, promptTokens);
            int completion = (int) Math.min(Integer.MAX_VALUE, Math.max(usage != null ? usage.completionTokens() : 0, deliveredTokens));
            usage = new TaasUsage(prompt, completion, prompt + completion, usage != null ? usage.cachedTokens() : 0, 0);
        }
        settle(streamCost(usage, modelUsed, deliveredTokens));
    }

    private BigDecimal streamCost(TaasUsage usage, String modelUsed, long deliveredTokens) {
        return CreditCosts.actual(credits.price(modelUsed, model), operation, request, usage, promptTokens, deliveredTokens, 0, -1);
    }

    /**
     * The stream's events, its final usage event carrying the cost as {@code usage.credits_used} (the chat usage
     * chunk, {@code response.completed}, Anthropic's {@code message_delta}): the same amount its settlement charges.
     */
    public static Flow.Publisher<SseEvent> withCost(Exchange exchange, Flow.Publisher<SseEvent> events, TaasStream stream) {
        CreditCharge charge = exchange.getProperty(PROPERTY, CreditCharge.class);
        if (charge == null || !charge.streaming) {
            return events;
        }
        String modelUsed = exchange.getProperty(GatewayHeaders.MODEL_USED, String.class);
        return TappedEvents.mapped(events, event -> charge.costed(event, stream, modelUsed));
    }

    private SseEvent costed(SseEvent event, TaasStream stream, String modelUsed) {
        String name = event.event();
        boolean responses = "response.completed".equals(name) || "response.incomplete".equals(name);
        if (event.isDone() || name != null && !responses && !"message_delta".equals(name)) {
            return event;
        }
        try {
            JsonNode json = event.json();
            JsonNode usage = responses ? json.path("response").get("usage") : json.get("usage");
            if (!(usage instanceof ObjectNode)) {
                return event;
            }
            ObjectNode copy = json.deepCopy();
            ObjectNode target = (ObjectNode) (responses ? copy.path("response").get("usage") : copy.get("usage"));
            target.put("credits_used", new BigDecimal(Credits.plain(streamCost(stream.usage(), modelUsed, 0))));
            return SseEvent.of(name, copy);
        } catch (Exception e) {
            return event; // not JSON: passed on as it is
        }
    }

    private void settle(BigDecimal amount) {
        if (!settled.compareAndSet(false, true)) {
            return;
        }
        credits.settle(this, amount);
        cost.complete(amount);
    }

    /** Adds the counter to the stream's tap (the responses store may have one already). */
    @SuppressWarnings("unchecked")
    private static void tap(Exchange exchange, DeliveredText counter) {
        Consumer<SseEvent> existing = exchange.getProperty(ResponsesMemory.STREAM_TAP, Consumer.class);
        exchange.setProperty(ResponsesMemory.STREAM_TAP, existing == null ? counter : existing.andThen(counter));
    }

    /** Transcriptions report their audio's length: {@code usage.seconds}, or {@code duration} (verbose_json). */
    private static double audioSeconds(JsonNode reply) {
        if (reply == null) {
            return 0;
        }
        JsonNode seconds = reply.path("usage").get("seconds");
        if (seconds != null && seconds.isNumber()) {
            return seconds.asDouble();
        }
        JsonNode duration = reply.get("duration");
        return duration != null && duration.isNumber() ? duration.asDouble() : 0;
    }

    /** Images replies list what was made; -1 when the reply does not say (the request's n applies). */
    private static int imagesMade(JsonNode reply) {
        JsonNode data = reply == null ? null : reply.get("data");
        return data != null && data.isArray() && reply.has("created") && !reply.has("object") ? data.size() : -1;
    }
}
