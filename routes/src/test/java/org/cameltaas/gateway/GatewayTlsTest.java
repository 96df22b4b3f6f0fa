package org.cameltaas.gateway;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;
import org.cameltaas.connector.Connector;
import org.cameltaas.connector.ConnectorSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTPS on the gateway itself (TAAS_TLS_CERT_FILE, TAAS_TLS_KEY_FILE, a certificate made here by openssl): the
 * admin API and chat over TLS, a connector dialling wss:// that trusts the certificate through --ca-file, and one
 * that does not trust it staying offline.
 */
class GatewayTlsTest {

    static final String MASTER = "taas_tls_master_key_0000001";
    static LoopbackGateway gateway;
    static Path cert;
    static HttpClient https;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("taas-tls");
        cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(),
                "-out", cert.toString()).redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes());
        assertTrue(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0, "openssl: " + output);
        gateway = LoopbackGateway.start(MASTER, up -> Map.of("TAAS_TLS_CERT_FILE", cert.toString(),
                "TAAS_TLS_KEY_FILE", key.toString(), "OPENAI_BASE_URL", up.baseUrl() + "/v1", "OPENAI_API_KEY", "sk-tls-upstream"));
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("gateway", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), null);
        https = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
    }

    static String base() {
        return "https://127.0.0.1:" + gateway.port;
    }

    static HttpResponse<String> post(String path, String token, String body) throws Exception {
        return https.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static Connector connector(String token, String... extra) {
        String[] args = new String[6 + extra.length];
        System.arraycopy(new String[] {"--gateway", base(), "--token", token, "--target", gateway.upstream.baseUrl() + "/v1"}, 0, args, 0, 6);
        System.arraycopy(extra, 0, args, 6, extra.length);
        return new Connector(ConnectorSettings.parse(args, Map.of())).start();
    }

    @Test
    void theGatewayServesHttpsAndAConnectorTunnelsOverWss() throws Exception {
        HttpResponse<String> health = https.send(HttpRequest.newBuilder(URI.create(base() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());
        assertThrows(java.io.IOException.class, () -> HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port + "/health")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()), "plain HTTP is not served on a TLS port");

        String team = Json.parse(post("/admin/v1/teams", MASTER, "{\"name\":\"tls\"}").body()).get("id").asText();
        String project = Json.parse(post("/admin/v1/projects", MASTER, "{\"team_id\":\"" + team + "\",\"name\":\"p\"}").body())
                .get("id").asText();
        HttpResponse<String> created = post("/admin/v1/deployments", MASTER,
                "{\"name\":\"tls-tunnel\",\"project_id\":\"" + project + "\",\"models\":[\"tls-tunnel\"]}");
        assertEquals(201, created.statusCode(), created.body());
        String deployment = Json.parse(created.body()).get("id").asText();
        String connectorToken = Json.parse(post("/admin/v1/deployments/" + deployment + "/connector-tokens", MASTER, "{}").body())
                .get("token").asText();

        Connector untrusting = connector(connectorToken);
        try {
            Thread.sleep(1500);
            assertFalse(untrusting.online().isDone() && !untrusting.online().isCompletedExceptionally(),
                    "a connector that does not trust the gateway's certificate does not connect");
        } finally {
            untrusting.close();
        }

        Connector trusting = connector(connectorToken, "--ca-file", cert.toString());
        try {
            trusting.online().get(20, TimeUnit.SECONDS);
            HttpResponse<String> reply = post("/v1/chat/completions", MASTER,
                    "{\"model\":\"tls-tunnel\",\"messages\":[{\"role\":\"user\",\"content\":\"over tls\"}]}");
            assertEquals(200, reply.statusCode(), reply.body());
            JsonNode message = Json.parse(reply.body()).at("/choices/0/message/content");
            assertTrue(message.isTextual(), reply.body());
        } finally {
            trusting.close();
        }
    }
}
