package org.cameltaas.gateway;

import java.util.Map;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolUseBlock;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import org.cameltaas.testkit.RecordedRequest;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The official anthropic-java SDK against the gateway, and OpenAI clients reaching a Claude model. */
class AnthropicSdkTest extends GatewayTestSupport {

    private static AnthropicClient anthropic;

    @BeforeAll
    static void client() {
        anthropic = AnthropicOkHttpClient.builder().baseUrl(base()).apiKey(MASTER_KEY).maxRetries(0).build();
    }

    @AfterAll
    static void closeClient() {
        anthropic.close();
    }

    private static MessageCreateParams.Builder params(String model, String text) {
        return MessageCreateParams.builder().model(model).maxTokens(200).addUserMessage(text);
    }

    @Test
    void messagesToAClaudeModelPassThroughNatively() {
        Message message = anthropic.messages().create(params("claude-sonnet-4", "hello claude").build());
        assertEquals("Echo: hello claude", message.content().get(0).text().orElseThrow().text());
        RecordedRequest sent = upstream.lastRequest();
        assertEquals("/v1/messages", sent.path());
        assertEquals(ANTHROPIC_KEY, sent.header("x-api-key"), "the upstream gets the gateway's Anthropic key");
        assertNull(sent.header("authorization"), "the client's token never travels upstream");
        assertEquals("claude-sonnet-4-20250514", sent.bodyJson().get("model").asText(), "the catalog's upstream name");
    }

    @Test
    void messagesStreamed() {
        StringBuilder text = new StringBuilder();
        try (StreamResponse<RawMessageStreamEvent> stream = anthropic.messages()
                .createStreaming(params("claude-sonnet-4", "stream claude").build())) {
            stream.stream().forEach(event -> event.contentBlockDelta()
                    .ifPresent(delta -> delta.delta().text().ifPresent(t -> text.append(t.text()))));
        }
        assertEquals("Echo: stream claude", text.toString());
    }

    @Test
    void messagesWithTools() {
        upstream.enqueue(Script.ok().toolCall("get_weather", "{\"city\":\"Bern\"}"));
        Message message = anthropic.messages().create(params("claude-sonnet-4", "weather in Bern?")
                .addTool(Tool.builder().name("get_weather")
                        .inputSchema(Tool.InputSchema.builder().properties(JsonValue.from(Map.of("city",
                                Map.of("type", "string")))).build()).build())
                .build());
        ToolUseBlock call = message.content().stream().map(ContentBlock::toolUse).filter(java.util.Optional::isPresent)
                .map(java.util.Optional::get).findFirst().orElseThrow();
        assertEquals("get_weather", call.name());
        assertTrue(call._input().toString().contains("Bern"), call._input().toString());
    }

    @Test
    void messagesToAnOpenAiModelAreTranslatedThroughChat() {
        Message message = anthropic.messages().create(params("gpt-4o", "hello gpt").system("be kind").build());
        assertEquals("Echo: hello gpt", message.content().get(0).text().orElseThrow().text());
        RecordedRequest sent = upstream.lastRequest();
        assertEquals("/v1/chat/completions", sent.path());
        assertEquals("be kind", sent.bodyJson().at("/messages/0/content").asText());
        assertEquals("Bearer " + UPSTREAM_KEY, sent.header("authorization"));
    }

    @Test
    void messagesStreamedWithToolsToAnOpenAiModel() {
        upstream.enqueue(Script.ok().toolCall("get_weather", "{\"city\":\"Lyon\"}"));
        StringBuilder json = new StringBuilder();
        java.util.List<String> names = new java.util.ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> stream = anthropic.messages().createStreaming(params("gpt-4o", "weather?")
                .addTool(Tool.builder().name("get_weather")
                        .inputSchema(Tool.InputSchema.builder().properties(JsonValue.from(Map.of())).build()).build())
                .build())) {
            stream.stream().forEach(event -> {
                event.contentBlockStart().ifPresent(start -> start.contentBlock().toolUse().ifPresent(t -> names.add(t.name())));
                event.contentBlockDelta().ifPresent(delta -> delta.delta().inputJson().ifPresent(j -> json.append(j.partialJson())));
            });
        }
        assertEquals(java.util.List.of("get_weather"), names);
        assertEquals("{\"city\":\"Lyon\"}", json.toString());
        assertEquals("/v1/chat/completions", upstream.lastRequest().path());
    }

    @Test
    void openAiClientsReachClaudeThroughTranslation() {
        OpenAIClient openai = OpenAIOkHttpClient.builder().baseUrl(base() + "/v1").apiKey(MASTER_KEY).maxRetries(0).build();
        try {
            ChatCompletion reply = openai.chat().completions().create(ChatCompletionCreateParams.builder()
                    .model("claude-sonnet-4").addSystemMessage("be brief").addUserMessage("hi from openai").build());
            assertEquals("Echo: hi from openai", reply.choices().get(0).message().content().orElseThrow());
            RecordedRequest sent = upstream.lastRequest();
            assertEquals("/v1/messages", sent.path());
            assertEquals("be brief", sent.bodyJson().get("system").asText());
            assertTrue(sent.bodyJson().get("max_tokens").asInt() > 0, "Anthropic requires max_tokens");
        } finally {
            openai.close();
        }
    }
}
