package org.cameltaas.gateway;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Anthropic, Responses, Codex and Gemini-listing surfaces: their own request rules and error shapes. */
class ProtocolSurfacesTest extends GatewayTestSupport {

    private static JsonNode assertAnthropicError(HttpResponse<String> response, int status, String type) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = Json.parse(response.body());
        assertEquals("error", body.path("type").asText(), response.body());
        assertEquals(type, body.at("/error/type").asText(), response.body());
        assertTrue(body.at("/error/message").asText().length() > 0);
        return body;
    }

    @Test
    void messagesRequiresMaxTokensInTheAnthropicEnvelope() throws Exception {
        JsonNode body = assertAnthropicError(post("/v1/messages",
                "{\"model\":\"claude-sonnet-4\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400,
                "invalid_request_error");
        assertTrue(body.at("/error/message").asText().contains("max_tokens"));
        assertAnthropicError(post("/v1/messages", "{\"model\":\"claude-sonnet-4\",\"max_tokens\":10,\"messages\":[]}"), 400,
                "invalid_request_error");
        assertAnthropicError(post("/v1/messages", "{\"model\":\"x\",\"max_tokens\":10,"
                + "\"messages\":[{\"role\":\"tool\",\"content\":\"no\"}]}"), 400, "invalid_request_error");
        assertAnthropicError(post("/v1/messages", "not json"), 400, "invalid_request_error");
        assertEquals(0, upstream.requestCount());
    }

    @Test
    void messagesAuthenticatesWithXApiKeyAndAnswersAnthropicErrors() throws Exception {
        HttpResponse<String> noKey = send(HttpRequest.newBuilder(URI.create(base() + "/v1/messages"))
                .header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")));
        assertAnthropicError(noKey, 401, "authentication_error");
        HttpResponse<String> unconfigured = send(HttpRequest.newBuilder(URI.create(base() + "/v1/messages"))
                .header("x-api-key", MASTER_KEY).header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gemini-2.5-pro\",\"max_tokens\":5,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")));
        JsonNode error = assertAnthropicError(unconfigured, 503, "overloaded_error");
        assertTrue(error.at("/error/message").asText().contains("GEMINI_API_KEY"));
    }

    @Test
    void codexSurfaceTakesCodexSemanticsOnly() throws Exception {
        assertError(post("/v1/codex/responses", "{\"model\":\"gpt-4o\",\"stream\":true,\"input\":\"a string\"}"), 400,
                "invalid_request_error");
        assertError(post("/v1/codex/responses", "{\"model\":\"gpt-4o\",\"input\":[{\"role\":\"user\",\"content\":\"x\"}]}"), 400,
                "invalid_request_error");
        JsonNode error = assertError(post("/v1/codex/responses",
                "{\"model\":\"gpt-4o\",\"stream\":true,\"input\":[{\"role\":\"user\",\"content\":\"x\"}]}"), 400,
                "model_not_codex_capable");
        assertTrue(error.get("message").asText().contains("gpt-4o"));
        assertEquals(0, upstream.requestCount());
    }

    @Test
    void responsesPassThroughToAnUpstreamThatSpeaksThem() throws Exception {
        String body = "{\"model\":\"gpt-4o\",\"input\":\"what is camel\",\"store\":false}";
        HttpResponse<String> response = post("/v1/responses", body);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("Echo: what is camel", Json.parse(response.body()).at("/output/0/content/0/text").asText());
        assertEquals("/v1/responses", upstream.lastRequest().path());
        assertEquals(body, upstream.lastRequest().bodyText());

        HttpResponse<String> compact = post("/v1/responses/compact", "{\"model\":\"gpt-4o\",\"input\":\"short\",\"stream\":true}");
        assertEquals(200, compact.statusCode(), compact.body());
        JsonNode json = Json.parse(compact.body());
        assertEquals("Echo: short", json.get("output_text").asText());
        assertTrue(json.has("id") && json.has("model") && json.has("usage"));
        assertEquals(4, json.size());
    }

    @Test
    void responsesStreamPassesThrough() throws Exception {
        HttpResponse<String> response = post("/v1/responses", "{\"model\":\"gpt-4o\",\"input\":\"stream\",\"stream\":true}");
        assertEquals(200, response.statusCode());
        assertTrue(response.body().startsWith("event: response.created\n"), response.body());
        assertTrue(response.body().contains("event: response.completed\n"));
    }

    @Test
    void aStreamCutAfterItBeganEndsWithEachProtocolsOwnErrorEvent() throws Exception {
        upstream.enqueue(Script.ok().reply("one two three four five").cutAfterEvents(6));
        HttpResponse<String> messages = post("/v1/messages", "{\"model\":\"claude-sonnet-4\",\"max_tokens\":50,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertEquals(200, messages.statusCode());
        String[] events = messages.body().split("\n\n");
        assertTrue(events[events.length - 1].startsWith("event: error\ndata: {\"type\":\"error\""), messages.body());

        upstream.enqueue(Script.ok().reply("one two three four five").cutAfterEvents(7));
        HttpResponse<String> responses = post("/v1/responses", "{\"model\":\"gpt-4o\",\"stream\":true,\"input\":\"x\"}");
        assertEquals(200, responses.statusCode());
        String[] responseEvents = responses.body().split("\n\n");
        String last = responseEvents[responseEvents.length - 1];
        assertTrue(last.startsWith("event: response.failed\n"), responses.body());
        assertTrue(last.contains("\"status\":\"failed\""));
    }

    @Test
    void audioToAModelWithoutAudioAndHostedToolsAreRefusedWithTheirCodes() throws Exception {
        HttpResponse<String> audio = post("/v1/chat/completions", "{\"model\":\"claude-sonnet-4\",\"messages\":[{\"role\":\"user\","
                + "\"content\":[{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"UklGRg==\",\"format\":\"wav\"}}]}]}");
        assertError(audio, 400, "audio_not_supported_by_model");
        HttpResponse<String> hosted = post("/v1/responses", "{\"model\":\"claude-sonnet-4\",\"input\":\"find news\","
                + "\"tools\":[{\"type\":\"web_search\"}]}");
        JsonNode error = assertError(hosted, 400, "hosted_tool_not_supported");
        assertTrue(error.get("message").asText().contains("web_search"), error.toString());
        assertEquals(0, upstream.requestCount(), "refused before anything was sent");
    }

    @Test
    void geminiModelList() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base() + "/v1beta/models"))
                .header("Authorization", "Bearer " + MASTER_KEY).GET());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode models = Json.parse(response.body()).get("models");
        boolean found = false;
        for (JsonNode m : models) {
            found |= m.get("name").asText().equals("models/gemini-2.5-pro");
            assertTrue(m.get("supportedGenerationMethods").isArray());
        }
        assertTrue(found, response.body());
    }

    @Test
    void responsesValidation() throws Exception {
        assertError(post("/v1/responses", "{\"model\":\"gpt-4o\"}"), 422, null);
        assertError(post("/v1/responses", "{\"model\":\"gpt-4o\",\"input\":5}"), 422, null);
    }
}
