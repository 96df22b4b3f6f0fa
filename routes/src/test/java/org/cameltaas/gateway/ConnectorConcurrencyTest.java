package org.cameltaas.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.cameltaas.component.support.Json;
import org.cameltaas.connector.Connector;
import org.cameltaas.connector.ConnectorSettings;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

/**
 * 500 concurrent streams through one connector: all complete with the right text, and the heap each open stream
 * costs (gateway, tunnel, connector and the test's own clients together, all in this JVM) is measured and bounded.
 */
class ConnectorConcurrencyTest extends GatewayTestSupport {

    static final int STREAMS = 500;

    @Test
    void fiveHundredConcurrentStreamsThroughOneConnector() throws Exception {
        String team = Json.parse(post("/admin/v1/teams", "{\"name\":\"many\"}").body()).get("id").asText();
        String project = Json.parse(post("/admin/v1/projects", "{\"team_id\":\"" + team + "\",\"name\":\"p\"}").body()).get("id").asText();
        String deployment = Json.parse(post("/admin/v1/deployments", "{\"name\":\"many-streams\",\"project_id\":\"" + project + "\"}")
                .body()).get("id").asText();
        String token = Json.parse(post("/admin/v1/deployments/" + deployment + "/connector-tokens", "{}").body()).get("token").asText();
        upstream.setDefault(Script.ok().reply("a b c d").chunkDelay(Duration.ofMillis(1500)));
        HttpClient clients = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        try (Connector connector = new Connector(ConnectorSettings.parse(new String[] {"--gateway", base(), "--token", token,
                "--target", upstream.baseUrl() + "/v1"}, Map.of())).start()) {
            connector.online().get(20, TimeUnit.SECONDS);
            long before = usedHeap();
            CountDownLatch started = new CountDownLatch(STREAMS);
            List<CompletableFuture<String>> bodies = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                StringBuffer body = new StringBuffer();
                boolean[] counted = {false};
                CompletableFuture<HttpResponse<Void>> sent = clients.sendAsync(HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions"))
                        .header("Authorization", "Bearer " + MASTER_KEY).header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"many-streams\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")).build(),
                        HttpResponse.BodyHandlers.ofByteArrayConsumer(chunk -> chunk.ifPresent(bytes -> {
                            body.append(new String(bytes, StandardCharsets.UTF_8));
                            synchronized (counted) {
                                if (!counted[0] && body.indexOf("\"content\":\"a\"") >= 0) {
                                    counted[0] = true;
                                    started.countDown();
                                }
                            }
                        })));
                bodies.add(sent.thenApply(response -> response.statusCode() + " " + body));
            }
            assertTrue(started.await(90, TimeUnit.SECONDS), "streams started: " + (STREAMS - started.getCount()));
            long during = usedHeap();
            long perStream = (during - before) / STREAMS;
            System.out.printf("connector streams: %d open at once, %d KiB heap each (gateway + tunnel + connector + clients)%n",
                    STREAMS, perStream / 1024);
            int complete = 0;
            for (CompletableFuture<String> body : bodies) {
                String text = body.get(120, TimeUnit.SECONDS);
                assertTrue(text.startsWith("200 "), text);
                assertTrue(text.contains("[DONE]") && text.contains("\"content\":\" d\""), text);
                complete++;
            }
            assertEquals(STREAMS, complete);
            assertTrue(perStream < 512 * 1024, "heap per open stream " + perStream / 1024 + " KiB");
        } finally {
            upstream.setDefault(Script.ok());
        }
    }

    private static long usedHeap() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
