package org.cameltaas.gateway;

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

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.camel.main.Main;
import org.cameltaas.component.support.Json;
import org.cameltaas.testkit.FakeUpstream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two gateway instances sharing one real PostgreSQL server (TAAS_DB_URL): a token issued through one works on the
 * other, and once revoked through the first, the second refuses it within 5 seconds. Both write the same ledger.
 */
class ReplicaRevocationGatewayTest {

    private static final String MASTER = "taas_replica_master_key_000001";

    @Test
    void aRevocationOnOneReplicaIsSeenByTheOtherWithinFiveSeconds() throws Exception {
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
                String team = post(http, portA, "/admin/v1/teams", "{\"name\":\"shared\"}", MASTER).get("id").asText();
                String project = post(http, portA, "/admin/v1/projects", "{\"team_id\":\"" + team + "\",\"name\":\"p\"}", MASTER)
                        .get("id").asText();
                JsonNode token = post(http, portA, "/admin/v1/tokens", "{\"project_id\":\"" + project + "\",\"name\":\"t\"}", MASTER);
                String secret = token.get("token").asText();
                assertTrue(waitForStatus(http, portB, secret, 200), "the new token reaches replica B");

                long revokedAt = System.nanoTime();
                HttpResponse<String> revoked = send(http, portA, "POST", "/admin/v1/tokens/" + token.get("id").asText() + "/revoke",
                        null, MASTER);
                assertEquals(200, revoked.statusCode(), revoked.body());
                assertEquals(401, models(http, portA, secret), "at once on the replica that revoked");
                assertTrue(waitForStatus(http, portB, secret, 401), "replica B refuses it");
                long millis = (System.nanoTime() - revokedAt) / 1_000_000;
                assertTrue(millis < 5000, "replica B refused the token after " + millis + " ms");
                System.out.println("revocation reached the second replica in " + millis + " ms");

                // both replicas write the one ledger: B's answers appear in A's admin API
                for (int i = 0; i < 100; i++) {
                    JsonNode usage = Json.parse(send(http, portA, "GET", "/admin/v1/usage?token_id=" + token.get("id").asText(),
                            null, MASTER).body());
                    if (usage.get("requests").asInt() >= 2) {
                        break;
                    }
                    Thread.sleep(50);
                }
                JsonNode usage = Json.parse(send(http, portA, "GET", "/admin/v1/usage?token_id=" + token.get("id").asText(),
                        null, MASTER).body());
                assertTrue(usage.get("requests").asInt() >= 2, usage.toString());
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

    /** Polls GET /v1/models with the token until it answers {@code status} (bounded: 6 s, 20 ms apart). */
    private static boolean waitForStatus(HttpClient http, int port, String token, int status) throws Exception {
        for (int i = 0; i < 300; i++) {
            if (models(http, port, token) == status) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static int models(HttpClient http, int port, String token) throws Exception {
        return send(http, port, "GET", "/v1/models", null, token).statusCode();
    }

    private static JsonNode post(HttpClient http, int port, String path, String body, String token) throws Exception {
        HttpResponse<String> response = send(http, port, "POST", path, body, token);
        assertEquals(201, response.statusCode(), response.body());
        return Json.parse(response.body());
    }

    private static HttpResponse<String> send(HttpClient http, int port, String method, String path, String body, String token)
            throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
