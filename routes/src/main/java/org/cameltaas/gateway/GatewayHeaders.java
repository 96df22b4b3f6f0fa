package org.cameltaas.gateway;

import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.cameltaas.component.TaasConstants;
import org.cameltaas.gateway.credits.CreditCharge;
import org.cameltaas.gateway.limits.RateLimitHeaders;

/**
 * What the gateway keeps about a request while it is routed (exchange properties, so none of it leaks into the
 * HTTP reply by accident), and the response headers every reply carries.
 */
public final class GatewayHeaders {

    /** The gateway's own request id (a UUID), echoed as {@code x-request-id}. */
    public static final String REQUEST_ID = "TaasRequestId";
    /** A client's {@code x-client-request-id}, kept for the access log. */
    public static final String CLIENT_REQUEST_ID = "TaasClientRequestId";
    /** The session id, echoed as {@code x-session-id}. */
    public static final String SESSION_ID = "TaasSessionId";
    /** The model the client asked for. */
    public static final String MODEL = "TaasModel";
    /** The catalog model that served, echoed as {@code x-model-used}. */
    public static final String MODEL_USED = "TaasModelUsed";
    /** The taas operation of the surface (chatCompletions, embeddings, ...). */
    public static final String OPERATION = "TaasOperation";
    /** The authenticated {@code Principal}. */
    public static final String PRINCIPAL = "TaasPrincipal";
    /** The protocol of the surface ("openai", "anthropic", "responses"): the shape of its errors and stream errors. */
    public static final String STYLE = "TaasStyle";
    /** Set on the native Codex surface: only Codex-capable deployments may serve it. */
    public static final String CODEX = "TaasCodex";
    /** The model the client asked for, when a fallback served it instead (x-fallback-from). */
    public static final String FALLBACK_FROM = "TaasFallbackFrom";
    /** How many deployments failed before the one that served (x-fallback-depth). */
    /** The upstream's share of the request's time in ms (a Double), kept past the reply's header clean-up. */
    public static final String UPSTREAM_MILLIS = "TaasUpstreamMillis";
    public static final String FALLBACK_DEPTH = "TaasFallbackDepth";
    /** The embeddings cache's verdict for the request (hit, partial, miss), echoed as x-cache. */
    public static final String CACHE_STATUS = "TaasCacheStatus";
    /** The error code of a failed request's reply, for the access log. */
    public static final String ERROR_CODE = "TaasErrorCode";
    /** System.nanoTime() when the request arrived. */
    public static final String STARTED_NANOS = "TaasStartedNanos";
    /** The client's own Content-Type, so a reply never carries it back by accident. */
    public static final String CLIENT_CONTENT_TYPE = "TaasClientContentType";
    /** The request body parsed once (a Jackson ObjectNode), for routing and validation. */
    public static final String REQUEST_JSON = "TaasRequestJson";
    /** The provider that served (the component's header, kept for the usage event when the reply's headers go). */
    public static final String PROVIDER = "TaasProvider";
    /** The upstream's token usage of a whole reply (a {@code TaasUsage}), kept for the usage event likewise. */
    public static final String USAGE = "TaasUsage";

    /** Reply headers kept besides Camel's own (which the HTTP binding filters out). */
    private static final Set<String> KEPT = Set.of("content-type", "retry-after");

    private GatewayHeaders() {
    }

    /**
     * Leaves on the message only what the HTTP reply should carry: the request's headers (Authorization among them)
     * go, the gateway's {@code x-request-id}, {@code x-model-used} and {@code x-session-id} come.
     */
    public static void copyToResponse(Exchange exchange) {
        Message message = exchange.getMessage();
        exchange.setProperty(PROVIDER, message.getHeader(TaasConstants.PROVIDER));
        exchange.setProperty(USAGE, message.getHeader(TaasConstants.USAGE));
        // the component's headers go too: the HTTP binding turns every header left into text before it filters
        // (a future among them would even be waited on), which was 5 % of a request's CPU
        message.getHeaders().keySet().removeIf(name -> name.startsWith("CamelTaas")
                || !name.startsWith("Camel") && !KEPT.contains(name.toLowerCase()));
        Object contentType = message.getHeader(Exchange.CONTENT_TYPE);
        if (contentType != null) {
            message.setHeader(Exchange.CONTENT_TYPE, headerValue(contentType.toString()));
        }
        setIfPresent(message, "x-request-id", exchange.getProperty(REQUEST_ID));
        setIfPresent(message, "x-session-id", exchange.getProperty(SESSION_ID));
        Object used = exchange.getProperty(MODEL_USED);
        setIfPresent(message, "x-model-used", used != null ? used : exchange.getProperty(MODEL));
        setIfPresent(message, "x-fallback-from", exchange.getProperty(FALLBACK_FROM));
        setIfPresent(message, "x-fallback-depth", exchange.getProperty(FALLBACK_DEPTH));
        setIfPresent(message, "x-cache", exchange.getProperty(CACHE_STATUS));
        RateLimitHeaders.write(exchange, message);
        CreditCharge.writeHeaders(exchange, message);
        org.cameltaas.gateway.files.FileQuota.writeHeaders(exchange, message);
    }

    private static void setIfPresent(Message message, String name, Object value) {
        if (value != null) {
            message.setHeader(name, headerValue(value.toString()));
        }
    }

    /** Longest value the gateway echoes into a reply header. */
    static final int MAX_ECHOED = 256;

    /**
     * A value fit for a reply header: what is not printable ASCII (CR, LF, NUL, VT, FF, DEL, non-ASCII) is
     * percent-encoded, and the value is cut at 256 characters. Netty refuses a header with CR or LF; before this the
     * reply was never written and the connection hung.
     */
    public static String headerValue(String value) {
        StringBuilder out = null;
        int n = Math.min(value.length(), MAX_ECHOED);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            boolean safe = c >= 0x20 && c < 0x7f && c != '%' || c == '\t';
            if (!safe && out == null) {
                out = new StringBuilder(n + 16).append(value, 0, i);
            }
            if (out != null) {
                if (safe) {
                    out.append(c);
                } else {
                    for (byte b : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                        out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                                .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
                    }
                }
            }
        }
        return out != null ? out.toString() : value.length() > n ? value.substring(0, n) : value;
    }
}
