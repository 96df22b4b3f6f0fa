package org.cameltaas.gateway.connector;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.connector.protocol.Frame;
import org.cameltaas.connector.protocol.FrameType;
import org.cameltaas.connector.protocol.Tunnel;

/**
 * One attempt of a call on one tunnel, confined to the tunnel's event loop. The reply is handed to the body
 * subscriber the caller's handler picks, one frame per item and only on demand; credit goes back to the connector
 * (a WINDOW frame) as items are taken, so a slow client holds back its own stream and no other.
 */
final class TunnelStream {

    static final TunnelStream GONE = new TunnelStream(null);

    private final ConnectorCall call;
    private volatile TunnelSession session;
    private int id;
    private HttpResponse.BodySubscriber<Void> subscriber;
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private long demand;
    private int taken;
    private boolean ended;
    private boolean finished;

    TunnelStream(ConnectorCall call) {
        this.call = call;
    }

    void attached(TunnelSession session, int id) {
        this.session = session;
        this.id = id;
    }

    void head(ObjectNode head) {
        if (call == null || finished || subscriber != null) {
            return;
        }
        int status = head.path("status").asInt(502);
        Map<String, List<String>> headers = Tunnel.headers(head.path("headers"));
        HttpResponse.ResponseInfo info = new HttpResponse.ResponseInfo() {
            @Override
            public int statusCode() {
                return status;
            }

            @Override
            public HttpHeaders headers() {
                return HttpHeaders.of(headers, (name, value) -> true);
            }

            @Override
            public HttpClient.Version version() {
                return HttpClient.Version.HTTP_1_1;
            }
        };
        if (!call.replyStarted(this)) {
            abandon("the call was given up");
            return;
        }
        subscriber = call.handler().apply(info);
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                session.execute(() -> {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                    drain();
                });
            }

            @Override
            public void cancel() {
                session.execute(() -> abandon("the gateway gave the stream up"));
            }
        });
        subscriber.getBody().whenComplete((ignored, error) -> {
            if (error != null) {
                session.execute(() -> abandon("the gateway gave the stream up"));
            }
        });
    }

    void body(byte[] bytes) {
        if (call == null || finished) {
            return;
        }
        if (subscriber == null) {
            fail("the connector sent a body before its head");
            return;
        }
        queue.add(ByteBuffer.wrap(bytes));
        drain();
    }

    void end() {
        if (call == null || finished) {
            return;
        }
        ended = true;
        drain();
    }

    private void drain() {
        if (finished || subscriber == null) {
            return;
        }
        while (demand > 0 && !queue.isEmpty()) {
            ByteBuffer next = queue.poll();
            demand--;
            taken += next.remaining();
            subscriber.onNext(List.of(next));
            if (finished) {
                return;
            }
        }
        if (queue.isEmpty() && ended) {
            finished = true;
            session.finished(id);
            subscriber.onComplete();
            call.completed();
            return;
        }
        if (taken >= Tunnel.WINDOW_UPDATE_THRESHOLD) {
            session.send(Frame.window(id, taken));
            taken = 0;
        }
    }

    /** The connector reset the stream. */
    void reset(String reason) {
        if (call == null || finished) {
            return;
        }
        finished = true;
        session.finished(id);
        failed("the connector reset the stream: " + reason);
    }

    /** The tunnel closed under the stream, or was gone when the stream was to start. */
    void tunnelGone(String reason) {
        if (call == null || finished) {
            return;
        }
        finished = true;
        failed(reason);
    }

    private void failed(String reason) {
        if (subscriber == null) {
            call.failedBeforeReply(this, session, reason); // another connector may still take it
        } else {
            IOException error = new IOException(reason);
            subscriber.onError(error);
            call.failed(error);
        }
    }

    private void fail(String reason) {
        abandon(reason);
        IOException error = new IOException(reason);
        if (subscriber != null) {
            subscriber.onError(error);
        }
        call.failed(error);
    }

    /** The call was given up (time-out, client gone): from any thread. */
    void abandonSoon() {
        TunnelSession s = session;
        if (s != null) {
            s.execute(() -> abandon("the gateway gave the stream up"));
        } // not attached yet: TunnelSession#open sees the call is done
    }

    boolean givenUp() {
        return call != null && call.isDone();
    }

    /** Gives the stream up here and tells the connector (on the loop). */
    void abandon(String reason) {
        if (call == null || finished) {
            return;
        }
        finished = true;
        queue.clear();
        session.finished(id);
        session.send(Frame.text(FrameType.RESET, id, reason));
    }
}
