package org.cameltaas.gateway;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client values that would become reply headers, upstream replies that carry secrets or garbage: every request gets
 * an answer, nothing a client sent is echoed raw into a header, and no upstream key reaches a client.
 */
class HostileValuesTest extends GatewayTestSupport {

    private static String chat(String model, String extra, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + extra
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    @Test
    void controlCharactersInASessionIdAreEncodedNotInjected() throws Exception {
        for (String control : new String[] {"\\r\\nx-injected: 1", "\\u0000", "\\u000b", "\\u000c", "\\n"}) {
            for (boolean stream : new boolean[] {false, true}) {
                try (RawHttp socket = new RawHttp(port, 10_000)) {
                    String body = chat("gpt-4o-mini", ",\"metadata\":{\"session_id\":\"s1" + control + "end\"}", stream);
                    socket.send(HardeningTestRequests.post(MASTER_KEY, "/v1/chat/completions", body));
                    RawHttp.Reply reply = socket.read();
                    assertEquals(200, reply.status(), control + " " + reply.text());
                    assertFalse(reply.headers().containsKey("x-injected"), reply.headers().toString());
                    String session = reply.header("x-session-id");
                    assertTrue(session.startsWith("s1%") && session.endsWith("end"), session);
                }
            }
        }
    }

    @Test
    void aControlCharacterInTheModelIs422() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", chat("gpt\\r\\n4o", "", false));
        assertError(response, 422, "invalid_value");
        HttpResponse<String> messages = post("/v1/messages",
                "{\"model\":\"claude\\u0000x\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(422, messages.statusCode(), messages.body());
    }

    @Test
    void aHugeModelNameIs422EvenForATokenThatMayNotUseIt() throws Exception {
        String model = "m".repeat(100_000);
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + LIMITED_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(chat(model, "", false))));
        assertError(response, 422, "invalid_value");
        assertFalse(response.body().contains("mmmmmmmmmm"), "the name is not echoed");
        assertTrue(response.headers().firstValue("x-model-used").orElse("").length() <= 256);
        String metrics = send(HttpRequest.newBuilder(URI.create(base() + "/metrics"))).body();
        assertFalse(metrics.contains("mmmmmmmmmm"), "nor counted as a label");
    }

    @Test
    void aClientsContentTypeAndRetryAfterAreNotEchoed() throws Exception {
        try (RawHttp socket = new RawHttp(port, 10_000)) {
            socket.send("GET /health HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain; charset=evil\r\nRetry-After: 99\r\n\r\n");
            RawHttp.Reply reply = socket.read();
            assertEquals(200, reply.status());
            assertEquals("application/json", reply.header("content-type"));
            assertFalse(reply.headers().containsKey("retry-after"));
            assertEquals("{\"status\":\"ok\"}", reply.text());
        }
    }

    @Test
    void anUpstreamKeyInAMidStreamErrorNeverReachesTheClient() throws Exception {
        upstream.enqueue(Script.ok().reply("one two three four").midStreamError(3)
                .message("Incorrect API key provided: " + UPSTREAM_KEY));
        HttpResponse<String> chat = post("/v1/chat/completions", chat("gpt-4o-mini", "", true));
        assertFalse(chat.body().contains(UPSTREAM_KEY), chat.body());
        assertTrue(chat.body().contains("***") || chat.statusCode() >= 400, chat.body());

        upstream.enqueue(Script.ok().reply("one two three four").midStreamError(3)
                .message("invalid x-api-key " + ANTHROPIC_KEY));
        HttpResponse<String> messages = post("/v1/messages", "{\"model\":\"claude-sonnet-4\",\"max_tokens\":50,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertFalse(messages.body().contains(ANTHROPIC_KEY), messages.body());
    }

    @Test
    void upstreamHtmlErrorPagesAndUrlsStayInTheLog() throws Exception {
        upstream.enqueue(Script.status(502).body("<html><body>Bad gateway at " + upstream.baseUrl() + "</body></html>"));
        HttpResponse<String> response = post("/v1/chat/completions", chat("gpt-4o-mini", "", false));
        assertError(response, 502, "upstream_error");
        assertFalse(response.body().toLowerCase().contains("<html"), response.body());
        assertFalse(response.body().contains(upstream.baseUrl()), response.body());
    }

    @Test
    void aNonJsonReplyToANonStreamedRequestIs502() throws Exception {
        upstream.enqueue(Script.ok().body("data: {\"choices\":[]}\n\ndata: [DONE]\n\n").header("Content-Type", "text/event-stream"));
        assertError(post("/v1/chat/completions", chat("gpt-4o-mini", "", false)), 502, null);
        upstream.enqueue(Script.ok().body("<html>maintenance</html>").header("Content-Type", "text/html"));
        HttpResponse<String> messages = post("/v1/messages", "{\"model\":\"gpt-4o-mini\",\"max_tokens\":50,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(502, messages.statusCode(), messages.body());
    }

    /** The raw request lines these tests send. */
    static final class HardeningTestRequests {
        static String post(String key, String path, String body) {
            return "POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                    + "\r\n\r\n" + body;
        }
    }
}
