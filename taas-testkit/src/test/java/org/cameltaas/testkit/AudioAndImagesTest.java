package org.cameltaas.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AudioAndImagesTest extends FakeUpstreamTestSupport {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final String BOUNDARY = "----fake-boundary-42";

    @Test
    void speechAsWavHasAValidRiffHeader() throws Exception {
        HttpResponse<byte[]> response = http.sendBytes(http.request("/v1/audio/speech")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"tts\",\"input\":\"hello\",\"voice\":\"alloy\",\"response_format\":\"wav\"}")).build());

        assertEquals("audio/wav", response.headers().firstValue("content-type").orElse(""));
        ByteBuffer wav = ByteBuffer.wrap(response.body()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("RIFF", ascii(response.body(), 0, 4));
        assertEquals(response.body().length - 8, wav.getInt(4));
        assertEquals("WAVE", ascii(response.body(), 8, 12));
        assertEquals("fmt ", ascii(response.body(), 12, 16));
        assertEquals(1, wav.getShort(20)); // PCM
        assertEquals(1, wav.getShort(22)); // mono
        assertEquals(16, wav.getShort(34)); // bits per sample
        assertEquals("data", ascii(response.body(), 36, 40));
        assertEquals(response.body().length - 44, wav.getInt(40));
        assertTrue(wav.getInt(40) > 0);
    }

    @Test
    void speechDefaultsToMp3Frames() throws Exception {
        HttpResponse<byte[]> response = http.sendBytes(http.request("/v1/audio/speech")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"tts\",\"input\":\"hi\",\"voice\":\"alloy\"}")).build());

        assertEquals("audio/mpeg", response.headers().firstValue("content-type").orElse(""));
        assertEquals((byte) 0xFF, response.body()[0]);
        assertEquals((byte) 0xFB, response.body()[1]);
    }

    @Test
    void transcriptionParsesMultipartAndEchoesTextFiles() throws Exception {
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("model", "whisper-1");
        parts.put("language", "en");
        parts.put("file", "spoken words".getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> response = http.send(http.request("/v1/audio/transcriptions")
                .header("content-type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(TestHttp.multipart(BOUNDARY, parts)).build());

        assertEquals(200, response.statusCode());
        assertEquals("spoken words", TestHttp.json(response).path("text").asText());
        RecordedRequest request = upstream.takeRequest(TestHttp.WAIT);
        assertEquals(Map.of("model", "whisper-1", "language", "en"), request.formFields());
        assertArrayEquals("spoken words".getBytes(StandardCharsets.UTF_8), request.formFile("file"));
        assertEquals("audio.wav", request.formFileName("file"));
    }

    @Test
    void binaryAudioGivesAFakeTranscriptionAndTextFormatsArePlain() throws Exception {
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("model", "whisper-1");
        parts.put("response_format", "srt");
        parts.put("file", new byte[] {0, 1, 2, (byte) 0xFF});

        HttpResponse<String> response = http.send(http.request("/v1/audio/translations")
                .header("content-type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(TestHttp.multipart(BOUNDARY, parts)).build());

        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
        assertTrue(response.body().startsWith("1\n00:00:00,000 --> "));
        assertTrue(response.body().contains("fake transcription of 4 bytes"));
    }

    @Test
    void transcriptionWithoutFileIsAnOpenAi400() throws Exception {
        HttpResponse<String> response = http.send(http.request("/v1/audio/transcriptions")
                .header("content-type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(TestHttp.multipart(BOUNDARY, Map.of("model", "whisper-1"))).build());

        assertEquals(400, response.statusCode());
        JsonNode error = TestHttp.json(response).path("error");
        assertEquals("invalid_request_error", error.path("type").asText());
        assertEquals("file", error.path("param").asText());
    }

    @Test
    void imageGenerationReturnsNInlinePngs() throws Exception {
        JsonNode body = TestHttp.json(http.postJson("/v1/images/generations", "{\"prompt\":\"a cat\",\"n\":2}"));

        assertEquals(2, body.path("data").size());
        assertTrue(body.path("created").asLong() > 0);
        byte[] png = Base64.getDecoder().decode(body.path("data").get(0).path("b64_json").asText());
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, 8));
    }

    @Test
    void imageUrlsPointAtThisServer() throws Exception {
        JsonNode body = TestHttp.json(http.postJson("/v1/images/generations",
                "{\"prompt\":\"a cat\",\"response_format\":\"url\"}"));

        String url = body.path("data").get(0).path("url").asText();
        assertEquals(upstream.baseUrl() + "/files/img-1.png", url);
        HttpResponse<byte[]> image = http.sendBytes(http.request("/files/img-1.png").GET().build());
        assertEquals("image/png", image.headers().firstValue("content-type").orElse(""));
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(image.body(), 8));
    }

    @Test
    void imageEditsAreMultipart() throws Exception {
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("prompt", "add a hat");
        parts.put("n", "3");
        parts.put("image", new byte[] {1, 2, 3});

        JsonNode body = TestHttp.json(http.send(http.request("/v1/images/edits")
                .header("content-type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(TestHttp.multipart(BOUNDARY, parts)).build()));

        assertEquals(3, body.path("data").size());
    }

    private static String ascii(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.US_ASCII);
    }
}
