package org.cameltaas.gateway.credits;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.main.Main;
import org.cameltaas.component.support.Json;
import org.cameltaas.gateway.Gateway;
import org.cameltaas.tenancy.Tenancy;
import org.cameltaas.testkit.FakeUpstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One real gateway on loopback for the credits tests, with its tenancy (H2 in {@code dataDir}, or TAAS_DB_URL). */
final class CreditsGateway implements AutoCloseable {

    static final String MASTER = "taas_credits_master_key_00001";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final Main main;
    final int port;

    private CreditsGateway(Main main, int port) {
        this.main = main;
        this.port = port;
    }

    static CreditsGateway start(FakeUpstream upstream, Path dataDir, Path prices, Map<String, String> extra) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> env = new HashMap<>();
        env.put("TAAS_HOST", "127.0.0.1");
        env.put("TAAS_PORT", String.valueOf(port));
        env.put("TAAS_MASTER_KEY", MASTER);
        env.put("TAAS_DATA_DIR", dataDir.toString());
        env.put("TAAS_LOCAL_MODELS", "false");
        env.put("TAAS_IP_LIMIT", "off");
        env.put("TAAS_PRICES_FILE", prices.toString());
        env.put("TAAS_PRICES_RELOAD_MS", "100");
        env.put("OPENAI_BASE_URL", upstream.baseUrl() + "/v1");
        env.put("OPENAI_API_KEY", "sk-upstream-secret-9999");
        env.put("ANTHROPIC_BASE_URL", upstream.baseUrl() + "/v1");
        env.put("ANTHROPIC_API_KEY", "sk-ant-upstream-secret-7777");
        env.putAll(extra);
        Main main = Gateway.create(env);
        main.start();
        return new CreditsGateway(main, port);
    }

    Tenancy tenancy() {
        return main.lookup("tenancy", Tenancy.class);
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    HttpResponse<String> admin(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/admin/v1" + path))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + MASTER)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode adminOk(String method, String path, String body, int status) throws Exception {
        HttpResponse<String> response = admin(method, path, body);
        assertEquals(status, response.statusCode(), response.body());
        return Json.parse(response.body());
    }

    /** A new team, project and client token: {@code [projectId, tokenId, secret]}. */
    String[] tenant() throws Exception {
        String team = adminOk("POST", "/teams", "{\"name\":\"t-" + System.nanoTime() + "\"}", 201).get("id").asText();
        String project = adminOk("POST", "/projects", "{\"team_id\":\"" + team + "\",\"name\":\"p\"}", 201).get("id").asText();
        JsonNode token = adminOk("POST", "/tokens", "{\"project_id\":\"" + project + "\",\"name\":\"c\"}", 201);
        return new String[] {project, token.get("id").asText(), token.get("token").asText()};
    }

    HttpRequest.Builder post(String path, String token, String body) {
        return HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode project(String id) throws Exception {
        return adminOk("GET", "/projects/" + id, null, 200);
    }

    Credits credits() {
        return main.lookup("credits", Credits.class);
    }

    /**
     * Waits (bounded: 10 s) until this replica's requests are settled and the ledger has charged them all (it
     * stores the usage events within ~50 ms of the replies), then reads the project.
     */
    JsonNode settled(String id) throws Exception {
        for (int i = 0; i < 200 && !credits().quiet(); i++) {
            Thread.sleep(50);
        }
        assertTrue(credits().quiet(), "every request settled and charged");
        return project(id);
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
