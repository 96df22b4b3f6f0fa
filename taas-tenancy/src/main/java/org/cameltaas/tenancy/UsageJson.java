package org.cameltaas.tenancy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A usage event as JSON, in the field names of the admin API. The journal line has {@code created_at_ms}
 * (milliseconds); the API answers {@code created_at} in seconds like every other object.
 */
public final class UsageJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private UsageJson() {
    }

    /** One journal line, newline-terminated. */
    public static byte[] line(UsageEvent e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("request_id", e.requestId());
            json.writeNumberField("created_at_ms", e.createdAt());
            fields(json, e);
            json.writeEndObject();
        } catch (IOException ex) {
            throw new IllegalStateException("a usage event did not serialise", ex); // an in-memory stream does not fail
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** The batch as JSON Lines in the API's shape: for an operator's second destination (a file, a topic). */
    public static String lines(List<UsageEvent> batch) {
        StringBuilder text = new StringBuilder(batch.size() * 400);
        for (UsageEvent event : batch) {
            text.append(api(event)).append('\n');
        }
        return text.toString();
    }

    public static UsageEvent parseLine(byte[] bytes, int offset, int length) {
        try {
            JsonNode n = MAPPER.readTree(bytes, offset, length);
            return new UsageEvent(n.path("request_id").asText(), n.path("created_at_ms").asLong(), text(n, "session_id"),
                    text(n, "token_id"), text(n, "team_id"), text(n, "project_id"), text(n, "surface"),
                    text(n, "model_requested"), text(n, "model_used"), text(n, "provider"), n.path("fallback_depth").asInt(),
                    n.path("prompt_tokens").asInt(), n.path("completion_tokens").asInt(), n.path("cached_tokens").asInt(),
                    n.path("status").asInt(), text(n, "error_code"), number(n, "latency_ms"), number(n, "ttft_ms"),
                    n.path("outcome").asText(UsageEvent.COMPLETED),
                    n.hasNonNull("credits") ? n.get("credits").decimalValue() : null, text(n, "credit_lease"),
                    number(n, "upstream_ms"));
        } catch (IOException ex) {
            throw new IllegalArgumentException("not a usage event line", ex);
        }
    }

    /** The admin API's usage event object. */
    public static ObjectNode api(UsageEvent e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("object", "usage_event");
        n.put("request_id", e.requestId());
        n.put("created_at", e.createdAt() / 1000);
        n.put("session_id", e.sessionId());
        n.put("token_id", e.tokenId());
        n.put("team_id", e.teamId());
        n.put("project_id", e.projectId());
        n.put("surface", e.surface());
        n.put("model_requested", e.modelRequested());
        n.put("model_used", e.modelUsed());
        n.put("provider", e.provider());
        n.put("fallback_depth", e.fallbackDepth());
        n.put("prompt_tokens", e.promptTokens());
        n.put("completion_tokens", e.completionTokens());
        n.put("cached_tokens", e.cachedTokens());
        n.put("status", e.status());
        n.put("error_code", e.errorCode());
        n.put("latency_ms", e.latencyMs());
        n.put("ttft_ms", e.ttftMs());
        n.put("upstream_ms", e.upstreamMs());
        n.put("outcome", e.outcome());
        n.put("credits", e.credits());
        return n;
    }

    private static void fields(JsonGenerator json, UsageEvent e) throws IOException {
        string(json, "session_id", e.sessionId());
        string(json, "token_id", e.tokenId());
        string(json, "team_id", e.teamId());
        string(json, "project_id", e.projectId());
        string(json, "surface", e.surface());
        string(json, "model_requested", e.modelRequested());
        string(json, "model_used", e.modelUsed());
        string(json, "provider", e.provider());
        json.writeNumberField("fallback_depth", e.fallbackDepth());
        json.writeNumberField("prompt_tokens", e.promptTokens());
        json.writeNumberField("completion_tokens", e.completionTokens());
        json.writeNumberField("cached_tokens", e.cachedTokens());
        json.writeNumberField("status", e.status());
        string(json, "error_code", e.errorCode());
        if (e.latencyMs() != null) {
            json.writeNumberField("latency_ms", e.latencyMs());
        }
        if (e.ttftMs() != null) {
            json.writeNumberField("ttft_ms", e.ttftMs());
        }
        if (e.upstreamMs() != null) {
            json.writeNumberField("upstream_ms", e.upstreamMs());
        }
        json.writeStringField("outcome", e.outcome());
        if (e.credits() != null) {
            json.writeNumberField("credits", e.credits());
        }
        string(json, "credit_lease", e.creditLease());
    }

    private static void string(JsonGenerator json, String field, String value) throws IOException {
        if (value != null) {
            json.writeStringField(field, value);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Double number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asDouble();
    }
}
