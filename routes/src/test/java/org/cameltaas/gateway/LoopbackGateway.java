package org.cameltaas.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import org.apache.camel.main.Main;
import org.cameltaas.testkit.FakeUpstream;

/**
 * A gateway of one test class's own, on a free loopback port in front of its own fake upstream: a fresh data
 * directory, no local models, the master key given, and the upstream settings the test derives from the upstream.
 */
final class LoopbackGateway implements AutoCloseable {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final FakeUpstream upstream;
    final Main main;
    final int port;
    private final String masterKey;

    private LoopbackGateway(FakeUpstream upstream, Main main, int port, String masterKey) {
        this.upstream = upstream;
        this.main = main;
        this.port = port;
        this.masterKey = masterKey;
    }

    static LoopbackGateway start(String masterKey, Function<FakeUpstream, Map<String, String>> upstreamSettings) throws Exception {
        FakeUpstream upstream = FakeUpstream.start();
        int port = GatewayTestSupport.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("TAAS_HOST", "127.0.0.1");
        env.put("TAAS_PORT", String.valueOf(port));
        env.put("TAAS_MASTER_KEY", masterKey);
        env.put("TAAS_DATA_DIR", Files.createTempDirectory("taas-loopback").toString());
        env.put("TAAS_LOCAL_MODELS", "false");
        env.putAll(upstreamSettings.apply(upstream));
        Main main = Gateway.create(env);
        main.start();
        return new LoopbackGateway(upstream, main, port, masterKey);
    }

    /** A JSON POST with the master key. */
    HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + masterKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        main.stop();
        upstream.close();
    }
}
