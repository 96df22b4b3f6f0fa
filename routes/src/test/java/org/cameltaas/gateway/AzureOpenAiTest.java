package org.cameltaas.gateway;

import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;
import org.cameltaas.testkit.FakeUpstream;
import org.cameltaas.testkit.RecordedRequest;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code azure/<deployment>} through the gateway to Azure OpenAI's deployment URLs (the fake upstream speaks them):
 * chat, a stream, and Anthropic Messages translated to the deployment's chat completions.
 */
class AzureOpenAiTest {

    static final String MASTER = "taas_azure_master_key_00001";
    static final String AZURE_KEY = "azure-key-0123456789abcdef";

    static LoopbackGateway gateway;
    static FakeUpstream upstream;

    @BeforeAll
    static void start() throws Exception {
        gateway = LoopbackGateway.start(MASTER, up -> Map.of("AZURE_OPENAI_BASE_URL", up.baseUrl() + "/openai",
                "AZURE_OPENAI_API_VERSION", "2024-10-21", "AZURE_OPENAI_API_KEY", AZURE_KEY));
        upstream = gateway.upstream;
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return gateway.post(path, body);
    }

    static void assertAzureCall(RecordedRequest request) {
        assertEquals("/openai/deployments/gpt-4o-prod/chat/completions", request.path());
        assertEquals("2024-10-21", request.query("api-version"));
        assertEquals(AZURE_KEY, request.header("api-key"));
        assertNull(request.header("authorization"), "Azure's key travels in api-key only");
    }

    @Test
    void chatReachesTheDeploymentUrlWithTheKeyInApiKey() throws Exception {
        upstream.enqueue(Script.ok().reply("Hello from Azure").usage(7, 3));
        HttpResponse<String> reply = post("/v1/chat/completions",
                "{\"model\":\"azure/gpt-4o-prod\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0.70}");
        assertEquals(200, reply.statusCode(), reply.body());
        assertEquals("Hello from Azure", Json.parse(reply.body()).at("/choices/0/message/content").asText());
        RecordedRequest request = upstream.lastRequest();
        assertAzureCall(request);
        assertEquals("gpt-4o-prod", request.bodyJson().get("model").asText(), "the deployment's own name");
        assertTrue(request.bodyText().contains("\"temperature\":0.70"), "the body as the client wrote it: " + request.bodyText());
    }

    @Test
    void aStreamComesThroughChunkByChunk() throws Exception {
        upstream.enqueue(Script.ok().reply("streamed words here"));
        HttpResponse<String> reply = post("/v1/chat/completions",
                "{\"model\":\"azure/gpt-4o-prod\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(200, reply.statusCode(), reply.body());
        assertTrue(reply.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        StringBuilder text = new StringBuilder();
        for (String line : reply.body().split("\n")) {
            if (line.startsWith("data: {")) {
                JsonNode content = Json.parse(line.substring(6)).at("/choices/0/delta/content");
                text.append(content.isMissingNode() || content.isNull() ? "" : content.asText());
            }
        }
        assertEquals("streamed words here", text.toString());
        assertTrue(reply.body().trim().endsWith("data: [DONE]"), reply.body());
        assertAzureCall(upstream.lastRequest());
    }

    @Test
    void anthropicMessagesAreTranslatedToTheDeploymentsChat() throws Exception {
        upstream.enqueue(Script.ok().reply("Translated answer").usage(5, 2));
        HttpResponse<String> reply = post("/v1/messages", "{\"model\":\"azure/gpt-4o-prod\",\"max_tokens\":64,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(200, reply.statusCode(), reply.body());
        JsonNode message = Json.parse(reply.body());
        assertEquals("message", message.get("type").asText());
        assertEquals("Translated answer", message.at("/content/0/text").asText());
        assertAzureCall(upstream.lastRequest());
    }
}
