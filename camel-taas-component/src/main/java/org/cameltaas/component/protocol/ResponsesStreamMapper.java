package org.cameltaas.component.protocol;

import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.component.UpstreamError;
import org.cameltaas.component.http.SseEvent;
import org.cameltaas.component.support.Json;

/** OpenAI Responses events, passed on as they are. */
public final class ResponsesStreamMapper extends ProtocolStreamMapper {

    /** Events that announce structure but carry no content yet. */
    private static final Set<String> PRELUDE = Set.of("response.created", "response.in_progress", "response.queued",
            "response.output_item.added", "response.content_part.added", "response.reasoning_summary_part.added");

    public ResponsesStreamMapper(String provider) {
        super(provider);
    }

    @Override
    protected void handle(SseEvent event, JsonNode json, Consumer<SseEvent> out) throws TaasUpstreamException {
        String type = typeOf(event, json);
        JsonNode response = json.path("response");
        if (model == null) {
            model = Json.textOf(response, "model");
        }
        switch (type) {
            case "error" -> throw error(new UpstreamError(Json.textOf(json, "message"), "error",
                    Json.textOf(json, "code"), Json.textOf(json, "param"), event.data()));
            case "response.failed" -> {
                JsonNode err = response.path("error");
                throw error(new UpstreamError(Json.textOf(err, "message"), "response.failed", Json.textOf(err, "code"),
                        null, event.data()));
            }
            case "response.completed", "response.incomplete" -> {
                usage = Usages.of(response.get("usage"));
                content = true;
                finished = true;
            }
            default -> {
                if (!PRELUDE.contains(type)) {
                    content = true;
                }
            }
        }
        out.accept(event);
    }
}
