package org.cameltaas.gateway.limits;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;
import org.cameltaas.gateway.auth.FileTokenStore;
import org.cameltaas.gateway.auth.Principal;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LimitsUnitTest {

    @Test
    void resetDurationsAreInOpenAisFormat() {
        assertEquals("20ms", RateLimitHeaders.duration(TimeUnit.MILLISECONDS.toNanos(20)));
        assertEquals("1s", RateLimitHeaders.duration(TimeUnit.SECONDS.toNanos(1)));
        assertEquals("1.5s", RateLimitHeaders.duration(TimeUnit.MILLISECONDS.toNanos(1500)));
        assertEquals("6m0s", RateLimitHeaders.duration(TimeUnit.MINUTES.toNanos(6)));
        assertEquals("1m30.25s", RateLimitHeaders.duration(TimeUnit.MILLISECONDS.toNanos(90_250)));
        assertEquals("1h0m0s", RateLimitHeaders.duration(TimeUnit.HOURS.toNanos(1)));
        assertEquals("0ms", RateLimitHeaders.duration(0));
        assertEquals(1, RateLimitHeaders.retryAfterSeconds(1));
        assertEquals(20, RateLimitHeaders.retryAfterSeconds(TimeUnit.MILLISECONDS.toNanos(19_001)));
    }

    @Test
    void ratesParse() {
        assertEquals(new Rate(5000, Duration.ofMinutes(10)), Rate.parse("5000/10m"));
        assertEquals(new Rate(60, Duration.ofMinutes(1)), Rate.parse("60/m"));
        assertEquals(new Rate(100, Duration.ofSeconds(1)), Rate.parse(" 100 / 1s "));
        assertThrows(IllegalArgumentException.class, () -> Rate.parse("5000"));
        assertThrows(IllegalArgumentException.class, () -> Rate.parse("0/1m"));
    }

    @Test
    void clientIps() {
        InetSocketAddress proxy = new InetSocketAddress("127.0.0.1", 5000);
        InetSocketAddress stranger = new InetSocketAddress("192.0.2.1", 5000);
        ClientIps none = new ClientIps(null);
        assertEquals("127.0.0.1", none.resolve(proxy, "10.0.0.1"));
        ClientIps trusted = new ClientIps("127.0.0.1,10.0.0.0/8,::1");
        assertEquals("203.0.113.9", trusted.resolve(proxy, "203.0.113.9"));
        assertEquals("203.0.113.9", trusted.resolve(proxy, "1.1.1.1, 203.0.113.9, 10.1.2.3"));
        assertEquals("192.0.2.1", trusted.resolve(stranger, "203.0.113.9"), "only a trusted peer may forward");
        assertEquals("127.0.0.1", trusted.resolve(proxy, "not-an-ip"));
        assertEquals("127.0.0.1", trusted.resolve(proxy, null));
        assertThrows(IllegalArgumentException.class, () -> new ClientIps("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> new ClientIps("proxy.example"));
    }

    @Test
    void promptEstimatesCountTheTextNotTheModelOrTheImageBytes() throws Exception {
        JsonNode small = Json.parse("{\"model\":\"gpt-4o-mini-with-a-very-long-name\",\"messages\":[{\"role\":\"user\",\"content\":\"hello world\"}]}");
        long estimate = PromptTokens.estimate(small);
        assertTrue(estimate >= 3 && estimate <= 5, "user + hello + world: " + estimate);
        JsonNode image = Json.parse("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,"
                + "A".repeat(100_000) + "\"}}]}]}");
        assertTrue(PromptTokens.estimate(image) < 100, "an inline image is not counted as its base64");
        assertEquals(1, PromptTokens.estimate(null));
    }

    @Test
    void theTokensFileCarriesLimits() throws Exception {
        Path file = Files.createTempFile("tokens", ".json");
        Files.writeString(file, "{\"tokens\":[{\"id\":\"a\",\"hash\":\"" + org.cameltaas.gateway.auth.TokenHashes.hash("taas_a")
                + "\",\"rpm\":60,\"tpm\":1000,\"max_concurrent\":2},{\"id\":\"b\",\"hash\":\""
                + org.cameltaas.gateway.auth.TokenHashes.hash("taas_b") + "\"}]}");
        FileTokenStore store = new FileTokenStore(file.toString(), null);
        Principal a = store.authenticate("taas_a").orElseThrow();
        assertEquals(new Limits(60, 1000, 2), a.limits());
        assertTrue(store.authenticate("taas_b").orElseThrow().limits().none());
        assertEquals(new Limits(60, 5, 2), new Limits(60, null, null).orElse(new Limits(1, 5, 2)));

        Files.writeString(file, "{\"tokens\":[{\"id\":\"c\",\"hash\":\"" + org.cameltaas.gateway.auth.TokenHashes.hash("taas_c")
                + "\",\"rpm\":0}]}");
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> new FileTokenStore(file.toString(), null));
        assertTrue(zero.getMessage().contains("token c") && zero.getMessage().contains("rpm"), zero.getMessage());
        Files.writeString(file, "{\"tokens\":[{\"id\":\"c\",\"hash\":\"" + org.cameltaas.gateway.auth.TokenHashes.hash("taas_c")
                + "\",\"tpm\":\"lots\"}]}");
        assertThrows(IllegalArgumentException.class, () -> new FileTokenStore(file.toString(), null));
        assertEquals(Limits.NONE, new Principal("x", "t", "p", java.util.Set.of(), false).limits());
    }
}
