package org.cameltaas.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.main.Main;
import org.cameltaas.testkit.FakeUpstream;
import org.cameltaas.testkit.RecordedRequest;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Claude Code (npm @anthropic-ai/claude-code, headless {@code claude -p}, telemetry and non-essential traffic off)
 * through the gateway: to a Claude model (passthrough: its anthropic-beta header and body reach the upstream) and to
 * an OpenAI model (translated: max_tokens clamped to the model's limit, its system turns mapped). The gateway's
 * upstreams are set the way Anthropic's own SDKs take them, as host roots without /v1; Claude Code too is given the
 * gateway's host root.
 */
class ClaudeCodeTest {

    private static final String KEY = "taas_claude_code_test_key_01";
    private static FakeUpstream upstream;
    private static Main gateway;
    private static int port;
    private static Path dir;

    @BeforeAll
    static void start() throws Exception {
        NodeClients.bin("claude");
        upstream = FakeUpstream.start();
        port = GatewayTestSupport.freePort();
        dir = Files.createTempDirectory("taas-claude-code");
        Map<String, String> env = new HashMap<>();
        env.put("TAAS_HOST", "127.0.0.1");
        env.put("TAAS_PORT", String.valueOf(port));
        env.put("TAAS_MASTER_KEY", KEY);
        env.put("TAAS_DATA_DIR", dir.resolve("data").toString());
        env.put("TAAS_LOCAL_MODELS", "false");
        env.put("ANTHROPIC_BASE_URL", upstream.baseUrl());      // the host root, Anthropic's convention
        env.put("ANTHROPIC_API_KEY", "sk-ant-upstream-cc");
        env.put("OPENAI_BASE_URL", upstream.baseUrl() + "/");   // the host root too, with a trailing slash
        env.put("OPENAI_API_KEY", "sk-upstream-cc");
        gateway = Gateway.create(env);
        gateway.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.stop();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private static NodeClients.Run claude(String model, String prompt) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home-" + model));
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + port);
        env.put("ANTHROPIC_API_KEY", KEY);
        env.put("DISABLE_TELEMETRY", "1");
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        env.put("DISABLE_ERROR_REPORTING", "1");
        env.put("CI", "1");
        Path work = Files.createDirectories(dir.resolve("work-" + model));
        return NodeClients.run(List.of(NodeClients.bin("claude").getAbsolutePath(), "-p", prompt, "--model", model),
                work.toFile(), env, 120);
    }

    private static List<RecordedRequest> received(String path) {
        return upstream.requests().stream().filter(r -> r.path().equals(path)).toList();
    }

    @Test
    void claudeModelPassesThroughWithTheBetaHeaderAndBody() throws Exception {
        upstream.reset();
        upstream.setDefault(Script.ok().reply("Hello from the fake Claude."));
        NodeClients.Run run = claude("claude-sonnet-4", "Say hello");
        assertTrue(run.finished(), "claude finished: " + run.output());
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("Hello from the fake Claude."), run.output());

        List<RecordedRequest> messages = received("/v1/messages");
        assertFalse(messages.isEmpty(), "the upstream got /v1/messages (the host root base URL gained /v1)");
        RecordedRequest main = messages.stream()
                .filter(r -> r.bodyJson().path("model").asText().equals("claude-sonnet-4-20250514")).findFirst()
                .orElseThrow(() -> new AssertionError("no request for the catalog's upstream model: " + messages));
        String beta = main.header("anthropic-beta");
        assertTrue(beta != null && beta.contains("claude-code"), "Claude Code's betas reach Anthropic: " + main.headers());
        assertEquals("2023-06-01", main.header("anthropic-version"));
        assertEquals("sk-ant-upstream-cc", main.header("x-api-key"), "the gateway's key, not the client's");
        assertNull(main.header("authorization"));
        assertTrue(main.bodyJson().path("max_tokens").asInt() <= 64000, "within claude-sonnet-4's output limit");
    }

    @Test
    void openAiModelGetsATranslatedClampedRequest() throws Exception {
        upstream.reset();
        upstream.setDefault(Script.ok().reply("Hello from the fake GPT."));
        NodeClients.Run run = claude("gpt-4o-mini", "Say hello");
        assertTrue(run.finished(), "claude finished: " + run.output());
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("Hello from the fake GPT."), run.output());

        List<RecordedRequest> chats = received("/v1/chat/completions");
        RecordedRequest main = chats.stream().filter(r -> r.bodyJson().path("model").asText().equals("gpt-4o-mini"))
                .findFirst().orElseThrow(() -> new AssertionError("no chat request for gpt-4o-mini: " + upstream.requests()));
        JsonNode body = main.bodyJson();
        int limit = body.has("max_completion_tokens") ? body.get("max_completion_tokens").asInt() : body.path("max_tokens").asInt();
        assertTrue(limit > 0 && limit <= 16384, "Claude Code's max_tokens clamped to gpt-4o-mini's 16,384: " + body);
        assertEquals("system", body.path("messages").get(0).path("role").asText(), "the system prompt first");
        assertNull(main.header("anthropic-beta"), "Anthropic's betas have no OpenAI counterpart: dropped");
        assertNull(main.header("anthropic-version"));
        assertEquals("Bearer sk-upstream-cc", main.header("authorization"));
    }
}
