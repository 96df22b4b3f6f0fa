package org.cameltaas.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the local models: finds the endpoint of a request by its exact path and method, reads and parses
 * its body, and writes the reply, or the OpenAI error envelope with its status. Runs on the server's executor, so the
 * model runs there too, never on a caller's thread.
 */
final class LocalApi implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(LocalApi.class);

    /** The gateway's own JSON limit: a body it lets through is not refused here. */
    static final long MAX_BODY_BYTES = 20L * 1024 * 1024;
    private static final String MODELS_PATH = "/v1/models";

    private record Route(String method, Endpoint endpoint) {
    }

    private final Map<String, Route> routes;
    private final ModelsEndpoint models = new ModelsEndpoint();

    LocalApi(LocalEmbeddings embeddings) {
        this.routes = Map.of(
                "/v1/embeddings", new Route("POST", new EmbeddingsEndpoint(embeddings)),
                "/v1/rerank", new Route("POST", new RerankEndpoint(new LocalRerank(embeddings))),
                MODELS_PATH, new Route("GET", models));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            int status = 200;
            JsonNode reply;
            try {
                reply = answer(exchange);
            } catch (ApiError e) {
                status = e.status();
                reply = e.envelope();
                if (e.allow() != null) {
                    exchange.getResponseHeaders().set("Allow", e.allow());
                }
            } catch (RuntimeException e) {
                LOG.warn("Local model request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                ApiError error = ApiError.internal("The local model failed: " + e.getMessage());
                status = error.status();
                reply = error.envelope();
            }
            send(exchange, status, reply);
        } finally {
            exchange.close();
        }
    }

    private JsonNode answer(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (path.startsWith(MODELS_PATH + "/")) {
            requireMethod(method, "GET", path);
            return models.retrieve(path.substring(MODELS_PATH.length() + 1));
        }
        Route route = routes.get(path);
        if (route == null) {
            throw ApiError.notFound(method, path);
        }
        requireMethod(method, route.method(), path);
        ObjectNode request = "POST".equals(route.method()) ? WireJson.parseObject(body(exchange)) : null;
        return route.endpoint().answer(request);
    }

    private static void requireMethod(String method, String expected, String path) {
        if (!expected.equals(method)) {
            throw ApiError.methodNotAllowed(method, path, expected);
        }
    }

    /** The request body, refused with a 413 past the limit without reading it all. */
    private static byte[] body(HttpExchange exchange) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > MAX_BODY_BYTES) {
                    throw ApiError.tooLarge(MAX_BODY_BYTES);
                }
            } catch (NumberFormatException e) {
                // the server itself refuses a malformed length; a chunked body has none
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes((int) MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw ApiError.tooLarge(MAX_BODY_BYTES);
            }
            return body;
        }
    }

    private static void send(HttpExchange exchange, int status, JsonNode reply) throws IOException {
        byte[] bytes = WireJson.bytes(reply);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
