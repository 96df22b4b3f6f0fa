package org.cameltaas.component.provider.gemini;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

/**
 * A loopback server that answers every request with a fixed event stream and then ends the body properly. The fake
 * upstream can only cut a stream by dropping the connection; this one ends it cleanly without a finishReason, as
 * a Gemini backend that gives up mid-answer would.
 */
final class CleanlyEndingSseServer implements AutoCloseable {

    private final HttpServer server;

    CleanlyEndingSseServer(String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0); // chunked, ended by its last chunk
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1beta";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
