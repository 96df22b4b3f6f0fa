package org.cameltaas.gateway;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;
import org.cameltaas.testkit.FakeUpstream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ledger's promise, tested on a real process: a gateway in a child JVM (embedded H2, the default) serves
 * requests from 16 concurrent clients and is killed with SIGKILL mid-load; a new gateway on the same data directory
 * then delivers what the journal holds. Every request whose reply the client received completely has exactly one
 * event, and no event is counted twice.
 */
class KillNineLedgerTest {

    private static final String MASTER = "taas_kill_nine_master_key_0001";
    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"bill me\"}]}";

    @Test
    void aKilledGatewayLosesNoEventOfACompletedReplyAndARestartCountsNoneTwice() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        Path data = Files.createTempDirectory("taas-kill-nine");
        try (FakeUpstream upstream = FakeUpstream.start()) {
            int port = GatewayTestSupport.freePort();
            Process first = startGateway(data, port, upstream, "first");
            Set<String> completed = ConcurrentHashMap.newKeySet();
            try {
                awaitHealthy(http, port, first);
                AtomicBoolean stop = new AtomicBoolean();
                ExecutorService clients = Executors.newFixedThreadPool(16);
                for (int c = 0; c < 16; c++) {
                    clients.execute(() -> {
                        for (int i = 0; i < 100_000 && !stop.get(); i++) {
                            try {
                                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                        + "/v1/chat/completions")).header("Authorization", "Bearer " + MASTER)
                                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(5))
                                        .POST(HttpRequest.BodyPublishers.ofString(CHAT)).build(), HttpResponse.BodyHandlers.ofString());
                                if (response.statusCode() == 200 && response.body().endsWith("}")) {
                                    completed.add(response.headers().firstValue("x-request-id").orElseThrow());
                                }
                            } catch (Exception e) {
                                // the gateway is gone: this reply was not complete
                            }
                        }
                    });
                }
                // under load for a while (bounded), then SIGKILL: no shutdown hook, no flush, nothing graceful
                for (int i = 0; i < 200 && completed.size() < 1500; i++) {
                    Thread.sleep(50);
                }
                first.destroyForcibly();
                assertTrue(first.waitFor(10, TimeUnit.SECONDS));
                assertEquals(137, first.exitValue(), "killed by SIGKILL");
                stop.set(true);
                clients.shutdown();
                assertTrue(clients.awaitTermination(20, TimeUnit.SECONDS));
            } finally {
                first.destroyForcibly();
            }
            assertTrue(completed.size() > 100, "the gateway was under load: " + completed.size() + " replies");
            System.out.println("replies completed before the kill: " + completed.size());

            Process second = startGateway(data, port, upstream, "second");
            try {
                awaitHealthy(http, port, second);
                Set<String> recorded = Set.of();
                List<String> all = List.of();
                for (int i = 0; i < 200; i++) {
                    all = allRequestIds(http, port);
                    recorded = new HashSet<>(all);
                    if (recorded.containsAll(completed)) {
                        break;
                    }
                    Thread.sleep(100);
                }
                Set<String> missing = new HashSet<>(completed);
                missing.removeAll(recorded);
                assertTrue(missing.isEmpty(), missing.size() + " completed replies have no event, e.g. " + missing.stream().limit(3).toList());
                assertEquals(recorded.size(), all.size(), "no request id twice");
                JsonNode usage = Json.parse(get(http, port, "/admin/v1/usage").body());
                assertEquals(all.size(), usage.get("requests").asInt(), "the totals count each event once");
                // events of requests that were journaled but whose reply did not reach the client may be there too
                assertTrue(all.size() >= completed.size());
                System.out.println("events after the restart: " + all.size() + " (" + (all.size() - completed.size())
                        + " of requests in flight at the kill)");
            } finally {
                second.destroy();
                second.waitFor(20, TimeUnit.SECONDS);
                second.destroyForcibly();
            }
        }
    }

    private static Process startGateway(Path data, int port, FakeUpstream upstream, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "org.cameltaas.gateway.GatewayMain");
        Map<String, String> env = builder.environment();
        env.put("TAAS_HOST", "127.0.0.1");
        env.put("TAAS_PORT", String.valueOf(port));
        env.put("TAAS_MASTER_KEY", MASTER);
        env.put("TAAS_DATA_DIR", data.toString());
        env.put("TAAS_LOCAL_MODELS", "false");
        env.put("OPENAI_BASE_URL", upstream.baseUrl() + "/v1");
        env.put("OPENAI_API_KEY", "sk-test");
        env.remove("TAAS_DB_URL");
        File log = Path.of("target", "kill-nine-" + name + ".log").toFile();
        builder.redirectErrorStream(true).redirectOutput(log);
        return builder.start();
    }

    private static void awaitHealthy(HttpClient http, int port, Process process) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (!process.isAlive()) {
                throw new AssertionError("the gateway exited; see routes/target/kill-nine-*.log");
            }
            try {
                if (get(http, port, "/health").statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the gateway did not start within 30 s");
    }

    private static List<String> allRequestIds(HttpClient http, int port) throws Exception {
        List<String> ids = new ArrayList<>();
        String after = null;
        for (int page = 0; page < 1000; page++) {
            JsonNode list = Json.parse(get(http, port, "/admin/v1/requests?limit=100" + (after != null ? "&after=" + after : "")).body());
            list.get("data").forEach(e -> ids.add(e.get("request_id").asText()));
            if (!list.get("has_more").asBoolean()) {
                break;
            }
            after = list.get("last_id").asText();
        }
        return ids;
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + MASTER).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
