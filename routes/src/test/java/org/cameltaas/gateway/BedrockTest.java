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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bedrock/<model id>} through the gateway to Bedrock's Converse API (the fake upstream speaks it, streams in
 * AWS event-stream framing): requests signed with Signature Version 4, chat and tools translated both ways, streams
 * decoded, and Anthropic Messages translated through chat.
 */
class BedrockTest {

    static final String MASTER = "taas_bedrock_master_key_0001";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final String MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";

    static LoopbackGateway gateway;
    static FakeUpstream upstream;

    @BeforeAll
    static void start() throws Exception {
        gateway = LoopbackGateway.start(MASTER, up -> Map.of("BEDROCK_BASE_URL", up.baseUrl(),
                "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", SECRET));
        upstream = gateway.upstream;
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return gateway.post(path, body);
    }

    static void assertSigned(RecordedRequest request, String action) {
        assertTrue(request.path().endsWith("/" + action), request.path());
        assertTrue(request.path().startsWith("/model/anthropic.claude-3-5-sonnet-20240620-v1"), request.path());
        String authorization = request.header("authorization");
        assertTrue(authorization.matches("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/us-east-1/bedrock/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}"), authorization);
        assertTrue(request.header("x-amz-date").matches("\\d{8}T\\d{6}Z"));
        assertFalse(request.headers().toString().contains(SECRET), "the secret never travels");
    }

    @Test
    void chatAndToolsAreTranslatedToConverseAndBack() throws Exception {
        upstream.enqueue(Script.ok().toolCall("get_weather", "{\"city\":\"Oslo\"}").usage(21, 9));
        HttpResponse<String> reply = post("/v1/chat/completions", "{\"model\":\"bedrock/" + MODEL + "\",\"max_tokens\":200,"
                + "\"temperature\":0.2,\"stop\":\"END\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Weather in Oslo?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Bergen\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"rain\"},"
                + "{\"role\":\"user\",\"content\":\"And Oslo?\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Weather\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}],\"tool_choice\":\"required\"}");
        assertEquals(200, reply.statusCode(), reply.body());
        JsonNode chat = Json.parse(reply.body());
        assertEquals("tool_calls", chat.at("/choices/0/finish_reason").asText());
        JsonNode call = chat.at("/choices/0/message/tool_calls/0");
        assertEquals("get_weather", call.at("/function/name").asText());
        assertEquals("Oslo", Json.parse(call.at("/function/arguments").asText()).get("city").asText());
        assertEquals(30, chat.at("/usage/total_tokens").asInt());

        RecordedRequest request = upstream.lastRequest();
        assertSigned(request, "converse");
        JsonNode converse = request.bodyJson();
        assertEquals("Be brief.", converse.at("/system/0/text").asText());
        assertEquals(200, converse.at("/inferenceConfig/maxTokens").asInt());
        assertEquals("END", converse.at("/inferenceConfig/stopSequences/0").asText());
        assertEquals("get_weather", converse.at("/toolConfig/tools/0/toolSpec/name").asText());
        assertTrue(converse.at("/toolConfig/toolChoice/any").isObject());
        JsonNode messages = converse.get("messages");
        assertEquals(3, messages.size(), "user, assistant (tool use), then the tool result and the next user text in one user turn: " + messages);
        assertEquals("Bergen", messages.at("/1/content/0/toolUse/input/city").asText());
        assertEquals("call_1", messages.at("/2/content/0/toolResult/toolUseId").asText());
        assertEquals("rain", messages.at("/2/content/0/toolResult/content/0/text").asText());
        assertEquals("And Oslo?", messages.at("/2/content/1/text").asText(), "the next user turn joins the tool result's");
    }

    @Test
    void aStreamIsDecodedFromAwsEventStreamFraming() throws Exception {
        upstream.enqueue(Script.ok().reply("streamed from bedrock").usage(4, 3));
        HttpResponse<String> reply = post("/v1/chat/completions", "{\"model\":\"bedrock/" + MODEL + "\",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(200, reply.statusCode(), reply.body());
        StringBuilder text = new StringBuilder();
        String finish = null;
        int total = 0;
        for (String line : reply.body().split("\n")) {
            if (line.startsWith("data: {")) {
                JsonNode chunk = Json.parse(line.substring(6));
                JsonNode content = chunk.at("/choices/0/delta/content");
                text.append(content.isTextual() ? content.asText() : "");
                if (chunk.at("/choices/0/finish_reason").isTextual()) {
                    finish = chunk.at("/choices/0/finish_reason").asText();
                }
                total = Math.max(total, chunk.at("/usage/total_tokens").asInt());
            }
        }
        assertEquals("streamed from bedrock", text.toString());
        assertEquals("stop", finish);
        assertEquals(7, total, "the metadata event's usage");
        assertTrue(reply.body().trim().endsWith("data: [DONE]"), reply.body());
        assertSigned(upstream.lastRequest(), "converse-stream");
    }

    @Test
    void anthropicMessagesReachBedrockThroughChat() throws Exception {
        upstream.enqueue(Script.ok().reply("Hello from Claude on Bedrock").usage(5, 6));
        HttpResponse<String> reply = post("/v1/messages", "{\"model\":\"bedrock/" + MODEL + "\",\"max_tokens\":64,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(200, reply.statusCode(), reply.body());
        JsonNode message = Json.parse(reply.body());
        assertEquals("Hello from Claude on Bedrock", message.at("/content/0/text").asText());
        assertEquals("end_turn", message.get("stop_reason").asText());
        assertSigned(upstream.lastRequest(), "converse");
    }

    @Test
    void aConverseRefusalComesBackInTheOpenAiEnvelope() throws Exception {
        HttpResponse<String> reply = post("/v1/chat/completions", "{\"model\":\"bedrock/" + MODEL + "\","
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/a.png\"}}]}]}");
        assertEquals(400, reply.statusCode(), reply.body());
        assertTrue(Json.parse(reply.body()).at("/error/message").asText().contains("data:image"), reply.body());
    }
}
