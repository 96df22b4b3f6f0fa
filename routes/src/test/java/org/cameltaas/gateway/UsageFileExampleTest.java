package org.cameltaas.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.camel.main.Main;
import org.cameltaas.testkit.FakeUpstream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** examples/gateway-variants/usage-to-file: a second usage destination by a YAML edit only. */
class UsageFileExampleTest {

    @Test
    void everyEventAlsoLandsInTheFile() throws Exception {
        Path dir = Files.createTempDirectory("taas-usage-file");
        Path routes = Files.createDirectories(dir.resolve("routes"));
        GatewayTestSupport.copyShippedRoutes(routes);
        Files.copy(Path.of("../examples/gateway-variants/usage-to-file/ledger.camel.yaml"), routes.resolve("ledger.camel.yaml"),
                StandardCopyOption.REPLACE_EXISTING);
        Path usageDir = dir.resolve("usage");
        int port = GatewayTestSupport.freePort();
        try (FakeUpstream upstream = FakeUpstream.start()) {
            Map<String, String> env = new HashMap<>();
            env.put("TAAS_HOST", "127.0.0.1");
            env.put("TAAS_PORT", String.valueOf(port));
            env.put("TAAS_MASTER_KEY", "taas_usage_file_master_00001");
            env.put("TAAS_DATA_DIR", dir.resolve("data").toString());
            env.put("TAAS_ROUTES_DIR", routes.toString());
            env.put("TAAS_LOCAL_MODELS", "false");
            env.put("OPENAI_BASE_URL", upstream.baseUrl() + "/v1");
            env.put("OPENAI_API_KEY", "sk-test");
            Main gateway = Gateway.create(env);
            // what TAAS_USAGE_FILE_DIR sets (a JVM cannot set its own environment)
            gateway.addInitialProperty("taas.usage.file.dir", usageDir.toString());
            gateway.start();
            try {
                HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/v1/chat/completions")).timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer taas_usage_file_master_00001").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), response.body());
                String requestId = response.headers().firstValue("x-request-id").orElseThrow();
                String lines = "";
                for (int i = 0; i < 200 && !lines.contains(requestId); i++) {
                    Thread.sleep(50);
                    lines = read(usageDir);
                }
                assertTrue(lines.contains("\"request_id\":\"" + requestId + "\""), lines);
                assertTrue(lines.contains("\"object\":\"usage_event\""), lines);
            } finally {
                gateway.stop();
            }
        }
    }

    private static String read(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                text.append(Files.readString(file));
            }
        }
        return text.toString();
    }
}
