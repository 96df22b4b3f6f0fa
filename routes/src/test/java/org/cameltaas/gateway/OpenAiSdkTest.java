package org.cameltaas.gateway;

import java.util.ArrayList;
import java.util.List;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.UnprocessableEntityException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The official openai-java SDK, pointed at the gateway by base URL and key only. */
class OpenAiSdkTest extends GatewayTestSupport {

    private static OpenAIClient client;

    @BeforeAll
    static void client() {
        client = OpenAIOkHttpClient.builder().baseUrl(base() + "/v1").apiKey(MASTER_KEY).maxRetries(0).build();
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    @Test
    void chat() {
        ChatCompletion reply = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o").addUserMessage("hello sdk").temperature(0.2).build());
        assertEquals("Echo: hello sdk", reply.choices().get(0).message().content().orElseThrow());
        assertTrue(reply.usage().orElseThrow().totalTokens() > 0);
    }

    @Test
    void chatStreamed() {
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage("stream to the sdk").build())) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
        }
        assertEquals("Echo: stream to the sdk", text.toString());
    }

    @Test
    void chatWithTools() {
        upstream.enqueue(Script.ok().toolCall("get_weather", "{\"city\":\"Zurich\"}"));
        ChatCompletion reply = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o").addUserMessage("weather in Zurich?")
                .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
                        .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object")).build())
                        .build()).build())
                .build());
        ChatCompletionMessageToolCall call = reply.choices().get(0).message().toolCalls().orElseThrow().get(0);
        assertEquals("get_weather", call.asFunction().function().name());
        assertEquals("{\"city\":\"Zurich\"}", call.asFunction().function().arguments());
        assertTrue(upstream.lastRequest().bodyJson().at("/tools/0/function/name").asText().equals("get_weather"));
    }

    @Test
    void chatToolCallsStreamed() {
        upstream.enqueue(Script.ok().toolCall("lookup", "{\"q\":\"camel\"}"));
        StringBuilder arguments = new StringBuilder();
        List<String> names = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage("look it up").build())) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().toolCalls().ifPresent(calls ->
                    calls.forEach(call -> call.function().ifPresent(f -> {
                        f.name().ifPresent(names::add);
                        f.arguments().ifPresent(arguments::append);
                    })))));
        }
        assertEquals(List.of("lookup"), names);
        assertEquals("{\"q\":\"camel\"}", arguments.toString());
    }

    @Test
    void embeddingsInBothEncodings() {
        CreateEmbeddingResponse floats = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("text-embedding-3-small").input("vector me").build());
        List<Float> vector = floats.data().get(0).embedding();
        assertEquals(8, vector.size());

        CreateEmbeddingResponse base64 = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("text-embedding-3-small").input("vector me")
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build());
        assertEquals("base64", upstream.lastRequest().bodyJson().get("encoding_format").asText());
        List<Float> decoded = base64.data().get(0).embedding();
        assertEquals(vector, decoded, "the SDK decodes the base64 vector to the same floats");
    }

    @Test
    void models() {
        List<String> ids = new ArrayList<>();
        client.models().list().autoPager().forEach((Model m) -> ids.add(m.id()));
        assertTrue(ids.contains("gpt-4o") && ids.contains("claude-sonnet-4"), ids.toString());
    }

    @Test
    void responsesNative() {
        Response response = client.responses().create(ResponseCreateParams.builder().model("gpt-4o")
                .input("hello responses").build());
        StringBuilder text = new StringBuilder();
        response.output().forEach(item -> item.message().ifPresent(m -> m.content().forEach(
                c -> c.outputText().ifPresent(t -> text.append(t.text())))));
        assertEquals("Echo: hello responses", text.toString());
        assertEquals("/v1/responses", upstream.lastRequest().path());
    }

    @Test
    void responsesStreamedToAClaudeModelThroughTwoTranslations() {
        StringBuilder text = new StringBuilder();
        boolean[] completed = {false};
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(ResponseCreateParams.builder()
                .model("claude-sonnet-4").input("hello across protocols").build())) {
            stream.stream().forEach(event -> {
                event.outputTextDelta().ifPresent(d -> text.append(d.delta()));
                event.completed().ifPresent(c -> completed[0] = true);
            });
        }
        assertEquals("Echo: hello across protocols", text.toString());
        assertTrue(completed[0], "response.completed arrived");
        assertEquals("/v1/messages", upstream.lastRequest().path(), "Responses -> chat -> Anthropic Messages");
    }

    @Test
    void validationErrorsReachTheSdkAsTypedExceptions() {
        UnprocessableEntityException error = assertThrows(UnprocessableEntityException.class, () ->
                client.chat().completions().create(ChatCompletionCreateParams.builder()
                        .model("gpt-4o").addUserMessage("x").temperature(2.5).build()));
        assertEquals(422, error.statusCode());
    }
}
