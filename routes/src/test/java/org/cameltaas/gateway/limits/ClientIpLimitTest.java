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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-IP net on two gateways: one trusting no proxy, one trusting the loopback as its proxy. */
class ClientIpLimitTest {

    static final String TOKEN = "taas_ip_test_token_0001";

    static FakeUpstream upstream;
    static TestGateway direct;
    static TestGateway behindProxy;

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.start();
        Path tokens = TestGateway.tokensFile(Map.of(TOKEN, ""));
        direct = TestGateway.start(upstream, tokens, Map.of("TAAS_IP_LIMIT", "3/10m"));
        behindProxy = TestGateway.start(upstream, tokens, Map.of("TAAS_IP_LIMIT", "3/10m",
                "TAAS_TRUSTED_PROXIES", "10.9.0.0/16, 127.0.0.1"));
    }

    @AfterAll
    static void stop() throws Exception {
        direct.close();
        behindProxy.close();
        upstream.close();
    }

    @Test
    void withoutTrustedProxiesTheForwardedForHeaderIsIgnoredAndHealthIsNotCounted() throws Exception {
        for (int i = 0; i < 10; i++) {
            assertEquals(200, direct.get("/health", null, null).statusCode());
            assertEquals(200, direct.get("/metrics", null, null).statusCode());
        }
        // a wrong token counts too: guessing tokens is what the net is for
        assertEquals(401, direct.get("/v1/models", "taas_wrong", "10.0.0.1").statusCode());
        HttpResponse<String> second = direct.get("/v1/models", TOKEN, "10.0.0.2");
        assertEquals(200, second.statusCode());
        assertEquals("3", second.headers().firstValue("x-ratelimit-limit-requests").orElseThrow());
        assertEquals("1", second.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
        assertEquals(200, direct.get("/v1/models", TOKEN, "10.0.0.3").statusCode());

        HttpResponse<String> refused = direct.get("/v1/models", TOKEN, "10.0.0.4");
        assertEquals(429, refused.statusCode(), refused.body());
        JsonNode error = Json.parse(refused.body()).get("error");
        assertEquals("rate_limit_exceeded", error.get("code").asText());
        assertTrue(error.get("message").asText().contains("client address"), error.toString());
        assertTrue(Long.parseLong(refused.headers().firstValue("retry-after").orElseThrow()) >= 1);
        assertEquals(200, direct.get("/health", null, null).statusCode(), "health stays open");

        String scrape = direct.get("/metrics", null, null).body();
        assertTrue(scrape.contains("taas_rate_limited_total{limit=\"ip\"} 1.0"), scrape);
    }

    @Test
    void fromATrustedProxyTheClientIsTheRightMostUntrustedForwardedAddress() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, behindProxy.get("/v1/models", TOKEN, "192.0.2.7").statusCode());
        }
        assertEquals(429, behindProxy.get("/v1/models", TOKEN, "192.0.2.7").statusCode());
        // another client behind the same proxy has its own count
        assertEquals(200, behindProxy.get("/v1/models", TOKEN, "192.0.2.8").statusCode());
        // a client cannot escape by writing its own X-Forwarded-For: the proxies append the address they saw
        assertEquals(429, behindProxy.get("/v1/models", TOKEN, "198.51.100.1, 192.0.2.7").statusCode());
        assertEquals(429, behindProxy.get("/v1/models", TOKEN, "192.0.2.7, 10.9.3.4").statusCode(),
                "a chain of trusted proxies is skipped");
    }
}
