package org.cameltaas.gateway;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.main.Main;
import org.cameltaas.testkit.FakeUpstream;
import org.cameltaas.testkit.RecordedRequest;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Codex CLI (npm @openai/codex, custom provider with wire_api = "responses") completes a turn with a tool call
 * through the gateway, in front of an upstream that speaks chat completions only. The build installs the CLI (src/test/js).
 */
class CodexCliTest {

    private static final String KEY = "taas_codex_test_key_0001";

    @Test
    void codexCompletesATurnWithAToolCallOverAChatOnlyUpstream() throws Exception {
        File codex = NodeClients.bin("codex");

        Path dir = Files.createTempDirectory("taas-codex");
        Path routes = Files.createDirectories(dir.resolve("routes"));
        GatewayTestSupport.copyShippedRoutes(routes);
        // a chat-only deployment; Codex's hosted web_search tool cannot run there, so it is dropped
        Files.writeString(routes.resolve("codex-model.camel.yaml"), """
                - templatedRoute:
                    routeTemplateRef: model
                    routeId: model-codex-chat
                    parameters:
                      - name: name
                        value: codex-chat
                      - name: upstreamModel
                        value: local-chat-model
                      - name: baseUrl
                        value: "{{taas.openai.baseUrl}}"
                      - name: chatOnly
                        value: "true"
                      - name: dropUnsupportedTools
                        value: "true"
                """);
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.enqueue(Script.ok().toolCall("exec_command", "{\"cmd\":\"echo camel-taas-codex-marker\"}"));
            upstream.setDefault(Script.ok().reply("All done, the command printed the marker."));
            int port = GatewayTestSupport.freePort();
            Map<String, String> env = new HashMap<>();
            env.put("TAAS_HOST", "127.0.0.1");
            env.put("TAAS_PORT", String.valueOf(port));
            env.put("TAAS_MASTER_KEY", KEY);
            env.put("TAAS_DATA_DIR", dir.resolve("data").toString());
            env.put("TAAS_ROUTES_DIR", routes.toString());
            env.put("OPENAI_BASE_URL", upstream.baseUrl() + "/v1");
            Main gateway = Gateway.create(env);
            gateway.start();
            try {
                Path home = Files.createDirectories(dir.resolve("codex-home"));
                Files.writeString(home.resolve("config.toml"), """
                        model = "codex-chat"
                        model_provider = "taas"

                        [model_providers.taas]
                        name = "camel-taas"
                        base_url = "http://127.0.0.1:%d/v1"
                        env_key = "TAAS_KEY"
                        wire_api = "responses"
                        """.formatted(port));
                Path work = Files.createDirectories(dir.resolve("work"));
                ProcessBuilder pb = new ProcessBuilder(codex.getAbsolutePath(), "exec", "--skip-git-repo-check", "-s", "read-only",
                        "Run echo camel-taas-codex-marker and tell me what it printed")
                        .directory(work.toFile()).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                pb.environment().put("CODEX_HOME", home.toString());
                pb.environment().put("TAAS_KEY", KEY);
                Process process = pb.start();
                boolean finished = process.waitFor(120, TimeUnit.SECONDS);
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!finished) {
                    process.destroyForcibly();
                }
                assertTrue(finished, "codex finished: " + output);
                assertEquals(0, process.exitValue(), output);
                assertTrue(output.contains("All done, the command printed the marker."), output);

                List<RecordedRequest> received = upstream.requests();
                assertTrue(received.size() >= 2, "a tool round trip: " + received.size() + " upstream requests");
                for (RecordedRequest r : received) {
                    assertEquals("/v1/chat/completions", r.path(), "the upstream only ever sees chat completions");
                    assertEquals("local-chat-model", r.bodyJson().get("model").asText());
                    for (JsonNode tool : r.bodyJson().path("tools")) {
                        assertEquals("function", tool.get("type").asText(), "hosted tools were dropped");
                    }
                }
                JsonNode second = received.get(1).bodyJson();
                boolean sawCall = false;
                boolean sawOutput = false;
                for (JsonNode message : second.path("messages")) {
                    for (JsonNode call : message.path("tool_calls")) {
                        sawCall |= call.at("/function/name").asText().equals("exec_command");
                    }
                    if ("tool".equals(message.path("role").asText())) {
                        sawOutput |= message.path("content").asText().contains("camel-taas-codex-marker");
                    }
                }
                assertTrue(sawCall, "the second request carries the assistant's tool call: " + second);
                assertTrue(sawOutput, "and the command's output as a tool message: " + second);
                assertFalse(output.contains(KEY));
            } finally {
                gateway.stop();
            }
        }
    }
}
