package org.cameltaas.testkit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerBehaviourTest extends FakeUpstreamTestSupport {

    private static final String CHAT = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";

    @Test
    void baseUrlIsLoopbackWithoutTrailingSlash() {
        assertEquals("http://127.0.0.1:" + upstream.port(), upstream.baseUrl());
        assertTrue(upstream.port() > 0);
    }

    @Test
    void scriptsAreUsedInOrderThenTheDefault() throws Exception {
        upstream.enqueue(Script.status(500)).enqueue(Script.status(429));
        upstream.setDefault(Script.status(503));

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            statuses.add(http.postJson("/v1/chat/completions", CHAT).statusCode());
        }
        upstream.reset();
        statuses.add(http.postJson("/v1/chat/completions", CHAT).statusCode());

        assertEquals(List.of(500, 429, 503, 503, 200), statuses);
    }

    @Test
    void requestsAreRecordedInArrivalOrder() throws Exception {
        http.get("/v1/models");
        http.postJson("/v1/chat/completions", CHAT);

        assertEquals(2, upstream.requestCount());
        assertEquals(List.of("/v1/models", "/v1/chat/completions"),
                upstream.requests().stream().map(RecordedRequest::path).toList());
        assertEquals("POST", upstream.lastRequest().method());
        assertEquals("GET", upstream.takeRequest(TestHttp.WAIT).method());
        assertEquals("POST", upstream.takeRequest(TestHttp.WAIT).method());
        assertNull(upstream.takeRequest(Duration.ofMillis(20)));
    }

    @Test
    void keepAliveReusesOneConnection() throws Exception {
        HttpResponse<String> first = http.postJson("/v1/chat/completions", CHAT);
        HttpResponse<String> second = http.postJson("/v1/chat/completions", CHAT);

        assertEquals(200, first.statusCode());
        assertEquals(200, second.statusCode());
        RecordedRequest a = upstream.takeRequest(TestHttp.WAIT);
        RecordedRequest b = upstream.takeRequest(TestHttp.WAIT);
        assertTrue(!a.connectionClosed().isDone() && !b.connectionClosed().isDone(), "connection kept open");
        assertTrue(a.completedNormally());
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        upstream.enqueue(Script.ok().reply("first").headerDelay(Duration.ofMillis(50)));
        upstream.enqueue(Script.ok().reply("second"));
        int port = upstream.port();

        String raw = RawHttp.exchange(port,
                RawHttp.post(port, "/v1/chat/completions", CHAT, true),
                RawHttp.post(port, "/v1/chat/completions", CHAT, false));

        assertEquals(2, RawHttp.count(raw, "HTTP/1.1 200 OK"));
        assertTrue(raw.indexOf("\"first\"") < raw.indexOf("\"second\""));
        assertTrue(raw.indexOf("\"first\"") > 0);
    }

    @Test
    void connectionCloseHeaderClosesAfterTheReply() throws Exception {
        String raw = RawHttp.exchange(upstream.port(), RawHttp.post(upstream.port(), "/v1/chat/completions", CHAT, false));

        assertTrue(raw.contains("connection: close"));
        upstream.takeRequest(TestHttp.WAIT).connectionClosed().get(1, TimeUnit.SECONDS);
    }

    @Test
    void modelsListIsOpenAiShaped() throws Exception {
        var body = TestHttp.json(http.get("/v1/models"));

        assertEquals("list", body.path("object").asText());
        assertEquals("fake-gpt", body.path("data").get(0).path("id").asText());
        assertEquals("model", body.path("data").get(0).path("object").asText());
        assertEquals(1700000000, body.path("data").get(0).path("created").asLong());
        assertEquals("fake", body.path("data").get(0).path("owned_by").asText());
    }

    @Test
    void manySlowStreamsRunConcurrentlyOnTheEventLoop() throws Exception {
        try (FakeUpstream server = FakeUpstream.start()) {
            server.setDefault(Script.ok().reply("a b c").chunkDelay(Duration.ofMillis(40)));
            TestHttp client = new TestHttp(server);
            HttpRequest request = client.request("/v1/chat/completions").POST(HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")).build();
            int streams = 200;

            long start = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                replies.add(client.client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
            }
            CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            for (CompletableFuture<HttpResponse<String>> reply : replies) {
                assertTrue(reply.get().body().endsWith("data: [DONE]\n\n"));
            }
            assertEquals(streams, server.requestCount());
            // 6 events x 40 ms each: serial handling would take minutes
            assertTrue(elapsedMillis < 5_000, "took " + elapsedMillis + " ms");
        }
    }

    @Test
    void fixedPortAndCloseDropsConnections() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        FakeUpstream server = FakeUpstream.start(port);
        try {
            assertEquals(port, server.port());
            server.enqueue(Script.ok().headerDelay(Duration.ofSeconds(30)));
            TestHttp client = new TestHttp(server);
            CompletableFuture<HttpResponse<String>> pending = client.client.sendAsync(
                    client.request("/v1/models").GET().build(), HttpResponse.BodyHandlers.ofString());
            RecordedRequest request = server.takeRequest(TestHttp.WAIT);
            assertEquals(1, server.openConnections());

            server.close();

            request.connectionClosed().get(2, TimeUnit.SECONDS);
            assertEquals(0, server.openConnections());
            Throwable failure = pending.handle((r, e) -> e).get(5, TimeUnit.SECONDS);
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            assertTrue(cause instanceof IOException, "client saw " + failure);
        } finally {
            server.close();
        }
    }

    @Test
    void scriptsAreImmutable() {
        Script base = Script.ok();
        Script changed = base.reply("x");

        assertNull(base.replyText());
        assertEquals("x", changed.replyText());
    }
}
