package org.cameltaas.gateway;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;
import org.cameltaas.testkit.RecordedRequest;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Vercel AI SDK ({@code ai}, {@code @ai-sdk/openai}, {@code @ai-sdk/anthropic}) and LangChain JS
 * ({@code @langchain/openai}, {@code @langchain/anthropic}) from npm, pinned, unmodified, against the gateway.
 */
class JsClientsTest extends GatewayTestSupport {

    private static Map<String, JsonNode> run(String script, Map<String, String> extraEnv) throws Exception {
        NodeClients.requirePackage("ai");
        NodeClients.requirePackage("@langchain/core");
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("TAAS_BASE_URL", base() + "/v1");
        env.put("TAAS_ROOT_URL", base());
        env.put("TAAS_KEY", MASTER_KEY);
        NodeClients.Run run = NodeClients.node(script, env, 120);
        assertTrue(run.finished(), script + " finished: " + run.output());
        assertEquals(0, run.exitCode(), run.output());
        Map<String, JsonNode> checks = new HashMap<>();
        for (String line : run.output().split("\n")) {
            if (line.startsWith("{\"check\"")) {
                JsonNode json = Json.parse(line);
                checks.put(json.get("check").asText(), json);
            }
        }
        return checks;
    }

    private static List<RecordedRequest> received(String path) {
        return upstream.requests().stream().filter(r -> r.path().equals(path)).toList();
    }

    @Test
    void aiSdkMultiTurnResponsesOnATranslatedModelAndAnthropicOutputLimit() throws Exception {
        upstream.setDefault(Script.ok().reply("The word was camel."));
        Map<String, JsonNode> checks = run("ai-sdk.mjs",
                Map.of("TAAS_RESPONSES_MODEL", "claude-sonnet-4", "TAAS_ANTHROPIC_MODEL", "claude-sonnet-4"));
        assertEquals("The word was camel.", checks.get("responses-turn-1").path("text").asText(), checks.toString());
        assertEquals("The word was camel.", checks.get("responses-turn-2").path("text").asText(), checks.toString());
        assertEquals("The word was camel.", checks.get("responses-stream").path("text").asText(), checks.toString());
        assertEquals("The word was camel.", checks.get("responses-previous-id").path("text").asText(), checks.toString());
        assertEquals("The word was camel.", checks.get("anthropic").path("text").asText(), checks.toString());

        // what the SDK sent: item_reference on the second turn, previous_response_id on the fourth
        assertTrue(checks.get("responses-turn-2").path("sent").toString().contains("\"item_reference\""),
                checks.get("responses-turn-2").toString());
        assertEquals(checks.get("responses-stream").path("id").asText(),
                checks.get("responses-previous-id").path("sent").path("previous_response_id").asText());
        // GET /v1/responses/{id} answers the stored streamed response
        JsonNode stored = checks.get("responses-get").path("stored");
        assertEquals(checks.get("responses-stream").path("id").asText(), stored.path("id").asText(), stored.toString());
        assertTrue(stored.path("output").toString().contains("The word was camel."), stored.toString());

        List<RecordedRequest> messages = received("/v1/messages");
        assertEquals(5, messages.size(), "four Responses turns translated to Anthropic, one native Messages call");
        // turn 2: the item_reference to turn 1's answer was written out: the upstream sees the whole conversation
        JsonNode turn2 = messages.get(1).bodyJson().path("messages");
        assertEquals(3, turn2.size(), "user, assistant (from the store), user: " + turn2);
        assertEquals("assistant", turn2.get(1).path("role").asText());
        assertTrue(turn2.get(1).toString().contains("The word was camel."), turn2.toString());
        // turn 4 continued the streamed turn by previous_response_id
        JsonNode turn4 = messages.get(3).bodyJson().path("messages");
        assertEquals(3, turn4.size(), "the streamed turn's input and answer, then the new input: " + turn4);
        assertTrue(turn4.get(0).toString().contains("Count to three"), turn4.toString());
        // the AI SDK's Anthropic provider asked more than claude-sonnet-4 can give: clamped to 64,000
        int maxTokens = messages.get(4).bodyJson().path("max_tokens").asInt();
        assertTrue(maxTokens > 0 && maxTokens <= 64000, "max_tokens " + maxTokens);
    }

    @Test
    void langChainOpenAiAndAnthropic() throws Exception {
        upstream.setDefault(Script.ok().reply("Hi from the fake upstream."));
        Map<String, JsonNode> checks = run("langchain.mjs",
                Map.of("TAAS_OPENAI_MODEL", "gpt-4o-mini", "TAAS_ANTHROPIC_MODEL", "claude-sonnet-4"));
        for (String check : List.of("openai", "openai-stream", "anthropic", "anthropic-stream")) {
            assertEquals("Hi from the fake upstream.", checks.get(check).path("text").asText(), check + ": " + checks);
        }
        assertEquals(2, received("/v1/chat/completions").size());
        List<RecordedRequest> messages = received("/v1/messages");
        assertEquals(2, messages.size());
        assertFalse(messages.get(0).bodyJson().path("system").isMissingNode(), "LangChain's system message went as system");
    }
}
