package org.cameltaas.gateway.limits;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;
import org.cameltaas.testkit.FakeUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis goes away under two replicas: the default one fails closed (503, nothing upstream), the one with
 * {@code TAAS_REDIS_FAIL_OPEN=true} lets requests through unlimited; both count it. When Redis is back, both limit again.
 */
class RedisDownTest {

    static final String TOKEN = "taas_redis_down_token_01";
    static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    static int redisPort;
    static RedisServer redis;
    static FakeUpstream upstream;
    static TestGateway closed;
    static TestGateway open;

    @BeforeAll
    static void start() throws Exception {
        redisPort = TestGateway.freePort();
        redis = TestGateway.redis(redisPort);
        upstream = FakeUpstream.start();
        Path file = TestGateway.tokensFile(Map.of(TOKEN, "\"rpm\": 1000"));
        String url = "redis://127.0.0.1:" + redisPort;
        closed = TestGateway.start(upstream, file, Map.of("TAAS_REDIS_URL", url, "TAAS_REDIS_TIMEOUT_MS", "300"));
        open = TestGateway.start(upstream, file, Map.of("TAAS_REDIS_URL", url, "TAAS_REDIS_TIMEOUT_MS", "300",
                "TAAS_REDIS_FAIL_OPEN", "true"));
    }

    @AfterAll
    static void stop() throws Exception {
        closed.close();
        open.close();
        upstream.close();
        redis.stop();
    }

    @Test
    void withoutRedisTheDefaultFailsClosedAndFailOpenIsExplicit() throws Exception {
        assertEquals(200, closed.send(closed.chat(TOKEN, CHAT)).statusCode());
        assertEquals(200, open.send(open.chat(TOKEN, CHAT)).statusCode());
        redis.stop();

        int upstreamCalls = upstream.requestCount();
        HttpResponse<String> refused = closed.send(closed.chat(TOKEN, CHAT));
        assertEquals(503, refused.statusCode(), refused.body());
        JsonNode error = Json.parse(refused.body()).get("error");
        assertEquals("rate_limiter_unavailable", error.get("code").asText());
        assertEquals("1", refused.headers().firstValue("retry-after").orElseThrow());
        assertEquals(upstreamCalls, upstream.requestCount(), "nothing went upstream");
        // health does not depend on Redis
        assertEquals(200, closed.get("/health", null, null).statusCode());

        HttpResponse<String> let = open.send(open.chat(TOKEN, CHAT));
        assertEquals(200, let.statusCode(), let.body());
        assertTrue(let.headers().firstValue("x-ratelimit-limit-requests").isEmpty(), "no limit was checked");

        assertTrue(closed.get("/metrics", null, null).body().contains("taas_rate_limiter_failures_total{outcome=\"refused\"}"));
        assertTrue(open.get("/metrics", null, null).body().contains("taas_rate_limiter_failures_total{outcome=\"allowed\"}"));

        redis = TestGateway.redis(redisPort);
        int status = 0;
        for (int attempt = 0; attempt < 100 && status != 200; attempt++) {
            HttpResponse<String> reply = closed.send(closed.chat(TOKEN, CHAT));
            status = reply.statusCode();
            if (status != 200) {
                assertEquals(503, status, reply.body());
                Thread.sleep(100);
            }
        }
        assertEquals(200, status, "Lettuce reconnected: limits are enforced again");
        HttpResponse<String> limitedAgain = open.send(open.chat(TOKEN, CHAT));
        for (int attempt = 0; attempt < 100 && limitedAgain.headers().firstValue("x-ratelimit-limit-requests").isEmpty(); attempt++) {
            Thread.sleep(100);
            limitedAgain = open.send(open.chat(TOKEN, CHAT));
        }
        assertEquals("1000", limitedAgain.headers().firstValue("x-ratelimit-limit-requests").orElseThrow());
    }
}
