package org.cameltaas.gateway.connector;

import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One upstream call to a registered deployment: tries its live connectors until one starts a reply. A connector that
 * goes away before its reply's head costs nothing: the next one gets the request (the request is held until then).
 * With none left, the call is answered here: 503 {@code connector_offline} in the OpenAI envelope.
 */
final class ConnectorCall {

    private final ConnectorRegistry registry;
    private final String deployment;
    private final String method;
    private final String path;
    private final Map<String, String> headers;
    private final byte[] body;
    private final Set<TunnelSession> tried = new HashSet<>();
    private final CompletableFuture<Void> future = new CompletableFuture<>() {
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            abort();
            return super.cancel(mayInterruptIfRunning);
        }
    };
    private HttpResponse.BodyHandler<Void> handler;
    private TunnelStream current;
    private boolean replying;
    private boolean done;
    private String lastFailure;

    ConnectorCall(ConnectorRegistry registry, String deployment, String method, String path, Map<String, String> headers,
                  byte[] body) {
        this.registry = registry;
        this.deployment = deployment;
        this.method = method;
        this.path = path;
        this.headers = headers;
        this.body = body;
    }

    CompletableFuture<Void> send(HttpResponse.BodyHandler<Void> bodyHandler) {
        this.handler = bodyHandler;
        attempt();
        return future;
    }

    HttpResponse.BodyHandler<Void> handler() {
        return handler;
    }

    private void attempt() {
        TunnelSession session;
        TunnelStream stream;
        synchronized (this) {
            if (done) {
                return;
            }
            session = registry.pick(deployment, tried);
            if (session == null) {
                done = true;
                stream = null;
            } else {
                tried.add(session);
                stream = new TunnelStream(this);
                current = stream;
            }
        }
        if (session == null) {
            registry.blocking().execute(this::answerOffline); // never inside send(): the caller is not ready yet
            return;
        }
        session.open(stream, deployment, method, path, headers, body);
    }

    /** The connector started a reply: from here on a failure is the caller's. False when the call was given up. */
    synchronized boolean replyStarted(TunnelStream stream) {
        if (done || stream != current) {
            return false;
        }
        replying = true;
        return true;
    }

    void failedBeforeReply(TunnelStream stream, TunnelSession session, String reason) {
        synchronized (this) {
            if (stream != current || replying) {
                return;
            }
            lastFailure = reason;
        }
        attempt(); // another connector of the deployment, if any is left
    }

    synchronized boolean isDone() {
        return done;
    }

    void completed() {
        synchronized (this) {
            done = true;
        }
        future.complete(null);
    }

    void failed(Throwable error) {
        synchronized (this) {
            done = true;
        }
        future.completeExceptionally(error);
    }

    private void abort() {
        TunnelStream stream;
        synchronized (this) {
            done = true;
            stream = current;
        }
        if (stream != null) {
            stream.abandonSoon();
        }
    }

    private void answerOffline() {
        String message = lastFailure == null
                ? "Connector offline — the tunnel is not active; start the connector: bin/connector --gateway <this gateway> "
                  + "--token <connector token> --target <your model server's base URL>"
                : "Connector offline — the tunnel dropped before the reply (" + lastFailure + "); restart the connector: "
                  + "bin/connector --gateway <this gateway> --token <connector token> --target <your model server's base URL>";
        ObjectNode envelope = JsonNodeFactory.instance.objectNode();
        ObjectNode error = envelope.putObject("error");
        error.put("message", message);
        error.put("type", "service_unavailable");
        error.putNull("param");
        error.put("code", ConnectorUpstreamHttp.OFFLINE_CODE);
        byte[] bytes = envelope.toString().getBytes(StandardCharsets.UTF_8);
        HttpResponse.ResponseInfo info = new HttpResponse.ResponseInfo() {
            @Override
            public int statusCode() {
                return 503;
            }

            @Override
            public HttpHeaders headers() {
                return HttpHeaders.of(Map.of("content-type", List.of("application/json")), (a, b) -> true);
            }

            @Override
            public HttpClient.Version version() {
                return HttpClient.Version.HTTP_1_1;
            }
        };
        HttpResponse.BodySubscriber<Void> subscriber = handler.apply(info);
        subscriber.onSubscribe(new Flow.Subscription() {
            private boolean sent;

            @Override
            public synchronized void request(long n) {
                if (!sent && n > 0) {
                    sent = true;
                    subscriber.onNext(List.of(ByteBuffer.wrap(bytes)));
                    subscriber.onComplete();
                    future.complete(null);
                }
            }

            @Override
            public void cancel() {
                future.complete(null);
            }
        });
    }
}
