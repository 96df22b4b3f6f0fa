package org.cameltaas.component.provider.gemini;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.cameltaas.component.TaasConstants;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gemini's non-streamed replies as OpenAI chat completions. */
class GeminiChatReplyTest extends GeminiTestSupport {

    private static final String ASK = "{\"messages\":[{\"role\":\"user\",\"content\":\"what now\"}]}";

    private JsonNode ask(Script script) {
        upstream.enqueue(script);
        Exchange reply = call(uri("chatCompletions", null), ASK);
        assertNull(reply.getException());
        return bodyOf(reply);
    }

    /** A raw Gemini reply with one candidate of the given parts and finish reason. */
    private JsonNode askRaw(String candidates) {
        return ask(Script.ok().body("{\"candidates\":" + candidates + ",\"modelVersion\":\"gemini-x-001\"}"));
    }

    @Test
    void aTextReplyIsAChatCompletion() {
        upstream.enqueue(Script.ok().reply("Hello there, camel"));
        Exchange reply = call(uri("chatCompletions", null), ASK);
        assertNull(reply.getException());
        JsonNode completion = bodyOf(reply);
        assertTrue(completion.get("id").asText().startsWith("gemini-"), "Gemini's responseId is the id");
        assertEquals("chat.completion", completion.get("object").asText());
        assertTrue(completion.get("created").asLong() > 1_600_000_000L);
        assertEquals(MODEL, completion.get("model").asText());
        assertEquals(1, completion.get("choices").size());
        JsonNode choice = completion.at("/choices/0");
        assertEquals(0, choice.get("index").asInt());
        assertEquals("assistant", choice.at("/message/role").asText());
        assertEquals("Hello there, camel", choice.at("/message/content").asText());
        assertFalse(choice.get("message").has("tool_calls"));
        assertEquals("stop", choice.get("finish_reason").asText());

        assertEquals("{\"prompt_tokens\":2,\"completion_tokens\":3,\"total_tokens\":5,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}",
                completion.get("usage").toString());
        assertEquals(new TaasUsage(2, 3, 5, 0, 0), reply.getMessage().getHeader(TaasConstants.USAGE));
        assertEquals(5, reply.getMessage().getHeader(TaasConstants.TOTAL_TOKENS));
        assertEquals("gemini", reply.getMessage().getHeader(TaasConstants.PROVIDER));
        assertEquals(MODEL, reply.getMessage().getHeader(TaasConstants.MODEL_USED));
        assertTrue(reply.getMessage().getHeader(TaasConstants.UPSTREAM_REQUEST_ID, String.class).startsWith("req_"),
                "x-goog-request-id is the upstream request id");
    }

    @Test
    void functionCallsBecomeToolCallsWithTheExactArguments() {
        JsonNode completion = ask(Script.ok()
                .toolCall("get_weather", "{\"city\":\"Paris\",\"days\":3,\"units\":{\"temp\":\"C\"}}")
                .toolCall("get_time", "{}"));
        JsonNode message = completion.at("/choices/0/message");
        assertTrue(message.get("content").isNull(), "no text part: content is null");
        JsonNode calls = message.get("tool_calls");
        assertEquals(2, calls.size());
        assertEquals("function", calls.at("/0/type").asText());
        assertEquals("get_weather", calls.at("/0/function/name").asText());
        assertEquals("{\"city\":\"Paris\",\"days\":3,\"units\":{\"temp\":\"C\"}}", calls.at("/0/function/arguments").asText());
        assertEquals("get_time", calls.at("/1/function/name").asText());
        assertEquals("{}", calls.at("/1/function/arguments").asText());
        assertTrue(calls.at("/0/id").asText().startsWith("call_"));
        assertNotEquals(calls.at("/0/id").asText(), calls.at("/1/id").asText());
        assertEquals("tool_calls", completion.at("/choices/0/finish_reason").asText());
    }

    @Test
    void thoughtsBecomeReasoningContentWithTheirSignature() {
        JsonNode completion = ask(Script.ok().reasoning("Let me think").reply("42"));
        JsonNode message = completion.at("/choices/0/message");
        assertEquals("42", message.get("content").asText(), "thoughts stay out of the answer");
        assertEquals("Let me think", message.get("reasoning_content").asText());
        assertEquals(Base64.getEncoder().encodeToString("fake-thought-signature:Let me think".getBytes(StandardCharsets.UTF_8)),
                message.get("reasoning_signature").asText());
        // Gemini: candidates 1 + thoughts 3; OpenAI counts reasoning within the completion tokens
        assertEquals(4, completion.at("/usage/completion_tokens").asInt());
        assertEquals(3, completion.at("/usage/completion_tokens_details/reasoning_tokens").asInt());
    }

    @Test
    void finishReasonsAreMapped() {
        String[][] cases = {
                {"MAX_TOKENS", "length"}, {"SAFETY", "content_filter"}, {"RECITATION", "content_filter"},
                {"BLOCKLIST", "content_filter"}, {"PROHIBITED_CONTENT", "content_filter"}, {"SPII", "content_filter"},
                {"STOP", "stop"}, {"OTHER", "stop"}, {"MALFORMED_FUNCTION_CALL", "stop"}};
        for (String[] c : cases) {
            JsonNode completion = askRaw("[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"cut\"}]},"
                    + "\"finishReason\":\"" + c[0] + "\",\"index\":0}]");
            assertEquals(c[1], completion.at("/choices/0/finish_reason").asText(), c[0]);
            assertEquals("gemini-x-001", completion.get("model").asText(), "modelVersion names the model used");
        }
    }

    @Test
    void aCandidateWithoutContentHasNullContent() {
        JsonNode completion = askRaw("[{\"finishReason\":\"SAFETY\",\"index\":0,\"safetyRatings\":[]}]");
        assertTrue(completion.at("/choices/0/message/content").isNull());
        assertEquals("content_filter", completion.at("/choices/0/finish_reason").asText());
        assertFalse(completion.has("usage"), "no usageMetadata, no usage");
    }

    @Test
    void aBlockedPromptIsOneFilteredChoice() {
        JsonNode completion = ask(Script.ok().body("{\"promptFeedback\":{\"blockReason\":\"SAFETY\"},"
                + "\"usageMetadata\":{\"promptTokenCount\":7,\"totalTokenCount\":7}}"));
        assertEquals(1, completion.get("choices").size());
        assertTrue(completion.at("/choices/0/message/content").isNull());
        assertEquals("content_filter", completion.at("/choices/0/finish_reason").asText());
        assertEquals(7, completion.at("/usage/prompt_tokens").asInt());
        assertTrue(completion.get("id").asText().startsWith("chatcmpl-"), "no responseId: a generated id");
    }

    @Test
    void everyCandidateIsAChoiceAndCachedTokensAreReported() {
        JsonNode completion = ask(Script.ok().body("""
                {"candidates":[
                  {"content":{"role":"model","parts":[{"text":"one"},{"text":" answer"}]},"finishReason":"STOP","index":0},
                  {"content":{"role":"model","parts":[{"text":"another"}]},"finishReason":"MAX_TOKENS","index":1}],
                 "usageMetadata":{"promptTokenCount":100,"candidatesTokenCount":3,"totalTokenCount":103,
                                  "cachedContentTokenCount":64},
                 "responseId":"r-1"}"""));
        assertEquals("one answer", completion.at("/choices/0/message/content").asText(), "text parts are joined");
        assertEquals(1, completion.at("/choices/1/index").asInt());
        assertEquals("another", completion.at("/choices/1/message/content").asText());
        assertEquals("length", completion.at("/choices/1/finish_reason").asText());
        assertEquals(64, completion.at("/usage/prompt_tokens_details/cached_tokens").asInt());
        assertEquals(103, completion.at("/usage/total_tokens").asInt());
        assertEquals("r-1", completion.get("id").asText());
        assertEquals(MODEL, completion.get("model").asText(), "no modelVersion: the requested model");
    }
}
