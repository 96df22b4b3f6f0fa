package org.cameltaas.connector;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.connector.protocol.Frame;
import org.cameltaas.connector.protocol.FrameType;
import org.cameltaas.connector.protocol.Tunnel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream the gateway opened: the request is collected (bounded), sent to the target with the JDK HttpClient,
 * and the reply goes back as REPLY_HEAD, REPLY_BODY frames as the target produces them (an SSE event is on its way
 * as soon as the target wrote it) and REPLY_END. The body is read only while the gateway's window has room, so a
 * slow client slows this stream's target read and nothing else.
 */
final class TargetStream {

    private static final Logger LOG = LoggerFactory.getLogger(TargetStream.class);
    /** Headers that belong to one HTTP hop (or that the JDK client sets itself), never forwarded. */
    private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "expect", "host", "keep-alive",
            "transfer-encoding", "upgrade", "te", "trailer", "proxy-connection", "http2-settings");

    static final TargetStream GONE = new TargetStream();

    private final int id;
    private final ObjectNode head;
    private final TunnelClientHandler tunnel;
    private final Connector connector;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final boolean gone;

    // guarded by this
    private long window = Tunnel.INITIAL_WINDOW;
    private Flow.Subscription subscription;
    private boolean waitingForWindow;
    private boolean cancelled;
    private CompletableFuture<?> call;

    private TargetStream() {
        this.id = 0;
        this.head = null;
        this.tunnel = null;
        this.connector = null;
        this.gone = true;
    }

    TargetStream(int id, ObjectNode head, TunnelClientHandler tunnel, Connector connector) {
        this.id = id;
        this.head = head;
        this.tunnel = tunnel;
        this.connector = connector;
        this.gone = false;
    }

    void body(byte[] bytes) {
        if (gone) {
            return;
        }
        if (body.size() + bytes.length > Tunnel.MAX_REQUEST_BODY) {
            reset("the request body is over " + Tunnel.MAX_REQUEST_BODY + " bytes");
            return;
        }
        body.writeBytes(bytes);
    }

    void end() {
        if (gone) {
            return;
        }
        // off the tunnel's event loop: sending may resolve the target's host name
        connector.httpExecutor().execute(this::send);
    }

    private void send() {
        HttpRequest request;
        try {
            request = request();
        } catch (IllegalArgumentException e) {
            reply(400, "connector_bad_request", "The connector cannot forward this request: " + e.getMessage());
            return;
        }
        CompletableFuture<HttpResponse<Void>> sent = connector.http().sendAsync(request, this::subscriber);
        synchronized (this) {
            call = sent;
            if (cancelled) {
                sent.cancel(true);
            }
        }
        sent.whenComplete((response, error) -> {
            if (error != null && !isCancelled()) {
                if (headSent()) {
                    reset("the target failed mid-reply: " + error);
                } else {
                    LOG.warn("stream {}: the target {} failed: {}", id, connector.settings().target(), error.toString());
                    reply(502, "connector_target_unreachable", "The connector cannot reach its model server: "
                            + rootMessage(error));
                }
            }
        });
    }

    private HttpRequest request() {
        String path = head.path("path").asText("");
        // the path comes from the gateway, which only asks the deployment's API; still, it must stay on the target
        if (!path.startsWith("/") || path.contains("..") || path.contains("://") || path.contains("#") || path.contains("\\")) {
            throw new IllegalArgumentException("bad path " + path);
        }
        URI target = connector.settings().target();
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(target + path));
        String method = head.path("method").asText("POST");
        byte[] bytes = body.toByteArray();
        builder.method(method, bytes.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
        Map<String, List<String>> headers = Tunnel.headers(head.path("headers"));
        String targetKey = connector.settings().targetApiKey();
        headers.forEach((name, values) -> {
            if (HOP_HEADERS.contains(name) || name.equals("authorization") || name.equals("x-api-key")) {
                return; // the gateway's credentials are not the target's
            }
            values.forEach(v -> builder.header(name, v));
        });
        if (targetKey != null) {
            builder.header("authorization", "Bearer " + targetKey);
        }
        return builder.build();
    }

    private HttpResponse.BodySubscriber<Void> subscriber(HttpResponse.ResponseInfo info) {
        ObjectNode replyHead = Tunnel.object();
        replyHead.put("status", info.statusCode());
        Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
        info.headers().map().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase()) && !name.startsWith(":")) {
                headers.put(name, values);
            }
        });
        replyHead.set("headers", Tunnel.headers(headers));
        synchronized (this) {
            headSent = true;
        }
        tunnel.send(new Frame(FrameType.REPLY_HEAD, id, Tunnel.bytes(replyHead)));
        return new ReplySubscriber();
    }

    private boolean headSent;

    private synchronized boolean headSent() {
        return headSent;
    }

    private synchronized boolean isCancelled() {
        return cancelled;
    }

    /** The reply body, read one buffer list at a time while the window is open. */
    private final class ReplySubscriber implements HttpResponse.BodySubscriber<Void> {
        private final CompletableFuture<Void> done = new CompletableFuture<>();

        @Override
        public CompletionStage<Void> getBody() {
            return done;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            boolean cancel;
            synchronized (TargetStream.this) {
                subscription = s;
                cancel = cancelled;
            }
            if (cancel) {
                s.cancel();
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            long sent = 0;
            for (ByteBuffer buffer : buffers) {
                while (buffer.hasRemaining()) {
                    byte[] chunk = new byte[Math.min(buffer.remaining(), Tunnel.MAX_PAYLOAD)];
                    buffer.get(chunk);
                    tunnel.send(new Frame(FrameType.REPLY_BODY, id, chunk));
                    sent += chunk.length;
                }
            }
            Flow.Subscription more = null;
            synchronized (TargetStream.this) {
                window -= sent;
                if (cancelled) {
                    return;
                }
                if (window > 0) {
                    more = subscription;
                } else {
                    waitingForWindow = true;
                }
            }
            if (more != null) {
                more.request(1);
            }
        }

        @Override
        public void onError(Throwable error) {
            done.completeExceptionally(error);
            if (!isCancelled()) {
                reset("the target's reply failed: " + rootMessage(error));
            }
        }

        @Override
        public void onComplete() {
            done.complete(null);
            if (!isCancelled()) {
                tunnel.send(Frame.of(FrameType.REPLY_END, id));
                tunnel.finished(id);
            }
        }
    }

    void window(int increment) {
        Flow.Subscription more = null;
        synchronized (this) {
            window += increment;
            if (waitingForWindow && window > 0 && !cancelled) {
                waitingForWindow = false;
                more = subscription;
            }
        }
        if (more != null) {
            more.request(1);
        }
    }

    /** The gateway gave the stream up, or the tunnel went down: stop reading the target. */
    void cancel() {
        if (gone) {
            return;
        }
        Flow.Subscription s;
        CompletableFuture<?> c;
        synchronized (this) {
            cancelled = true;
            s = subscription;
            c = call;
        }
        if (s != null) {
            s.cancel(); // closes the target connection
        } else if (c != null) {
            c.cancel(true);
        }
    }

    private void reset(String reason) {
        cancel();
        tunnel.send(Frame.text(FrameType.RESET, id, reason));
        tunnel.finished(id);
    }

    /** A complete reply made here (the target was not reached), in the OpenAI error envelope. */
    private void reply(int status, String code, String message) {
        ObjectNode replyHead = Tunnel.object();
        replyHead.put("status", status);
        replyHead.set("headers", Tunnel.headers(Map.of("content-type", List.of("application/json"))));
        ObjectNode error = Tunnel.object();
        ObjectNode inner = error.putObject("error");
        inner.put("message", message);
        inner.put("type", status >= 500 ? "upstream_error" : "invalid_request_error");
        inner.putNull("param");
        inner.put("code", code);
        tunnel.send(new Frame(FrameType.REPLY_HEAD, id, Tunnel.bytes(replyHead)));
        tunnel.send(new Frame(FrameType.REPLY_BODY, id, error.toString().getBytes(StandardCharsets.UTF_8)));
        tunnel.send(Frame.of(FrameType.REPLY_END, id));
        tunnel.finished(id);
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getClass().getSimpleName() + ": " + root.getMessage() : root.getClass().getSimpleName();
    }
}
