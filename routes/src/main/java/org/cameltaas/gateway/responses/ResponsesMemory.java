package org.cameltaas.gateway.responses;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.cameltaas.component.TaasConstants;
import org.cameltaas.component.TaasStream;
import org.cameltaas.component.http.SseEvent;
import org.cameltaas.component.support.Json;
import org.cameltaas.gateway.GatewayHeaders;
import org.cameltaas.gateway.auth.Principal;
import org.cameltaas.gateway.error.GatewayException;

/**
 * Multi-turn Responses on models the gateway translates (the Vercel AI SDK's default {@code openai()} provider sends
 * the previous turn as {@code item_reference}s, others {@code previous_response_id}): the responses the gateway
 * produced are kept in a {@link ResponseStore}, and a later request that refers to them gets the referred items
 * written out in full before it is routed. References the store does not hold are left for the upstream (OpenAI
 * keeps its own). {@code store: false} keeps nothing.
 */
public class ResponsesMemory {

    public static final String ENV_MAX_MEGABYTES = "TAAS_RESPONSES_STORE_MB";
    public static final String ENV_TTL = "TAAS_RESPONSES_STORE_TTL";
    /** An exchange property the HTTP binding calls with every event of a streamed reply. */
    public static final String STREAM_TAP = "TaasStreamTap";

    private final ResponseStore store;

    public ResponsesMemory(ResponseStore store) {
        this.store = store;
    }

    /** From {@code TAAS_RESPONSES_STORE_MB} (64) and {@code TAAS_RESPONSES_STORE_TTL} (24h), in process. */
    public static ResponsesMemory fromEnv(Map<String, String> env) {
        String mb = env.get(ENV_MAX_MEGABYTES);
        long megabytes;
        try {
            megabytes = mb == null || mb.isBlank() ? CaffeineResponseStore.DEFAULT_MAX_MEGABYTES : Long.parseLong(mb.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(ENV_MAX_MEGABYTES + " must be a number of megabytes, not " + mb);
        }
        String ttl = env.get(ENV_TTL);
        Duration life = ttl == null || ttl.isBlank() ? CaffeineResponseStore.DEFAULT_TTL
                : org.cameltaas.gateway.cache.EmbeddingsCache.parseDuration(ENV_TTL, ttl);
        return new ResponsesMemory(new CaffeineResponseStore(megabytes, life));
    }

    /** Before routing: writes out {@code previous_response_id} and {@code item_reference}s this gateway holds. */
    public void recall(Exchange exchange) {
        ObjectNode request = exchange.getProperty(GatewayHeaders.REQUEST_JSON, ObjectNode.class);
        if (request == null) {
            return;
        }
        String scope = scope(exchange);
        String previousId = Json.textOf(request, "previous_response_id");
        ResponseStore.Stored previous = previousId == null ? null : store.get(scope, previousId);
        JsonNode input = request.get("input");
        boolean references = false;
        if (input != null && input.isArray()) {
            for (JsonNode item : input) {
                references |= "item_reference".equals(Json.textOf(item, "type")) && store.item(scope, Json.textOf(item, "id")) != null;
            }
        }
        if (previous == null && !references) {
            return;
        }
        ObjectNode expanded = request.deepCopy();
        ArrayNode items = Json.MAPPER.createArrayNode();
        if (previous != null) {
            items.addAll(previous.input().deepCopy());
            for (JsonNode item : previous.response().path("output")) {
                items.add(item.deepCopy());
            }
            expanded.remove("previous_response_id");
        }
        for (JsonNode item : asItems(input)) {
            JsonNode referred = "item_reference".equals(Json.textOf(item, "type")) ? store.item(scope, Json.textOf(item, "id")) : null;
            items.add(referred != null ? referred.deepCopy() : item);
        }
        expanded.set("input", items);
        exchange.setProperty(GatewayHeaders.REQUEST_JSON, expanded);
        exchange.getMessage().setBody(Json.bytes(expanded));
    }

    /** After routing: keeps what a translated model answered, unless the request said {@code store: false}. */
    public void keep(Exchange exchange) {
        Message message = exchange.getMessage();
        ObjectNode request = exchange.getProperty(GatewayHeaders.REQUEST_JSON, ObjectNode.class);
        if (request == null || !request.path("store").asBoolean(true)
                || !Boolean.TRUE.equals(message.getHeader(TaasConstants.TRANSLATED, Boolean.class))) {
            return;
        }
        String scope = scope(exchange);
        ArrayNode input = asItems(request.get("input"));
        Object body = message.getBody();
        if (body instanceof ObjectNode response && "response".equals(Json.textOf(response, "object"))) {
            store.put(scope, new ResponseStore.Stored(response.deepCopy(), input));
        } else if (body instanceof TaasStream) {
            Consumer<SseEvent> tap = event -> {
                if ("response.completed".equals(event.event()) || "response.incomplete".equals(event.event())) {
                    try {
                        if (event.json().get("response") instanceof ObjectNode response) {
                            store.put(scope, new ResponseStore.Stored(response.deepCopy(), input));
                        }
                    } catch (Exception e) {
                        // an unreadable final event: nothing to keep, the client got it as it was
                    }
                }
            };
            exchange.setProperty(STREAM_TAP, tap);
        }
    }

    /** {@code GET /v1/responses/{id}}: a response this gateway keeps, else 404. */
    public ObjectNode get(Exchange exchange) {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        String id = path.substring(path.lastIndexOf('/') + 1);
        ResponseStore.Stored stored = store.get(scope(exchange), id);
        if (stored == null) {
            throw new GatewayException(404, "invalid_request_error", "not_found", "response_id",
                    "No response with id '" + id + "' is stored here (responses of translated models are kept, "
                            + "without store: false, for TAAS_RESPONSES_STORE_TTL)");
        }
        return stored.response();
    }

    /** The token's team and project: one project's responses are not another's. */
    private static String scope(Exchange exchange) {
        Principal principal = exchange.getProperty(GatewayHeaders.PRINCIPAL, Principal.class);
        return principal == null ? "anonymous" : principal.team() + "/" + principal.project();
    }

    /** Responses input as a list of items: a plain string is one user message. */
    private static ArrayNode asItems(JsonNode input) {
        ArrayNode items = Json.MAPPER.createArrayNode();
        if (input == null || input.isNull()) {
            return items;
        }
        if (input.isTextual()) {
            items.addObject().put("role", "user").put("content", input.asText());
        } else if (input.isArray()) {
            input.forEach(items::add);
        }
        return items;
    }
}
