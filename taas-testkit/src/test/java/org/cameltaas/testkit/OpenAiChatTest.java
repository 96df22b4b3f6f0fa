package org.cameltaas.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenAiChatTest extends FakeUpstreamTestSupport {

    @Test
    void jsonReplyEchoesTheLastMessageWithUsage() throws Exception {
        HttpResponse<String> response = http.postJson("/v1/chat/completions",
                "{\"model\":\"gpt-x\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
                        + "{\"role\":\"user\",\"content\":\"hello world\"}]}");

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        assertTrue(response.headers().firstValue("x-request-id").orElse("").startsWith("req_"));
        JsonNode body = TestHttp.json(response);
        assertEquals("chat.completion", body.path("object").asText());
        assertEquals("gpt-x", body.path("model").asText());
        assertTrue(body.path("id").asText().startsWith("chatcmpl-"));
        JsonNode choice = body.path("choices").get(0);
        assertEquals("assistant", choice.path("message").path("role").asText());
        assertEquals("Echo: hello world", choice.path("message").path("content").asText());
        assertTrue(choice.path("message").path("refusal").isNull());
        assertEquals("stop", choice.path("finish_reason").asText());
        assertEquals(4, body.path("usage").path("prompt_tokens").asInt()); // "be brief hello world"
        assertEquals(3, body.path("usage").path("completion_tokens").asInt());
        assertEquals(7, body.path("usage").path("total_tokens").asInt());
        assertEquals("fp_fake", body.path("system_fingerprint").asText());
    }

    @Test
    void contentPartsAreConcatenatedAndNChoicesHonoured() throws Exception {
        JsonNode body = TestHttp.json(http.postJson("/v1/chat/completions",
                "{\"model\":\"m\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":"
                        + "[{\"type\":\"text\",\"text\":\"a \"},{\"type\":\"text\",\"text\":\"b\"}]}]}"));

        assertEquals(2, body.path("choices").size());
        assertEquals(1, body.path("choices").get(1).path("index").asInt());
        assertEquals("Echo: a b", body.path("choices").get(1).path("message").path("content").asText());
    }

    @Test
    void streamSendsRoleDeltaWordDeltasFinishUsageAndDone() throws Exception {
        upstream.enqueue(Script.ok().reply("Hi there, friend").usage(11, 3));

        HttpResponse<String> response = http.postJson("/v1/chat/completions",
                "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

        assertEquals("text/event-stream", response.headers().firstValue("content-type").orElse(""));
        assertEquals("chunked", response.headers().firstValue("transfer-encoding").orElse(""));
        assertTrue(response.body().startsWith("data: {\"id\":\"chatcmpl-"));
        assertTrue(response.body().endsWith("data: [DONE]\n\n"));
        List<String> data = TestHttp.sseData(response.body());
        assertEquals("[DONE]", data.get(data.size() - 1));

        JsonNode first = TestHttp.json(data.get(0));
        assertEquals("chat.completion.chunk", first.path("object").asText());
        assertEquals("assistant", first.path("choices").get(0).path("delta").path("role").asText());
        assertEquals("", first.path("choices").get(0).path("delta").path("content").asText());

        StringBuilder text = new StringBuilder();
        for (String d : data.subList(1, 4)) {
            text.append(TestHttp.json(d).path("choices").get(0).path("delta").path("content").asText());
        }
        assertEquals("Hi there, friend", text.toString());
        assertEquals(" there,", TestHttp.json(data.get(2)).path("choices").get(0).path("delta").path("content").asText());

        JsonNode finish = TestHttp.json(data.get(4));
        assertEquals("stop", finish.path("choices").get(0).path("finish_reason").asText());
        assertTrue(finish.path("choices").get(0).path("delta").isEmpty());

        JsonNode usage = TestHttp.json(data.get(5));
        assertEquals(0, usage.path("choices").size());
        assertEquals(11, usage.path("usage").path("prompt_tokens").asInt());
        assertEquals(3, usage.path("usage").path("completion_tokens").asInt());
        assertEquals(7, data.size());
    }

    @Test
    void streamWithoutIncludeUsageHasNoUsageChunk() throws Exception {
        HttpResponse<String> response = http.postJson("/v1/chat/completions",
                "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"one\"}]}");

        assertTrue(TestHttp.sseData(response.body()).stream().noneMatch(d -> d.contains("\"usage\"")));
    }

    @Test
    void toolCallsStreamAsDeltasWithArgumentPieces() throws Exception {
        String arguments = "{\"city\":\"Paris\",\"unit\":\"c\"}";
        upstream.enqueue(Script.ok().toolCall("get_weather", arguments).toolCall("get_time", "{}"));

        HttpResponse<String> response = http.postJson("/v1/chat/completions",
                "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"}]}");

        List<String> data = TestHttp.sseData(response.body());
        JsonNode firstCall = TestHttp.json(data.get(1)).path("choices").get(0).path("delta").path("tool_calls").get(0);
        assertEquals(0, firstCall.path("index").asInt());
        assertTrue(firstCall.path("id").asText().startsWith("call_"));
        assertEquals("function", firstCall.path("type").asText());
        assertEquals("get_weather", firstCall.path("function").path("name").asText());
        assertEquals("", firstCall.path("function").path("arguments").asText());

        StringBuilder args = new StringBuilder();
        int pieces = 0;
        int index = 2;
        for (; index < data.size(); index++) {
            JsonNode call = TestHttp.json(data.get(index)).path("choices").get(0).path("delta").path("tool_calls").get(0);
            if (call == null || call.has("id")) {
                break;
            }
            assertEquals(0, call.path("index").asInt());
            assertTrue(call.path("function").path("name").isMissingNode());
            args.append(call.path("function").path("arguments").asText());
            pieces++;
        }
        assertEquals(arguments, args.toString());
        assertTrue(pieces >= 2 && pieces <= 3, "pieces: " + pieces);
        JsonNode secondCall = TestHttp.json(data.get(index)).path("choices").get(0).path("delta").path("tool_calls").get(0);
        assertEquals(1, secondCall.path("index").asInt());
        assertEquals("get_time", secondCall.path("function").path("name").asText());

        JsonNode finish = TestHttp.json(data.get(data.size() - 2));
        assertEquals("tool_calls", finish.path("choices").get(0).path("finish_reason").asText());
    }

    @Test
    void jsonToolCallHasNullContent() throws Exception {
        upstream.enqueue(Script.ok().toolCall("lookup", "{\"q\":1}"));

        JsonNode body = TestHttp.json(http.postJson("/v1/chat/completions",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));

        JsonNode message = body.path("choices").get(0).path("message");
        assertTrue(message.path("content").isNull());
        assertEquals("lookup", message.path("tool_calls").get(0).path("function").path("name").asText());
        assertEquals("{\"q\":1}", message.path("tool_calls").get(0).path("function").path("arguments").asText());
        assertEquals("tool_calls", body.path("choices").get(0).path("finish_reason").asText());
    }

    @Test
    void reasoningContentDeltasComeBeforeContent() throws Exception {
        upstream.enqueue(Script.ok().reasoning("think hard").reply("done"));

        List<String> data = TestHttp.sseData(http.postJson("/v1/chat/completions",
                "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").body());

        assertEquals("think", TestHttp.json(data.get(1)).path("choices").get(0).path("delta").path("reasoning_content").asText());
        assertEquals(" hard", TestHttp.json(data.get(2)).path("choices").get(0).path("delta").path("reasoning_content").asText());
        assertEquals("done", TestHttp.json(data.get(3)).path("choices").get(0).path("delta").path("content").asText());
    }

    @Test
    void requestIsRecordedWithHeadersAndBody() throws Exception {
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
        http.send(http.request("/v1/chat/completions?api-version=1").header("Authorization", "Bearer k")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());

        RecordedRequest request = upstream.takeRequest(TestHttp.WAIT);
        assertEquals("POST", request.method());
        assertEquals("/v1/chat/completions", request.path());
        assertEquals("/v1/chat/completions?api-version=1", request.uri());
        assertEquals("1", request.query("api-version"));
        assertEquals("Bearer k", request.header("AUTHORIZATION"));
        assertTrue(request.headers().containsKey("authorization"));
        assertEquals(body, request.bodyText());
        assertEquals("m", request.bodyJson().path("model").asText());
        assertTrue(request.receivedAtNanos() > 0);
    }
}
