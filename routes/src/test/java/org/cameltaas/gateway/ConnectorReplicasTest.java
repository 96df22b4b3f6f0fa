package org.cameltaas.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.camel.main.Main;
import org.cameltaas.component.support.Json;
import org.cameltaas.connector.Connector;
import org.cameltaas.connector.ConnectorSettings;
import org.cameltaas.testkit.FakeUpstream;
import org.junit.jupiter.api.Test;

/**
 * Two gateway replicas on one PostgreSQL: a deployment registered through one is served by both, through one
 * connector that keeps a tunnel to each; with the connector gone both answer 503 connector_offline.
 */
class ConnectorReplicasTest {

    private static final String MASTER = "taas_replica_master_key_000002";

    @Test
    void oneConnectorServesADeploymentOnTwoReplicas() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start(); FakeUpstream upstream = FakeUpstream.start()) {
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE taas");
            }
            String url = postgres.getJdbcUrl("postgres", "taas");
            int portA = GatewayTestSupport.freePort();
            int portB = GatewayTestSupport.freePort();
            Main a = replica(url, portA, upstream);
            a.start();
            Main b = replica(url, portB, upstream);
            b.start();
            try {
                String team = json(send(http, portA, "/admin/v1/teams", "{\"name\":\"shared\"}")).get("id").asText();
                String project = json(send(http, portA, "/admin/v1/projects", "{\"team_id\":\"" + team + "\",\"name\":\"p\"}"))
                        .get("id").asText();
                String deployment = json(send(http, portA, "/admin/v1/deployments",
                        "{\"name\":\"shared-tunnel\",\"project_id\":\"" + project + "\"}")).get("id").asText();
                String token = json(send(http, portA, "/admin/v1/deployments/" + deployment + "/connector-tokens", "{}"))
                        .get("token").asText();
                try (Connector connector = new Connector(ConnectorSettings.parse(new String[] {"--gateway",
                        "http://127.0.0.1:" + portA + ",http://127.0.0.1:" + portB, "--token", token,
                        "--target", upstream.baseUrl() + "/v1"}, Map.of())).start()) {
                    connector.online().get(20, TimeUnit.SECONDS);
                    // replica B learns of the deployment from the store (within its 2 s refresh)
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (System.nanoTime() < deadline && !get(http, portB, "/v1/models").body().contains("\"shared-tunnel\"")) {
                        Thread.sleep(100);
                    }
                    assertTrue(get(http, portB, "/v1/models").body().contains("\"shared-tunnel\""), "replica B lists the deployment");
                    int before = upstream.requestCount();
                    HttpResponse<String> viaB = chat(http, portB);
                    assertEquals(200, viaB.statusCode(), viaB.body());
                    assertEquals(before + 1, upstream.requestCount());
                    assertEquals(null, upstream.lastRequest().header("authorization"), "through the tunnel, not the default upstream");
                    HttpResponse<String> viaA = chat(http, portA);
                    assertEquals(200, viaA.statusCode(), viaA.body());
                    assertEquals("Echo: over replicas", json(viaA).at("/choices/0/message/content").asText());
                    assertEquals(1, json(get(http, portB, "/admin/v1/deployments/" + deployment)).get("connectors").size());
                }
                for (int port : new int[] {portA, portB}) {
                    HttpResponse<String> offline = chat(http, port);
                    assertEquals(503, offline.statusCode(), offline.body());
                    assertEquals("connector_offline", json(offline).at("/error/code").asText());
                }
            } finally {
                b.stop();
                a.stop();
            }
        }
    }

    private static Main replica(String url, int port, FakeUpstream upstream) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("TAAS_HOST", "127.0.0.1");
        env.put("TAAS_PORT", String.valueOf(port));
        env.put("TAAS_MASTER_KEY", MASTER);
        env.put("TAAS_DATA_DIR", Files.createTempDirectory("taas-replica").toString());
        env.put("TAAS_DB_URL", url);
        env.put("TAAS_DB_USER", "postgres");
        env.put("TAAS_DB_PASSWORD", "postgres");
        env.put("TAAS_LOCAL_MODELS", "false");
        env.put("OPENAI_BASE_URL", upstream.baseUrl() + "/v1");
        env.put("OPENAI_API_KEY", "sk-test");
        return Gateway.create(env);
    }

    private static HttpResponse<String> chat(HttpClient http, int port) throws Exception {
        return send(http, port, "/v1/chat/completions",
                "{\"model\":\"shared-tunnel\",\"messages\":[{\"role\":\"user\",\"content\":\"over replicas\"}]}");
    }

    private static com.fasterxml.jackson.databind.JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.parse(response.body());
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + MASTER).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(HttpClient http, int port, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + MASTER).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
