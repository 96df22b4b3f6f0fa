package org.cameltaas.gateway;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.http.MultipartForm;
import org.cameltaas.component.support.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rerank, audio and images through the gateway. */
class OtherSurfacesTest extends GatewayTestSupport {

    @Test
    void rerank() throws Exception {
        HttpResponse<String> response = post("/v1/rerank", "{\"model\":\"rerank-1\",\"query\":\"camel routes\","
                + "\"documents\":[\"sunny day\",\"camel routes messages\",\"routes\"],\"top_n\":2}");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode results = Json.parse(response.body()).get("results");
        assertEquals(2, results.size());
        assertEquals(1, results.at("/0/index").asInt());
        assertError(post("/v1/rerank", "{\"model\":\"rerank-1\",\"query\":\"q\",\"documents\":[]}"), 422, null);
    }

    @Test
    void speechIsBinaryAudio() throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(base() + "/v1/audio/speech"))
                .header("Authorization", "Bearer " + MASTER_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"tts-1\",\"input\":\"hello\",\"voice\":\"alloy\","
                        + "\"response_format\":\"wav\"}")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals("audio/wav", response.headers().firstValue("content-type").orElseThrow());
        assertEquals("RIFF", new String(response.body(), 0, 4, StandardCharsets.US_ASCII));
        assertError(post("/v1/audio/speech", "{\"model\":\"tts-1\",\"input\":\"x\",\"speed\":9}"), 422, null);
    }

    @Test
    void transcriptionAndTranslationTakeMultipart() throws Exception {
        byte[] audio = "RIFF these words were spoken".getBytes(StandardCharsets.US_ASCII);
        MultipartForm.Encoded form = new MultipartForm().field("model", "whisper-1").field("language", "en")
                .file("file", "recording.wav", "audio/wav", audio).encode();
        for (String path : new String[] {"/v1/audio/transcriptions", "/v1/audio/translations"}) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base() + path))
                    .header("Authorization", "Bearer " + MASTER_KEY).header("Content-Type", form.contentType())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(form.body())));
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("RIFF these words were spoken", Json.parse(response.body()).get("text").asText());
            assertArrayEquals(form.body(), upstream.lastRequest().body(), "the upload travels untouched");
            assertEquals(path, upstream.lastRequest().path());
        }
        MultipartForm.Encoded noFile = new MultipartForm().field("model", "whisper-1").encode();
        HttpResponse<String> missing = send(HttpRequest.newBuilder(URI.create(base() + "/v1/audio/transcriptions"))
                .header("Authorization", "Bearer " + MASTER_KEY).header("Content-Type", noFile.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(noFile.body())));
        assertEquals("file", assertError(missing, 422, null).get("param").asText());
    }

    @Test
    void aLargeUploadIsAccepted() throws Exception {
        byte[] audio = new byte[5 * 1024 * 1024];
        audio[0] = 'R';
        MultipartForm.Encoded form = new MultipartForm().field("model", "whisper-1")
                .file("file", "big.wav", "audio/wav", audio).encode();
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base() + "/v1/audio/transcriptions"))
                .header("Authorization", "Bearer " + MASTER_KEY).header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.body())));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(audio.length, upstream.lastRequest().formFile("file").length);
    }

    @Test
    void imageGeneration() throws Exception {
        HttpResponse<String> response = post("/v1/images/generations", "{\"model\":\"dall-e-3\",\"prompt\":\"a camel\",\"n\":2}");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(2, Json.parse(response.body()).get("data").size());
        assertTrue(upstream.lastRequest().bodyJson().get("prompt").asText().equals("a camel"));
    }
}
