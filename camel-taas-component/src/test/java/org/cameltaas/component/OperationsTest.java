package org.cameltaas.component;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.cameltaas.component.http.MultipartForm;
import org.cameltaas.testkit.RecordedRequest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OperationsTest extends TaasTestSupport {

    @Test
    void models() {
        Exchange reply = call(uri("models", null), null);
        assertNull(reply.getException());
        JsonNode json = reply.getMessage().getBody(JsonNode.class);
        assertEquals("list", json.get("object").asText());
        assertTrue(json.get("data").size() > 0);
        assertEquals("GET", upstream.lastRequest().method());
        assertEquals("/v1/models", upstream.lastRequest().path());
    }

    @Test
    void responsesNotStreamed() {
        Exchange reply = call(uri("responses", "model=fake-gpt"), "what now?");
        JsonNode json = reply.getMessage().getBody(JsonNode.class);
        assertEquals("Echo: what now?", json.at("/output/0/content/0/text").asText());
        assertEquals("what now?", upstream.lastRequest().bodyJson().get("input").asText());
        assertEquals(json.at("/usage/input_tokens").asInt(), reply.getMessage().getHeader(TaasConstants.PROMPT_TOKENS));
    }

    @Test
    void messagesNotStreamedAddsMaxTokensToAPlainPrompt() {
        Exchange reply = call(uri("messages", "provider=anthropic&model=fake-claude&maxTokens=64"), "salut");
        assertNull(reply.getException());
        JsonNode json = reply.getMessage().getBody(JsonNode.class);
        assertEquals("Echo: salut", json.at("/content/0/text").asText());
        assertEquals(64, upstream.lastRequest().bodyJson().get("max_tokens").asInt());
        assertEquals(json.at("/usage/output_tokens").asInt(), reply.getMessage().getHeader(TaasConstants.COMPLETION_TOKENS));
    }

    @Test
    void embeddingsFromAListOfTexts() {
        Exchange reply = call(uri("embeddings", "model=fake-embed"), List.of("first text", "second text"));
        JsonNode json = reply.getMessage().getBody(JsonNode.class);
        assertEquals(2, json.get("data").size());
        assertEquals(1, json.at("/data/1/index").asInt());
        assertEquals("[\"first text\",\"second text\"]", upstream.lastRequest().bodyJson().get("input").toString());
        assertTrue(reply.getMessage().getHeader(TaasConstants.PROMPT_TOKENS, Integer.class) > 0);
    }

    @Test
    void embeddingsInBase64MatchTheFloats() {
        JsonNode floats = call(uri("embeddings", "model=fake-embed"), "same text").getMessage().getBody(JsonNode.class);
        JsonNode base64 = call(uri("embeddings", "model=fake-embed"),
                "{\"input\":\"same text\",\"encoding_format\":\"base64\",\"dimensions\":8}").getMessage().getBody(JsonNode.class);
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64.at("/data/0/embedding").asText()))
                .order(ByteOrder.LITTLE_ENDIAN);
        JsonNode vector = floats.at("/data/0/embedding");
        assertEquals(vector.size() * 4, bytes.remaining());
        for (JsonNode v : vector) {
            assertEquals(v.floatValue(), bytes.getFloat(), 1e-6);
        }
    }

    @Test
    void rerank() {
        Exchange reply = call(uri("rerank", "model=fake-rerank"),
                Map.of("query", "camel routes", "documents", List.of("weather is sunny", "camel routes in yaml", "routes"),
                        "top_n", 2));
        JsonNode results = reply.getMessage().getBody(JsonNode.class).get("results");
        assertEquals(2, results.size());
        assertEquals(1, results.at("/0/index").asInt());
        assertTrue(results.at("/0/relevance_score").asDouble() >= results.at("/1/relevance_score").asDouble());
    }

    @Test
    void speechIsBinary() {
        Exchange reply = call(uri("audioSpeech", "model=fake-tts"),
                "{\"input\":\"hello world\",\"voice\":\"alloy\",\"response_format\":\"wav\"}");
        byte[] audio = assertInstanceOf(byte[].class, reply.getMessage().getBody());
        assertEquals("RIFF", new String(audio, 0, 4, StandardCharsets.US_ASCII));
        assertEquals("audio/wav", reply.getMessage().getHeader(Exchange.CONTENT_TYPE));

        Exchange mp3 = call(uri("audioSpeech", "model=fake-tts"), "plain text to say");
        byte[] mpeg = mp3.getMessage().getBody(byte[].class);
        assertEquals(0xFF, mpeg[0] & 0xFF);
        assertEquals("audio/mpeg", mp3.getMessage().getHeader(Exchange.CONTENT_TYPE));
        assertEquals("plain text to say", upstream.lastRequest().bodyJson().get("input").asText());
    }

    @Test
    void transcriptionFromRawBytesBecomesAMultipartUpload() {
        byte[] audio = "RIFF this pretends to be audio".getBytes(StandardCharsets.US_ASCII);
        Exchange reply = call(uri("audioTranscriptions", "model=whisper-1"), audio);
        assertNull(reply.getException());
        RecordedRequest sent = upstream.lastRequest();
        assertTrue(sent.header("content-type").startsWith("multipart/form-data; boundary="));
        assertEquals("whisper-1", sent.formFields().get("model"));
        assertArrayEquals(audio, sent.formFile("file"));
        assertEquals("RIFF this pretends to be audio", reply.getMessage().getBody(JsonNode.class).get("text").asText());
    }

    @Test
    void aClientsMultipartBodyTravelsUntouched() {
        MultipartForm.Encoded form = new MultipartForm().field("model", "whisper-1").field("language", "en")
                .field("response_format", "text").file("file", "hello.txt", "text/plain", "spoken words".getBytes()).encode();
        Exchange reply = call(uri("audioTranslations", null), form.body(), Map.of(Exchange.CONTENT_TYPE, form.contentType()));
        assertNull(reply.getException());
        assertArrayEquals(form.body(), upstream.lastRequest().body());
        assertEquals("/v1/audio/translations", upstream.lastRequest().path());
        assertEquals("spoken words", reply.getMessage().getBody(String.class).trim());
    }

    @Test
    void aMultipartModelIsReplacedWhenTheEndpointNamesOne() {
        MultipartForm.Encoded form = new MultipartForm().field("model", "alias")
                .file("file", "a.wav", "audio/wav", "RIFF....".getBytes()).encode();
        call(uri("audioTranscriptions", "model=whisper-large"), form.body(), Map.of(Exchange.CONTENT_TYPE, form.contentType()));
        assertEquals("whisper-large", upstream.lastRequest().formFields().get("model"));
        assertArrayEquals("RIFF....".getBytes(), upstream.lastRequest().formFile("file"));
    }

    @Test
    void images() {
        JsonNode generated = call(uri("imagesGenerations", "model=fake-image"), "a camel in the desert")
                .getMessage().getBody(JsonNode.class);
        assertTrue(generated.at("/data/0/b64_json").asText().length() > 10);
        assertEquals("a camel in the desert", upstream.lastRequest().bodyJson().get("prompt").asText());

        byte[] png = new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
        Exchange edit = call(uri("imagesEdits", "model=fake-image"), Map.of("image", png, "prompt", "add a hat"));
        assertNull(edit.getException());
        assertEquals("add a hat", upstream.lastRequest().formFields().get("prompt"));
        assertArrayEquals(png, upstream.lastRequest().formFile("image"));

        Exchange variation = call(uri("imagesVariations", "model=fake-image"), png);
        assertNull(variation.getException());
        assertEquals("/v1/images/variations", upstream.lastRequest().path());
        assertArrayEquals(png, upstream.lastRequest().formFile("image"));
    }

    @Test
    void theOperationHeaderLetsOneEndpointServeEveryOperation() {
        String chatEndpoint = uri("chatCompletions", "model=fake-embed");
        Exchange reply = call(chatEndpoint, List.of("first text"), Map.of(TaasConstants.OPERATION, "embeddings"));
        assertNull(reply.getException());
        assertEquals("/v1/embeddings", upstream.lastRequest().path());
        assertEquals("embedding", reply.getMessage().getBody(JsonNode.class).at("/data/0/object").asText());

        // the same endpoint still calls its own operation without the header
        reply = call(chatEndpoint, "hello");
        assertNull(reply.getException());
        assertEquals("/v1/chat/completions", upstream.lastRequest().path());
    }

    @Test
    void theOperationHeaderTranslatesWhatTheProviderDoesNotSpeak() {
        // messages on an OpenAI-compatible upstream travels as chat completions and comes back in Anthropic's shape
        Exchange reply = call(uri("chatCompletions", "model=fake-gpt&maxTokens=64"), "salut",
                Map.of(TaasConstants.OPERATION, TaasOperation.messages));
        assertNull(reply.getException());
        assertEquals("/v1/chat/completions", upstream.lastRequest().path());
        assertEquals("message", reply.getMessage().getBody(JsonNode.class).get("type").asText());
    }

    @Test
    void anOperationTheProviderCannotServeFailsTheCallOnly() {
        String anthropic = uri("messages", "provider=anthropic&model=fake-claude&maxTokens=64");
        Exchange refused = call(anthropic, List.of("text"), Map.of(TaasConstants.OPERATION, "embeddings"));
        assertInstanceOf(IllegalArgumentException.class, refused.getException());
        assertTrue(refused.getException().getMessage().startsWith("unsupported_operation: "), refused.getException().getMessage());
        assertTrue(refused.getException().getMessage().contains("does not support embeddings"));

        Exchange unknown = call(anthropic, "salut", Map.of(TaasConstants.OPERATION, "poetry"));
        assertInstanceOf(IllegalArgumentException.class, unknown.getException());
        assertEquals("unsupported_operation: No such taas operation: poetry", unknown.getException().getMessage());

        assertNull(call(anthropic, "salut").getException(), "the endpoint keeps serving its own operation");
    }
}
