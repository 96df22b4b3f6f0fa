package org.cameltaas.gateway.limits;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.cameltaas.component.support.Json;
import org.cameltaas.testkit.FakeUpstream;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two gateway replicas on loopback sharing one real Redis (codemonstur's embedded-redis: a real redis-server
 * binary) and one tokens file: each limit holds once across both, not once per replica.
 */
class TwoReplicasRedisTest {

    static final String HUNDRED_PER_MINUTE = "taas_hundred_per_minute_01";
    static final String ONE_AT_A_TIME = "taas_one_at_a_time_shared_02";
    static final String TPM = "taas_tpm_shared_token_03";
    static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final String STREAM = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";

    static RedisServer redis;
    static FakeUpstream upstream;
    static TestGateway a;
    static TestGateway b;

    @BeforeAll
    static void start() throws Exception {
        int redisPort = TestGateway.freePort();
        redis = TestGateway.redis(redisPort);
        upstream = FakeUpstream.start();
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put(HUNDRED_PER_MINUTE, "\"rpm\": 100");
        tokens.put(ONE_AT_A_TIME, "\"max_concurrent\": 1");
        tokens.put(TPM, "\"tpm\": 1000");
        Path file = TestGateway.tokensFile(tokens);
        Map<String, String> env = Map.of("TAAS_REDIS_URL", "redis://127.0.0.1:" + redisPort, "TAAS_IP_LIMIT", "off");
        a = TestGateway.start(upstream, file, env);
        b = TestGateway.start(upstream, file, env);
    }

    @AfterAll
    static void stop() throws Exception {
        a.close();
        b.close();
        upstream.close();
        redis.stop();
    }

    @Test
    void fourHundredParallelRequestsOverTwoReplicasAgainstAHundredPerMinuteTokenAnswerExactlyAHundred() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            TestGateway replica = i % 2 == 0 ? a : b;
            replies.add(TestGateway.HTTP.sendAsync(replica.chat(HUNDRED_PER_MINUTE, CHAT).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        int ok = 0;
        int limited = 0;
        for (CompletableFuture<HttpResponse<String>> reply : replies) {
            HttpResponse<String> response = reply.get(60, TimeUnit.SECONDS);
            if (response.statusCode() == 200) {
                ok++;
            } else {
                assertEquals(429, response.statusCode(), response.body());
                assertEquals("rate_limit_exceeded", Json.parse(response.body()).get("error").get("code").asText());
                assertTrue(response.headers().firstValue("retry-after").isPresent());
                limited++;
            }
        }
        assertEquals(100, ok, "answered");
        assertEquals(300, limited, "refused");
    }

    @Test
    void aSlotTakenOnOneReplicaIsTakenOnTheOther() throws Exception {
        upstream.enqueue(Script.ok().reply("w ".repeat(300).trim()).chunkDelay(java.time.Duration.ofMillis(20)));
        HttpResponse<InputStream> open = TestGateway.HTTP.send(a.chat(ONE_AT_A_TIME, STREAM).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, open.statusCode());
        HttpResponse<String> other = b.send(b.chat(ONE_AT_A_TIME, CHAT));
        assertEquals(429, other.statusCode(), other.body());
        open.body().close();
        int status = 0;
        for (int attempt = 0; attempt < 100 && status != 200; attempt++) {
            status = b.send(b.chat(ONE_AT_A_TIME, CHAT)).statusCode();
            if (status != 200) {
                Thread.sleep(50);
            }
        }
        assertEquals(200, status, "the slot came back in Redis when the stream on the other replica ended");
    }

    @Test
    void tokenCorrectionsOnOneReplicaAreSeenByTheOther() throws Exception {
        upstream.enqueue(Script.ok().usage(500, 200));
        HttpResponse<String> first = a.send(a.chat(TPM, CHAT));
        assertEquals(200, first.statusCode(), first.body());
        long estimate = 1000 - Long.parseLong(first.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
        // the correction is sent to Redis as the reply goes out; the next reply tells when it has landed
        long expected = 1000 - 700 - estimate;
        long seen = -1;
        for (int attempt = 0; attempt < 50 && seen != expected; attempt++) {
            upstream.enqueue(Script.ok().usage((int) estimate, 0));
            HttpResponse<String> next = b.send(b.chat(TPM, CHAT));
            assertEquals(200, next.statusCode(), next.body());
            seen = Long.parseLong(next.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow()) + estimate * attempt;
        }
        assertEquals(expected, seen);
    }
}
