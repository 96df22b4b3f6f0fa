package org.cameltaas.gateway;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;
import org.cameltaas.testkit.RecordedRequest;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What popular clients send and call (issue 12), over plain HTTP: headers, system turns, limits, sessions, endpoints. */
class ClientCompatibilityTest extends GatewayTestSupport {

    private static HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", "Bearer " + MASTER_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", "Bearer " + MASTER_KEY).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    private static final String MESSAGES = """
            {"model":"%s","max_tokens":100,"messages":[{"role":"user","content":"Hi"}]}""";
    private static final String CHAT = """
            {"model":"%s","messages":[{"role":"user","content":"Hi"}]}""";

    // 1. provider headers

    @Test
    void anthropicHeadersPassThroughToAnthropicOnly() throws Exception {
        HttpResponse<String> reply = post("/v1/messages", MESSAGES.formatted("claude-sonnet-4"),
                "anthropic-beta", "claude-code-20250219,context-management-2025-06-27", "anthropic-version", "2023-06-01",
                "x-unlisted-header", "stays-here");
        assertEquals(200, reply.statusCode(), reply.body());
        RecordedRequest sent = upstream.lastRequest();
        assertEquals("/v1/messages", sent.path());
        assertEquals("claude-code-20250219,context-management-2025-06-27", sent.header("anthropic-beta"));
        assertEquals(ANTHROPIC_KEY, sent.header("x-api-key"));
        assertNull(sent.header("x-unlisted-header"), "only the allow-list is forwarded");

        // translated to an OpenAI model: Anthropic's headers have no counterpart there
        upstream.reset();
        assertEquals(200, post("/v1/messages", MESSAGES.formatted("gpt-4o-mini"),
                "anthropic-beta", "claude-code-20250219").statusCode());
        assertEquals("/v1/chat/completions", upstream.lastRequest().path());
        assertNull(upstream.lastRequest().header("anthropic-beta"));
    }

    @Test
    void aChatRequestToClaudeGetsTheBetasButKeepsTheTranslationsVersion() throws Exception {
        assertEquals(200, post("/v1/chat/completions", CHAT.formatted("claude-sonnet-4"),
                "anthropic-beta", "interleaved-thinking-2025-05-14", "anthropic-version", "2099-01-01").statusCode());
        RecordedRequest sent = upstream.lastRequest();
        assertEquals("/v1/messages", sent.path());
        assertEquals("interleaved-thinking-2025-05-14", sent.header("anthropic-beta"));
        assertEquals("2023-06-01", sent.header("anthropic-version"));
    }

    @Test
    void openAiHeadersPassThroughToOpenAiOnly() throws Exception {
        assertEquals(200, post("/v1/chat/completions", CHAT.formatted("gpt-4o"), "OpenAI-Beta", "assistants=v2",
                "OpenAI-Organization", "org-1", "OpenAI-Project", "proj-1", "anthropic-beta", "x").statusCode());
        RecordedRequest sent = upstream.lastRequest();
        assertEquals("assistants=v2", sent.header("openai-beta"));
        assertEquals("org-1", sent.header("openai-organization"));
        assertEquals("proj-1", sent.header("openai-project"));
        assertNull(sent.header("anthropic-beta"));
        assertEquals("Bearer " + UPSTREAM_KEY, sent.header("authorization"));

        upstream.reset();
        assertEquals(200, post("/v1/chat/completions", CHAT.formatted("claude-sonnet-4"), "OpenAI-Organization", "org-1")
                .statusCode());
        assertNull(upstream.lastRequest().header("openai-organization"), "no Anthropic counterpart: dropped");
    }

    // 2. system turns inside messages

    @Test
    void aSystemTurnInsideMessagesPassesThroughUntouchedAndIsMappedOnTranslation() throws Exception {
        String body = """
                {"model":"claude-sonnet-4","max_tokens":100,"messages":[{"role":"user","content":"Hi"},\
                {"role":"assistant","content":"Hello"},{"role":"system","content":"Answer in French"},\
                {"role":"user","content":"How are you?"}]}""";
        HttpResponse<String> native_ = post("/v1/messages", body);
        assertEquals(200, native_.statusCode(), native_.body());
        assertEquals(body.replace("claude-sonnet-4", "claude-sonnet-4-20250514"), upstream.lastRequest().bodyText(),
                "the client's bytes reach Anthropic, only the model renamed to the upstream's");

        upstream.reset();
        HttpResponse<String> translated = post("/v1/messages", body.replace("claude-sonnet-4", "gpt-4o-mini"));
        assertEquals(200, translated.statusCode(), translated.body());
        JsonNode messages = upstream.lastRequest().bodyJson().path("messages");
        assertEquals("system", messages.get(2).path("role").asText(), messages.toString());
        assertEquals("Answer in French", messages.get(2).path("content").asText());
    }

    // 3. per-model output limits

    @Test
    void outputLimitsOfTheCatalogClampRequests() throws Exception {
        assertEquals(200, post("/v1/chat/completions", """
                {"model":"gpt-4o-mini","max_completion_tokens":32000,"messages":[{"role":"user","content":"Hi"}]}""")
                .statusCode());
        assertEquals(16384, upstream.lastRequest().bodyJson().path("max_completion_tokens").asInt());

        upstream.reset();
        assertEquals(200, post("/v1/messages", """
                {"model":"claude-sonnet-4","max_tokens":128000,"thinking":{"type":"enabled","budget_tokens":127999},\
                "messages":[{"role":"user","content":"Hi"}]}""").statusCode());
        JsonNode sent = upstream.lastRequest().bodyJson();
        assertEquals(64000, sent.path("max_tokens").asInt());
        assertTrue(sent.at("/thinking/budget_tokens").asInt() < 64000, "the budget stays below max_tokens: " + sent);

        upstream.reset();
        assertEquals(200, post("/v1/chat/completions", """
                {"model":"some-model","max_tokens":500000,"messages":[{"role":"user","content":"Hi"}]}""").statusCode());
        assertEquals(500000, upstream.lastRequest().bodyJson().path("max_tokens").asInt(), "no limit known: untouched");
    }

    // 6. sessions

    @Test
    void sessionIdsClientsSendAreHonoured() throws Exception {
        assertEquals("cc-session-1", post("/v1/messages", MESSAGES.formatted("claude-sonnet-4"),
                "x-claude-code-session-id", "cc-session-1").headers().firstValue("x-session-id").orElseThrow());
        String jsonUserId = """
                {"model":"claude-sonnet-4","max_tokens":10,"metadata":{"user_id":"{\\"device_id\\":\\"d1\\",\\"account_uuid\\":\\"\\",\\"session_id\\":\\"9b2c4a10-0000-4000-8000-000000000001\\"}"},\
                "messages":[{"role":"user","content":"Hi"}]}""";
        assertEquals("9b2c4a10-0000-4000-8000-000000000001",
                post("/v1/messages", jsonUserId).headers().firstValue("x-session-id").orElseThrow());
        String legacyUserId = """
                {"model":"claude-sonnet-4","max_tokens":10,"metadata":{"user_id":"user_abc_account__session_1f2e3d4c-aaaa-bbbb"},\
                "messages":[{"role":"user","content":"Hi"}]}""";
        assertEquals("1f2e3d4c-aaaa-bbbb", post("/v1/messages", legacyUserId).headers().firstValue("x-session-id").orElseThrow());
        // OpenAI's user is not a session unless configured (TAAS_SESSION_FROM_USER)
        assertNotEquals("alice", post("/v1/chat/completions", """
                {"model":"gpt-4o","user":"alice","messages":[{"role":"user","content":"Hi"}]}""")
                .headers().firstValue("x-session-id").orElseThrow());
    }

    @Test
    void theImplicitSessionIgnoresCacheControlMovingBetweenTurns() throws Exception {
        String turn1 = """
                {"model":"claude-sonnet-4","max_tokens":10,"messages":[{"role":"user","content":[\
                {"type":"text","text":"Fix the bug","cache_control":{"type":"ephemeral"}}]}]}""";
        String turn2 = """
                {"model":"claude-sonnet-4","max_tokens":10,"messages":[{"role":"user","content":[\
                {"type":"text","text":"Fix the bug"}]},{"role":"assistant","content":"Done"},\
                {"role":"user","content":[{"type":"text","text":"Thanks","cache_control":{"type":"ephemeral"}}]}]}""";
        String first = post("/v1/messages", turn1).headers().firstValue("x-session-id").orElseThrow();
        assertTrue(first.startsWith("sess_"), first);
        assertEquals(first, post("/v1/messages", turn2).headers().firstValue("x-session-id").orElseThrow());
    }

    // 5. endpoints

    @Test
    void countTokensIsNativeOnAnthropicAndAnEstimateElsewhere() throws Exception {
        String body = """
                {"model":"%s","messages":[{"role":"user","content":"Hello, how many tokens is this sentence?"}]}""";
        HttpResponse<String> claude = post("/v1/messages/count_tokens", body.formatted("claude-sonnet-4"),
                "anthropic-beta", "token-counting-2024-11-01");
        assertEquals(200, claude.statusCode(), claude.body());
        assertEquals("/v1/messages/count_tokens", upstream.lastRequest().path());
        assertEquals("token-counting-2024-11-01", upstream.lastRequest().header("anthropic-beta"));
        assertTrue(Json.parse(claude.body()).path("input_tokens").asInt() > 0, claude.body());

        upstream.reset();
        HttpResponse<String> gpt = post("/v1/messages/count_tokens", body.formatted("gpt-4o"));
        assertEquals(200, gpt.statusCode(), gpt.body());
        int tokens = Json.parse(gpt.body()).path("input_tokens").asInt();
        assertTrue(tokens >= 10 && tokens <= 20, "o200k counts about a dozen tokens: " + gpt.body());
        assertTrue(upstream.requests().isEmpty(), "estimated in process");

        HttpResponse<String> invalid = post("/v1/messages/count_tokens", "{\"model\":\"gpt-4o\"}");
        assertEquals(400, invalid.statusCode());
        assertEquals("error", Json.parse(invalid.body()).path("type").asText(), "Anthropic's envelope: " + invalid.body());
    }

    @Test
    void modelsOneByOneAndInAnthropicsShape() throws Exception {
        JsonNode gpt = Json.parse(get("/v1/models/gpt-4o").body());
        assertEquals("gpt-4o", gpt.path("id").asText());
        assertEquals("model", gpt.path("object").asText());
        JsonNode claude = Json.parse(get("/v1/models/claude-sonnet-4", "anthropic-version", "2023-06-01").body());
        assertEquals("model", claude.path("type").asText(), claude.toString());
        assertEquals("claude-sonnet-4", claude.path("display_name").asText());
        assertTrue(claude.path("created_at").asText().endsWith("Z"), claude.toString());
        assertEquals("local/all-minilm-l6-v2", Json.parse(get("/v1/models/local/all-minilm-l6-v2").body()).path("id").asText());

        JsonNode list = Json.parse(get("/v1/models", "anthropic-version", "2023-06-01").body());
        assertFalse(list.path("has_more").asBoolean(true), list.toString());
        assertEquals("model", list.path("data").get(0).path("type").asText());
        assertEquals(list.path("data").get(0).path("id").asText(), list.path("first_id").asText());
        JsonNode openAiList = Json.parse(get("/v1/models").body());
        assertEquals("list", openAiList.path("object").asText());
        for (JsonNode model : openAiList.path("data")) {
            // the gateway's own routes are not models (a route id model-<x> would be listed and routed to as one)
            assertFalse(model.path("id").asText().equals("get") || model.path("id").asText().equals("retrieve"),
                    openAiList.toString());
        }

        assertError(get("/v1/models/no-such-model"), 404, "model_not_found");
        HttpResponse<String> anthropic404 = get("/v1/models/no-such-model", "anthropic-version", "2023-06-01");
        assertEquals(404, anthropic404.statusCode());
        assertEquals("not_found_error", Json.parse(anthropic404.body()).at("/error/type").asText(), anthropic404.body());
    }

    @Test
    void completionsAndModerationsPassThrough() throws Exception {
        upstream.setDefault(Script.ok().reply("Once upon a time"));
        HttpResponse<String> completion = post("/v1/completions",
                "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Tell a story\",\"max_tokens\":5}");
        assertEquals(200, completion.statusCode(), completion.body());
        assertEquals("Once upon a time", Json.parse(completion.body()).at("/choices/0/text").asText());
        assertEquals("/v1/completions", upstream.lastRequest().path());

        HttpResponse<String> streamed = post("/v1/completions",
                "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Tell a story\",\"stream\":true}");
        assertEquals(200, streamed.statusCode(), streamed.body());
        assertTrue(streamed.body().contains("\"text\"") && streamed.body().contains("[DONE]"), streamed.body());

        HttpResponse<String> moderation = post("/v1/moderations", "{\"input\":\"I like camels\"}");
        assertEquals(200, moderation.statusCode(), moderation.body());
        assertFalse(Json.parse(moderation.body()).at("/results/0/flagged").asBoolean(true));
        assertEquals("/v1/moderations", upstream.lastRequest().path());
        assertEquals("{\"input\":\"I like camels\"}", upstream.lastRequest().bodyText(), "passed through as sent");
        assertError(post("/v1/moderations", "{\"model\":\"omni-moderation-latest\"}"), 422, "invalid_value");
    }

    // 4. the responses store

    @Test
    void storedResponsesAreKeptPerProjectAndStoreFalseKeepsNothing() throws Exception {
        JsonNode kept = Json.parse(post("/v1/responses", "{\"model\":\"claude-sonnet-4\",\"input\":\"Hi\"}").body());
        String id = kept.path("id").asText();
        HttpResponse<String> found = get("/v1/responses/" + id);
        assertEquals(200, found.statusCode(), found.body());
        assertEquals(id, Json.parse(found.body()).path("id").asText());
        // another project does not see it
        HttpResponse<String> other = send(HttpRequest.newBuilder(URI.create(base() + "/v1/responses/" + id))
                .header("Authorization", "Bearer " + LIMITED_TOKEN).GET());
        assertError(other, 404, "not_found");

        JsonNode notKept = Json.parse(post("/v1/responses", "{\"model\":\"claude-sonnet-4\",\"input\":\"Hi\",\"store\":false}").body());
        assertError(get("/v1/responses/" + notKept.path("id").asText()), 404, "not_found");

        // previous_response_id on a translated model now works (it was refused)
        upstream.reset();
        HttpResponse<String> next = post("/v1/responses",
                "{\"model\":\"gpt-4o-mini\",\"input\":\"And now?\",\"previous_response_id\":\"" + id + "\"}");
        assertEquals(200, next.statusCode(), next.body());
        assertEquals("/v1/responses", upstream.lastRequest().path(), "gpt-4o-mini speaks Responses natively");
        JsonNode input = upstream.lastRequest().bodyJson().path("input");
        assertEquals(3, input.size(), "the stored turn written out for an upstream that never saw it: " + input);
        assertFalse(upstream.lastRequest().bodyJson().has("previous_response_id"));
    }
}
