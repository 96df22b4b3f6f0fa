package org.cameltaas.component.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A one-case upstream on 127.0.0.1 (JDK HTTP server, ephemeral port): it records every request it receives and
 * answers each with the same scripted reply, its body written byte for byte in one go.
 */
final class LoopbackUpstream implements AutoCloseable {

    /** One request as it arrived: method, path with query string, headers (names case-insensitive) and raw body. */
    record Received(String method, String pathAndQuery, Headers headers, byte[] body) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    /**
     * @param status  the reply's status
     * @param headers the reply's headers
     * @param body    the reply's body, exactly as it is sent
     */
    LoopbackUpstream(int status, Map<String, String> headers, byte[] body) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "conformance-upstream");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> answer(exchange, status, headers, body));
        server.start();
    }

    private void answer(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        try (exchange) {
            byte[] requestBody;
            try (InputStream in = exchange.getRequestBody()) {
                requestBody = in.readAllBytes();
            }
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders(), requestBody));
            headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            if (headers.keySet().stream().noneMatch("connection"::equalsIgnoreCase)) {
                // each case has its own server: a pooled connection must not outlive it (its port may come back)
                exchange.getResponseHeaders().add("Connection", "close");
            }
            boolean eventStream = headers.entrySet().stream().anyMatch(h -> h.getKey().equalsIgnoreCase("content-type")
                    && h.getValue().toLowerCase().startsWith("text/event-stream"));
            // an event stream is sent chunked, as providers do; any other body with its length
            exchange.sendResponseHeaders(status, eventStream ? 0 : body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    /** The base URL with the given API version path, e.g. {@code http://127.0.0.1:40123/v1}. */
    String baseUrl(String basePath) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + basePath;
    }

    List<Received> received() {
        return received;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
