package org.cameltaas.gateway;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Metric values after scripted traffic, read from the Prometheus scrape endpoint. */
class MetricsTest extends GatewayTestSupport {

    private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"count these words\"}]}";

    @Test
    void requestsTokensStreamsAndOverheadAreCounted() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, post("/v1/chat/completions", CHAT).statusCode());
        }
        upstream.enqueue(Script.status(429).message("slow down"));
        assertEquals(429, post("/v1/chat/completions", CHAT).statusCode());
        HttpResponse<String> stream = post("/v1/chat/completions", CHAT.replace("{\"model\"", "{\"stream\":true,\"model\""));
        assertTrue(stream.body().endsWith("data: [DONE]\n\n"));

        String metrics = scrape();
        assertEquals(4.0, value(metrics, "taas_requests_total", "model=\"gpt-4o-mini\"", "status=\"200\""), metrics);
        assertEquals(1.0, value(metrics, "taas_requests_total", "model=\"gpt-4o-mini\"", "status=\"429\""));
        assertEquals(5.0, value(metrics, "taas_request_seconds_count", "model=\"gpt-4o-mini\""), "every reply, errors included");
        assertTrue(value(metrics, "taas_gateway_overhead_seconds_count", "surface=\"chatCompletions\"") >= 4.0);
        assertEquals(0.0, value(metrics, "taas_access_log_dropped_total"), "every access log line was written");
        // prompt "count these words" = 3 words, reply "Echo: count these words" = 4 words, per the fake upstream
        double completionTokens = value(metrics, "taas_tokens_sum", "model=\"gpt-4o-mini\"", "kind=\"completion\"");
        double prompts = value(metrics, "taas_tokens_count", "model=\"gpt-4o-mini\"", "kind=\"prompt\"");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (prompts < 4.0 && System.nanoTime() < deadline) { // the stream's tokens land when it ends
            Thread.sleep(50);
            metrics = scrape();
            prompts = value(metrics, "taas_tokens_count", "model=\"gpt-4o-mini\"", "kind=\"prompt\"");
            completionTokens = value(metrics, "taas_tokens_sum", "model=\"gpt-4o-mini\"", "kind=\"completion\"");
        }
        assertEquals(4.0, prompts, metrics);
        assertEquals(16.0, completionTokens, "4 replies of 4 words");
        assertEquals(1.0, value(metrics, "taas_streams_total", "model=\"gpt-4o-mini\"", "outcome=\"completed\""));
        assertEquals(0.0, value(metrics, "taas_open_streams"));
    }

    private static String scrape() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base() + "/metrics")).GET());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
        return response.body();
    }

    /** The value of the first sample of that name whose labels contain every given label. */
    private static double value(String metrics, String name, String... labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(metrics);
        while (m.find()) {
            String found = m.group(1) == null ? "" : m.group(1);
            boolean all = true;
            for (String label : labels) {
                all &= found.contains(label);
            }
            if (all) {
                return Double.parseDouble(m.group(2));
            }
        }
        return 0.0;
    }
}
