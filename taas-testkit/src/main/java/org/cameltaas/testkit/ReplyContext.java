package org.cameltaas.testkit;

import com.fasterxml.jackson.databind.JsonNode;

/** Everything a reply builder needs about one request. */
final class ReplyContext {

    private final RecordedRequest request;
    private final JsonNode json;
    private final Script script;
    private final Ids ids;
    private final String baseUrl;

    ReplyContext(RecordedRequest request, JsonNode json, Script script, Ids ids, String baseUrl) {
        this.request = request;
        this.json = json;
        this.script = script;
        this.ids = ids;
        this.baseUrl = baseUrl;
    }

    RecordedRequest request() {
        return request;
    }

    /** The parsed JSON body; a MissingNode-like empty object for non-JSON endpoints. */
    JsonNode json() {
        return json;
    }

    Script script() {
        return script;
    }

    String id(String prefix) {
        return ids.next(prefix);
    }

    String baseUrl() {
        return baseUrl;
    }

    /** The assistant turn, echoing {@code lastUserText} unless the script says otherwise. */
    Completion completion(String lastUserText) {
        return Completion.of(script, lastUserText, RequestTexts.all(json));
    }

    /** The scripted error message, or the provider's usual one. */
    String errorMessage(String fallback) {
        return script.errorMessage() != null ? script.errorMessage() : fallback;
    }

    String model(String fallback) {
        JsonNode model = json.path("model");
        return model.isTextual() ? model.asText() : fallback;
    }

    static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }
}
