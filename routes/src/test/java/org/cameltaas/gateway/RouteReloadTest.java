package org.cameltaas.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.main.Main;
import org.cameltaas.component.support.Json;
import org.cameltaas.testkit.FakeUpstream;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An operator's route directory: the shipped routes plus the examples' variants (a model that is a custom route,
 * a model with a fallback), and a model added by editing a file while the gateway runs.
 */
class RouteReloadTest {

    private static final String KEY = "taas_reload_test_key_0001";

    @Test
    void operatorRoutesCustomModelsFallbackAndLiveReload() throws Exception {
        Path dir = Files.createTempDirectory("taas-routes");
        GatewayTestSupport.copyShippedRoutes(dir);
        for (String variant : new String[] {"internal-faq-model.camel.yaml", "fallback-model.camel.yaml"}) {
            Files.copy(Path.of("../examples/gateway-variants", variant), dir.resolve(variant));
        }
        try (FakeUpstream upstream = FakeUpstream.start()) {
            int port = GatewayTestSupport.freePort();
            Map<String, String> env = new HashMap<>();
            env.put("TAAS_HOST", "127.0.0.1");
            env.put("TAAS_PORT", String.valueOf(port));
            env.put("TAAS_MASTER_KEY", KEY);
            env.put("TAAS_DATA_DIR", dir.resolve("data").toString());
            env.put("TAAS_ROUTES_DIR", dir.toString());
            env.put("OPENAI_BASE_URL", upstream.baseUrl() + "/v1");
            Main gateway = Gateway.create(env);
            gateway.start();
            try {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                String base = "http://127.0.0.1:" + port;

                JsonNode faq = Json.parse(chat(http, base, "internal-faq", "I forgot my password").body());
                assertEquals("Reset it at https://id.example.internal/reset.", faq.at("/choices/0/message/content").asText());
                assertEquals(0, upstream.requestCount(), "the custom model answered without any upstream");
                assertTrue(models(http, base).contains("\"id\":\"internal-faq\""));

                upstream.enqueue(Script.status(503).message("primary down"));
                HttpResponse<String> fallback = chat(http, base, "gpt-4o-resilient", "are you there");
                assertEquals(200, fallback.statusCode(), fallback.body());
                assertEquals(2, upstream.requestCount(), "the failed primary then the secondary");
                assertEquals("gpt-4o-mini", upstream.lastRequest().bodyJson().get("model").asText());

                // an operator declares a new model by writing a file; no restart
                Files.writeString(dir.resolve("extra-model.camel.yaml"), """
                        - templatedRoute:
                            routeTemplateRef: model
                            routeId: model-brand-new
                            parameters:
                              - name: name
                                value: brand-new
                              - name: upstreamModel
                                value: upstream-brand-new
                              - name: baseUrl
                                value: "{{taas.openai.baseUrl}}"
                        """);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!models(http, base).contains("brand-new") && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertTrue(models(http, base).contains("\"id\":\"brand-new\""), "the new model is listed after reload");
                Thread.sleep(3000); // a second file event (the write after the create) reloads it again: it must stay
                assertTrue(models(http, base).contains("\"id\":\"brand-new\""), "still listed after a second reload");
                HttpResponse<String> fresh = chat(http, base, "brand-new", "hello new model");
                assertEquals(200, fresh.statusCode(), fresh.body());
                assertEquals("upstream-brand-new", upstream.lastRequest().bodyJson().get("model").asText());

                // deleting the file removes the model again
                Files.delete(dir.resolve("extra-model.camel.yaml"));
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (models(http, base).contains("brand-new") && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertTrue(!models(http, base).contains("brand-new"), "the model is gone with its file");
            } finally {
                gateway.stop();
            }
        }
    }

    private static HttpResponse<String> chat(HttpClient http, String base, String model, String text) throws Exception {
        String body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
        return http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions")).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + KEY).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String models(HttpClient http, String base) throws Exception {
        try {
            return modelsOnce(http, base);
        } catch (java.net.ConnectException e) {
            return ""; // a reload in progress is allowed to refuse for a moment
        }
    }

    private static String modelsOnce(HttpClient http, String base) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/v1/models")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + KEY).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
