package org.cameltaas.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeminiTest extends FakeUpstreamTestSupport {

    private static final String CONTENTS = "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"tell me\"},{\"text\":\" more\"}]}]";

    @Test
    void generateContentReturnsCandidateAndUsageMetadata() throws Exception {
        JsonNode body = TestHttp.json(http.postJson("/v1beta/models/gemini-2.5-flash:generateContent", "{" + CONTENTS + "}"));

        JsonNode candidate = body.path("candidates").get(0);
        assertEquals("Echo: tell me more", candidate.path("content").path("parts").get(0).path("text").asText());
        assertEquals("model", candidate.path("content").path("role").asText());
        assertEquals("STOP", candidate.path("finishReason").asText());
        assertEquals(3, body.path("usageMetadata").path("promptTokenCount").asInt());
        assertEquals(4, body.path("usageMetadata").path("candidatesTokenCount").asInt());
        assertEquals(7, body.path("usageMetadata").path("totalTokenCount").asInt());
        assertEquals("gemini-2.5-flash", body.path("modelVersion").asText());
        assertFalse(body.path("responseId").asText().isEmpty());
    }

    @Test
    void functionCallsAndThoughtsAreParts() throws Exception {
        upstream.enqueue(Script.ok().reasoning("pondering").toolCall("find", "{\"n\":2}"));

        JsonNode parts = TestHttp.json(http.postJson("/v1beta/models/g:generateContent", "{" + CONTENTS + "}"))
                .path("candidates").get(0).path("content").path("parts");

        assertEquals("pondering", parts.get(0).path("text").asText());
        assertTrue(parts.get(0).path("thought").asBoolean());
        assertFalse(parts.get(0).path("thoughtSignature").asText().isEmpty());
        assertEquals("find", parts.get(1).path("functionCall").path("name").asText());
        assertEquals(2, parts.get(1).path("functionCall").path("args").path("n").asInt());
    }

    @Test
    void streamUsesCrlfFramingWithUsageOnTheLastChunk() throws Exception {
        upstream.enqueue(Script.ok().reply("one two three"));

        HttpResponse<String> response = http.postJson("/v1beta/models/g:streamGenerateContent?alt=sse", "{" + CONTENTS + "}");

        String body = response.body();
        assertEquals("text/event-stream", response.headers().firstValue("content-type").orElse(""));
        assertTrue(body.startsWith("data: {"));
        assertTrue(body.endsWith("}\r\n\r\n"));
        assertFalse(body.replace("\r\n", "").contains("\n"), "every line ending is CRLF");
        List<String> blocks = TestHttp.sseBlocks(body, "\r\n");
        assertEquals(3, blocks.size());
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode chunk = TestHttp.json(blocks.get(i).substring("data: ".length()));
            text.append(chunk.path("candidates").get(0).path("content").path("parts").get(0).path("text").asText());
            assertEquals(i == 2, chunk.has("usageMetadata"));
        }
        assertEquals("one two three", text.toString());
        assertEquals("/v1beta/models/g:streamGenerateContent", upstream.lastRequest().path());
        assertEquals("sse", upstream.lastRequest().query("alt"));
    }

    @Test
    void streamWithoutAltSseIsOneJsonArray() throws Exception {
        JsonNode body = TestHttp.json(http.postJson("/v1beta/models/g:streamGenerateContent", "{" + CONTENTS + "}"));

        assertTrue(body.isArray());
        assertTrue(body.get(body.size() - 1).has("usageMetadata"));
    }

    @Test
    void embedContentAndBatchEmbedContents() throws Exception {
        JsonNode single = TestHttp.json(http.postJson("/v1beta/models/e:embedContent",
                "{\"content\":{\"parts\":[{\"text\":\"hello\"}]}}"));
        JsonNode batch = TestHttp.json(http.postJson("/v1beta/models/e:batchEmbedContents",
                "{\"requests\":[{\"content\":{\"parts\":[{\"text\":\"hello\"}]}},"
                        + "{\"content\":{\"parts\":[{\"text\":\"bye\"}]},\"outputDimensionality\":4}]}"));

        assertEquals(8, single.path("embedding").path("values").size());
        assertEquals(single.path("embedding"), batch.path("embeddings").get(0));
        assertEquals(4, batch.path("embeddings").get(1).path("values").size());
    }

    @Test
    void listsModels() throws Exception {
        JsonNode body = TestHttp.json(http.get("/v1beta/models"));

        assertEquals("models/gemini-fake", body.path("models").get(0).path("name").asText());
        assertTrue(body.path("models").get(0).path("supportedGenerationMethods").toString().contains("generateContent"));
    }
}
