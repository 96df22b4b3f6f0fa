package org.cameltaas.gateway;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.cameltaas.component.support.Json;
import org.cameltaas.testkit.RecordedRequest;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamingSurfaceTest extends GatewayTestSupport {

    private static final String STREAM = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";

    @Test
    void aClientDisconnectCancelsTheUpstreamCallPromptly() throws Exception {
        upstream.enqueue(Script.ok().reply("w ".repeat(200).trim()).chunkDelay(Duration.ofMillis(20)));
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            byte[] body = STREAM.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + MASTER_KEY
                       + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            int events = 0;
            for (String line = in.readLine(); line != null && events < 5; line = in.readLine()) {
                if (line.startsWith("data: ")) {
                    events++;
                }
            }
            assertEquals(5, events, "the stream was flowing");
            RecordedRequest sent = upstream.lastRequest();
            long closedAt = System.nanoTime();
            socket.close();
            long upstreamClosed = sent.connectionClosed().get(3, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(upstreamClosed - closedAt);
            assertTrue(millis < 100, "the upstream call was cancelled " + millis + " ms after the client left");
            assertFalse(sent.completedNormally());
        }
    }

    @Test
    void aClientThatLeavesBeforeTheReplyCancelsTheUpstreamCallToo() throws Exception {
        upstream.enqueue(Script.ok().headerDelay(Duration.ofSeconds(5)));
        String plain = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"slow\"}]}";
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            byte[] body = plain.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + MASTER_KEY
                       + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            RecordedRequest sent = upstream.takeRequest(Duration.ofSeconds(5));
            long closedAt = System.nanoTime();
            socket.close();
            long upstreamClosed = sent.connectionClosed().get(3, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(upstreamClosed - closedAt);
            assertTrue(millis < 200, "the waiting upstream call was abandoned " + millis + " ms after the client left");
        }
    }

    @Test
    void fiveHundredConcurrentStreamsWhileHealthStaysFast() throws Exception {
        int streams = 500;
        upstream.setDefault(Script.ok().reply("alpha beta gamma delta epsilon zeta eta theta iota kappa")
                .chunkDelay(Duration.ofMillis(60)));
        try {
            List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                replies.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions"))
                        .header("Authorization", "Bearer " + MASTER_KEY).timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(STREAM)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            // wait until most streams are open upstream, then measure /health in their midst
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (upstream.requestCount() < streams * 9 / 10 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            long worst = 0;
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                HttpResponse<String> health = send(HttpRequest.newBuilder(URI.create(base() + "/health")).GET());
                worst = Math.max(worst, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                assertEquals(200, health.statusCode());
            }
            System.out.println("health during " + streams + " streams: worst of 5 = " + worst + " ms");
            assertTrue(worst < 1000, "health took " + worst + " ms while streams were open (loose bound; see docs/BENCHMARKS.md)");

            for (CompletableFuture<HttpResponse<String>> reply : replies) {
                HttpResponse<String> response = reply.get(60, TimeUnit.SECONDS);
                assertEquals(200, response.statusCode());
                assertTrue(response.body().endsWith("data: [DONE]\n\n"), response.body());
                StringBuilder text = new StringBuilder();
                for (String line : response.body().split("\n")) {
                    if (line.startsWith("data: {")) {
                        text.append(Json.parse(line.substring(6)).at("/choices/0/delta/content").asText(""));
                    }
                }
                assertEquals("alpha beta gamma delta epsilon zeta eta theta iota kappa", text.toString(), response.body());
            }
        } finally {
            upstream.reset();
        }
    }
}
