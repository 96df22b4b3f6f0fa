package org.cameltaas.gateway;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.http.MultipartForm;
import org.cameltaas.component.support.Json;
import org.cameltaas.testkit.RecordedRequest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stored file named by id in a content part reaches the upstream inline, in the form its provider takes: OpenAI
 * Chat's file_data, Responses' input_file file_data, Anthropic's base64 document (from Chat and from Messages). An
 * unknown or another project's id is a 404 naming the id, and nothing goes upstream.
 */
class FileReferencesTest extends GatewayTestSupport {

    static final byte[] PDF = "%PDF-1.4 tiny test document".getBytes(StandardCharsets.UTF_8);
    static final String B64 = Base64.getEncoder().encodeToString(PDF);

    static String uploadPdf(String token) throws Exception {
        MultipartForm.Encoded form = new MultipartForm().field("purpose", "user_data")
                .file("file", "doc.pdf", "application/pdf", PDF).encode();
        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(base() + "/v1/files"))
                .header("Authorization", "Bearer " + token).header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.body())));
        assertEquals(200, created.statusCode(), created.body());
        return Json.parse(created.body()).get("id").asText();
    }

    static HttpResponse<String> postAs(String token, String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    static String chatWithFile(String model, String id) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"text\",\"text\":\"summarise\"},{\"type\":\"file\",\"file\":{\"file_id\":\"" + id + "\"}}]}]}";
    }

    static List<RecordedRequest> upstreamCalls(String path) {
        return upstream.requests().stream().filter(r -> r.path().equals(path)).toList();
    }

    @Test
    void chatToAnOpenAiModelGetsTheFileAsFileData() throws Exception {
        String id = uploadPdf(MASTER_KEY);
        HttpResponse<String> reply = postAs(MASTER_KEY, "/v1/chat/completions", chatWithFile("gpt-4o", id));
        assertEquals(200, reply.statusCode(), reply.body());
        JsonNode sent = upstreamCalls("/v1/chat/completions").get(0).bodyJson();
        JsonNode file = sent.get("messages").get(0).get("content").get(1).get("file");
        assertEquals("data:application/pdf;base64," + B64, file.get("file_data").asText(), sent.toString());
        assertEquals("doc.pdf", file.get("filename").asText());
        assertFalse(file.has("file_id"));
    }

    @Test
    void chatToAClaudeModelGetsABase64Document() throws Exception {
        String id = uploadPdf(MASTER_KEY);
        HttpResponse<String> reply = postAs(MASTER_KEY, "/v1/chat/completions", chatWithFile("claude-sonnet-4", id));
        assertEquals(200, reply.statusCode(), reply.body());
        JsonNode sent = upstreamCalls("/v1/messages").get(0).bodyJson();
        assertTrue(sent.toString().contains("\"data\":\"" + B64 + "\""), sent.toString());
        assertTrue(sent.toString().contains("\"type\":\"document\""), sent.toString());
    }

    @Test
    void messagesDocumentsAndResponsesInputFilesAreResolvedToo() throws Exception {
        String id = uploadPdf(MASTER_KEY);
        HttpResponse<String> messages = postAs(MASTER_KEY, "/v1/messages", "{\"model\":\"claude-sonnet-4\",\"max_tokens\":20,"
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"source\":{\"type\":\"file\",\"file_id\":\""
                + id + "\"}},{\"type\":\"text\",\"text\":\"summarise\"}]}]}");
        assertEquals(200, messages.statusCode(), messages.body());
        JsonNode source = upstreamCalls("/v1/messages").get(0).bodyJson().get("messages").get(0).get("content").get(0).get("source");
        assertEquals("base64", source.get("type").asText(), source.toString());
        assertEquals("application/pdf", source.get("media_type").asText());
        assertEquals(B64, source.get("data").asText());

        HttpResponse<String> responses = postAs(MASTER_KEY, "/v1/responses", "{\"model\":\"gpt-4o\",\"input\":[{\"role\":\"user\","
                + "\"content\":[{\"type\":\"input_file\",\"file_id\":\"" + id + "\"},{\"type\":\"input_text\",\"text\":\"hi\"}]}]}");
        assertEquals(200, responses.statusCode(), responses.body());
        JsonNode part = upstreamCalls("/v1/responses").get(0).bodyJson().get("input").get(0).get("content").get(0);
        assertEquals("data:application/pdf;base64," + B64, part.get("file_data").asText(), part.toString());
        assertFalse(part.has("file_id"));
    }

    @Test
    void anUnknownOrForeignFileIdIs404NamingItAndNothingGoesUpstream() throws Exception {
        JsonNode unknown = assertError(postAs(MASTER_KEY, "/v1/chat/completions", chatWithFile("gpt-4o", "file-nosuchfile")),
                404, "file_not_found");
        assertTrue(unknown.get("message").asText().contains("file-nosuchfile"), unknown.toString());
        String mine = uploadPdf(MASTER_KEY);
        JsonNode foreign = assertError(postAs(LIMITED_TOKEN, "/v1/chat/completions", chatWithFile("gpt-4o-mini", mine)),
                404, "file_not_found");
        assertTrue(foreign.get("message").asText().contains(mine), foreign.toString());
        assertEquals(0, upstreamCalls("/v1/chat/completions").size());
    }
}
