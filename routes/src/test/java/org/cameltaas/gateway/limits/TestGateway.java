package org.cameltaas.gateway.limits;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.camel.main.Main;
import org.cameltaas.gateway.Gateway;
import org.cameltaas.gateway.auth.TokenHashes;
import org.cameltaas.testkit.FakeUpstream;
import redis.embedded.RedisServer;

/** One real gateway on a loopback port for the limit tests, in front of a fake upstream, with extra environment. */
final class TestGateway implements AutoCloseable {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final Main main;
    final int port;

    private TestGateway(Main main, int port) {
        this.main = main;
        this.port = port;
    }

    static TestGateway start(FakeUpstream upstream, Path tokens, Map<String, String> extra) throws Exception {
        int port = freePort();
        Map<String, String> env = new HashMap<>();
        env.put("TAAS_HOST", "127.0.0.1");
        env.put("TAAS_PORT", String.valueOf(port));
        env.put("TAAS_MASTER_KEY", "taas_test_master_key_0001");
        env.put("TAAS_TOKENS_FILE", tokens.toString());
        env.put("TAAS_DATA_DIR", tokens.getParent().toString());
        env.put("TAAS_LOCAL_MODELS", "false");
        env.put("OPENAI_BASE_URL", upstream.baseUrl() + "/v1");
        env.put("OPENAI_API_KEY", "sk-upstream-secret-9999");
        env.put("ANTHROPIC_BASE_URL", upstream.baseUrl() + "/v1");
        env.put("ANTHROPIC_API_KEY", "sk-ant-upstream-secret-7777");
        env.putAll(extra);
        Main main = Gateway.create(env);
        main.start();
        return new TestGateway(main, port);
    }

    /** A tokens file: each entry {@code token -> JSON fields after the hash}, e.g. {@code "\"rpm\": 3"}. */
    static Path tokensFile(Map<String, String> tokens) throws IOException {
        Path dir = Files.createTempDirectory("taas-limits-test");
        StringBuilder json = new StringBuilder("{\"tokens\":[");
        String sep = "";
        for (Map.Entry<String, String> token : tokens.entrySet()) {
            json.append(sep).append("{\"id\":\"").append(token.getKey().substring(5)).append("\",\"hash\":\"")
                    .append(TokenHashes.hash(token.getKey())).append('"');
            if (!token.getValue().isBlank()) {
                json.append(',').append(token.getValue());
            }
            json.append('}');
            sep = ",";
        }
        Path file = dir.resolve("tokens.json");
        Files.writeString(file, json.append("]}").toString());
        return file;
    }

    /** A real Redis on a free loopback port, with nothing saved to disk. */
    static RedisServer redis(int port) throws IOException {
        RedisServer redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
                .setting("appendonly no").build();
        redis.start();
        return redis;
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    HttpRequest.Builder chat(String token, String body) {
        return HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions")).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String token, String forwardedFor) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return send(request);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
