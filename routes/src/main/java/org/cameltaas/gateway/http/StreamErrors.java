package org.cameltaas.gateway.http;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.component.support.Json;

/**
 * The event that ends a stream which failed after it began, in the inbound protocol's own shape, so the client's
 * SDK raises an error instead of seeing a silent cut.
 */
public final class StreamErrors {

    private StreamErrors() {
    }

    /** OpenAI Chat Completions: a chunk with an {@code error} object, as OpenAI itself sends. */
    public static byte[] openAi(Throwable failure) {
        ObjectNode root = Json.object();
        ObjectNode error = root.putObject("error");
        error.put("message", message(failure));
        error.put("type", failure instanceof TaasUpstreamException ? "upstream_error" : "server_error");
        error.put("code", code(failure));
        error.putNull("param");
        return ("data: " + Json.text(root) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Anthropic Messages: {@code event: error}, which the Anthropic SDKs raise. */
    public static byte[] anthropic(Throwable failure) {
        ObjectNode root = Json.object();
        root.put("type", "error");
        ObjectNode error = root.putObject("error");
        error.put("type", failure instanceof TaasUpstreamException e && e.getFailure().name().endsWith("TIMEOUT")
                ? "timeout_error" : "api_error");
        error.put("message", message(failure));
        return ("event: error\ndata: " + Json.text(root) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** OpenAI Responses: {@code response.failed}, which the Responses SDKs and the Codex CLI treat as the end. */
    public static byte[] responses(Throwable failure) {
        ObjectNode root = Json.object();
        root.put("type", "response.failed");
        ObjectNode response = root.putObject("response");
        response.put("object", "response");
        response.put("status", "failed");
        ObjectNode error = response.putObject("error");
        error.put("code", code(failure));
        error.put("message", message(failure));
        return ("event: response.failed\ndata: " + Json.text(root) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The error event for a surface's style ("anthropic", "responses", else OpenAI chat). */
    public static byte[] forStyle(Object style, Throwable failure) {
        if ("anthropic".equals(style)) {
            return anthropic(failure);
        }
        if ("responses".equals(style)) {
            return responses(failure);
        }
        return openAi(failure);
    }

    private static String message(Throwable failure) {
        if (failure instanceof TaasUpstreamException e) {
            return e.getUpstreamMessage() != null ? e.getProvider() + " upstream failed mid-stream: " + e.getUpstreamMessage()
                    : e.getMessage();
        }
        return "The stream failed inside the gateway";
    }

    private static String code(Throwable failure) {
        if (failure instanceof TaasUpstreamException e) {
            return switch (e.getFailure()) {
                case IDLE_TIMEOUT, TOTAL_TIMEOUT, FIRST_TOKEN_TIMEOUT -> "upstream_timeout";
                case STREAM_CUT -> "upstream_stream_cut";
                case MALFORMED -> "upstream_malformed";
                default -> e.getErrorCode() != null ? e.getErrorCode() : "upstream_error";
            };
        }
        return "internal_error";
    }
}
