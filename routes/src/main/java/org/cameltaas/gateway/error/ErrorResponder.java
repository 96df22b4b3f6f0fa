package org.cameltaas.gateway.error;

import java.time.Duration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.direct.DirectConsumerNotAvailableException;
import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.component.support.Json;
import org.cameltaas.gateway.GatewayHeaders;
import org.cameltaas.gateway.http.AccessLog;
import org.cameltaas.gateway.credits.CreditCharge;
import org.cameltaas.gateway.limits.RateLimitLease;
import org.cameltaas.gateway.metrics.GatewayMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns whatever failed into the OpenAI error envelope {@code {"error":{message,type,code,param}}} plus a top-level
 * {@code detail} (the seeds' clients read either), with the right status. Upstream 4xx pass through with their
 * status and message; the gateway's own failures never leak stack traces.
 */
public class ErrorResponder implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);

    private final GatewayMetrics metrics;

    public ErrorResponder(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null) {
            failure = exchange.getException();
        }
        ErrorReply reply = describe(failure, exchange);
        exchange.setException(null);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, reply.status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        boolean anthropic = "anthropic".equals(exchange.getProperty(GatewayHeaders.STYLE));
        exchange.getMessage().setBody(Json.bytes(anthropic ? anthropicEnvelope(reply) : envelope(reply)));
        exchange.setProperty(GatewayHeaders.ERROR_CODE, reply.code);
        metrics.recordReply(exchange, reply.status);
        RateLimitLease.onError(exchange);
        CreditCharge.onError(exchange);
        GatewayHeaders.copyToResponse(exchange);
        AccessLog.record(exchange, reply.status);
    }

    private static ErrorReply describe(Throwable failure, Exchange exchange) {
        if (failure instanceof GatewayException e) {
            return new ErrorReply(e.status(), e.type(), e.code(), e.param(), e.getMessage());
        }
        if (failure instanceof TaasUpstreamException e) {
            return upstream(e, exchange);
        }
        if (failure instanceof DirectConsumerNotAvailableException) {
            // a toD to a model or provider route that does not exist
            return new ErrorReply(404, "invalid_request_error", "model_not_found", "model",
                    "The model " + exchange.getProperty(GatewayHeaders.MODEL) + " is not served here; see GET /v1/models");
        }
        if (failure instanceof IllegalArgumentException || failure instanceof JsonProcessingException) {
            String message = failure.getMessage() == null ? "Invalid request" : failure.getMessage();
            int colon = message.indexOf(": ");
            boolean coded = colon > 0 && message.substring(0, colon).matches("[a-z_]+");
            return new ErrorReply(400, "invalid_request_error", coded ? message.substring(0, colon) : "invalid_request", null,
                    message);
        }
        LOG.error("Request {} failed inside the gateway", exchange.getProperty(GatewayHeaders.REQUEST_ID), failure);
        return new ErrorReply(500, "server_error", "internal_error", null,
                "The gateway failed to process the request; quote the x-request-id header when reporting it.");
    }

    private static ErrorReply upstream(TaasUpstreamException e, Exchange exchange) {
        Duration retryAfter = e.getRetryAfter();
        if (retryAfter != null) {
            exchange.getMessage().setHeader("Retry-After", Math.max(1, (retryAfter.toMillis() + 999) / 1000));
        }
        int status = e.getGatewayStatus();
        String upstreamMessage = e.getUpstreamMessage() != null ? e.getUpstreamMessage() : e.getMessage();
        if (status >= 400 && status < 500) {
            String type = e.getErrorType() != null ? e.getErrorType() : status == 429 ? "rate_limit_error" : "invalid_request_error";
            return new ErrorReply(status, type, e.getErrorCode(), e.getErrorParam(), upstreamMessage);
        }
        // the details (upstream URL, exception, an HTML error page) are for the log, not for the client
        LOG.warn("Request {}: {}", exchange.getProperty(GatewayHeaders.REQUEST_ID), e.getMessage());
        if (e.getStatusCode() == 503 && "connector_offline".equals(e.getErrorCode())) {
            // a registered deployment without a live tunnel (docs/connectors.md): its message says what to start
            return new ErrorReply(503, "service_unavailable", "connector_offline", null, upstreamMessage);
        }
        return switch (status) {
            case 503 -> new ErrorReply(503, "service_unavailable", "upstream_offline", null,
                    e.getFailure() == TaasUpstreamException.Failure.CIRCUIT_OPEN ? e.getMessage()
                            : "The " + e.getProvider() + " upstream of " + exchange.getProperty(GatewayHeaders.MODEL_USED)
                              + " cannot be reached");
            case 504 -> new ErrorReply(504, "timeout_error", "upstream_timeout", null, e.getMessage());
            default -> new ErrorReply(502, "upstream_error", e.getErrorCode() != null ? e.getErrorCode() : "upstream_error",
                    null, e.getProvider() + " upstream failed: " + clientSafe(upstreamMessage, e.getStatusCode()));
        };
    }

    /** An upstream's own error message, unless it is a page of HTML or a novel: then only its status. */
    private static String clientSafe(String upstreamMessage, int status) {
        String text = upstreamMessage == null ? "" : upstreamMessage.strip();
        if (text.isEmpty() || text.startsWith("<") || text.toLowerCase().contains("<html")) {
            return status > 0 ? "HTTP " + status : "no usable reply";
        }
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }

    /**
     * The body of a refusal made below the routes (the HTTP layer: sizes, time-outs, malformed requests), in the same
     * envelope as every other error: OpenAI's, or Anthropic's on the Messages surface.
     */
    public static byte[] body(int status, String type, String code, String message, boolean anthropic) {
        ErrorReply reply = new ErrorReply(status, type, code, null, message);
        return Json.bytes(anthropic ? anthropicEnvelope(reply) : envelope(reply));
    }

    static ObjectNode envelope(ErrorReply reply) {
        ObjectNode root = Json.object();
        ObjectNode error = root.putObject("error");
        error.put("message", reply.message);
        error.put("type", reply.type);
        error.put("code", reply.code);
        error.put("param", reply.param);
        root.put("detail", reply.message);
        return root;
    }

    /** Anthropic's shape, {@code {"type":"error","error":{"type","message"}}}, for the Messages surface. */
    static ObjectNode anthropicEnvelope(ErrorReply reply) {
        ObjectNode root = Json.object();
        root.put("type", "error");
        ObjectNode error = root.putObject("error");
        error.put("type", anthropicType(reply.status));
        error.put("message", reply.message);
        return root;
    }

    private static String anthropicType(int status) {
        return switch (status) {
            case 400, 405, 415, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            default -> "api_error";
        };
    }

    record ErrorReply(int status, String type, String code, String param, String message) {
        ErrorReply {
            message = message == null || message.isBlank() ? "HTTP " + status : message;
        }
    }
}
