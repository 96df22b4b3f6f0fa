package org.cameltaas.component.provider.anthropic;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.provider.ModelList;
import org.cameltaas.component.support.Json;

/** Anthropic's model list ({@code created_at} as RFC 3339) as OpenAI's ({@code created} in epoch seconds). */
final class ModelListTranslator {

    private ModelListTranslator() {
    }

    static ObjectNode translate(JsonNode anthropicList) {
        ModelList list = new ModelList(AnthropicProvider.NAME);
        for (JsonNode model : anthropicList.path("data")) {
            list.add(Json.textOf(model, "id"), epochSeconds(Json.textOf(model, "created_at")));
        }
        return list.json();
    }

    /** 0 for a missing or unreadable date: the field is informative, not worth failing the list for. */
    static long epochSeconds(String rfc3339) {
        if (rfc3339 == null) {
            return 0;
        }
        try {
            return OffsetDateTime.parse(rfc3339).toEpochSecond();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }
}
