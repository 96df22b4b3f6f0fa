package org.cameltaas.component;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.apache.camel.Exchange;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.cameltaas.component.TaasUpstreamException.Failure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An upstream behind TLS with a private CA's certificate (self-signed here, for 127.0.0.1): refused with the JVM's
 * trust store, served once the endpoint's {@code sslContextParameters} trust it, over both HTTP clients.
 */
class TlsUpstreamTest extends TaasTestSupport {

    private static final String REPLY = "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":\"over tls\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}";
    private static final String CHAT = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @TempDir
    static Path dir;
    private static Path keystore;
    private static HttpsServer server;

    @BeforeAll
    static void startTlsUpstream() throws Exception {
        keystore = dir.resolve("upstream.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "upstream", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        keytool.getInputStream().transferTo(OutputStream.nullOutputStream());
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool made the certificate");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/v1/chat/completions", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = REPLY.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stopTlsUpstream() {
        server.stop(0);
    }

    @Override
    protected void bindToRegistry(org.apache.camel.spi.Registry registry) throws Exception {
        KeyStoreParameters trusted = new KeyStoreParameters();
        trusted.setResource("file:" + keystore);
        trusted.setPassword("changeit");
        trusted.setType("PKCS12");
        TrustManagersParameters trustManagers = new TrustManagersParameters();
        trustManagers.setKeyStore(trusted);
        SSLContextParameters privateCa = new SSLContextParameters();
        privateCa.setTrustManagers(trustManagers);
        registry.bind("privateCa", privateCa);
    }

    private static String tlsUri(String options) {
        return "taas:chatCompletions?baseUrl=https://127.0.0.1:" + server.getAddress().getPort() + "/v1&apiKey=RAW("
               + API_KEY + ")&" + options;
    }

    @Test
    void theJvmsTrustStoreRefusesThePrivateCertificate() {
        for (String client : new String[] {"netty", "jdk"}) {
            Exchange reply = call(tlsUri("upstreamClient=" + client), CHAT);
            TaasRetryableException error = assertInstanceOf(TaasRetryableException.class, reply.getException(), client);
            assertEquals(Failure.CONNECT, error.getFailure(), client + ": " + error.getMessage());
        }
    }

    @Test
    void sslContextParametersTrustThePrivateCertificate() {
        for (String client : new String[] {"netty", "jdk"}) {
            for (int i = 0; i < 3; i++) { // the second and third reuse the kept-alive TLS connection
                Exchange reply = call(tlsUri("upstreamClient=" + client + "&sslContextParameters=#privateCa"), CHAT);
                assertNull(reply.getException(), () -> client + ": " + reply.getException());
                assertEquals("over tls", reply.getMessage().getBody(JsonNode.class).at("/choices/0/message/content").asText());
            }
        }
    }
}
