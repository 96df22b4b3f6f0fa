package org.cameltaas.component.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * One request on a {@link NettyUpstreamHttp} connection. Everything happens on the call's event loop: connecting or
 * taking a kept-alive connection, writing, reading the reply into the subscriber as it asks for more, and giving
 * the connection back (or closing it) at the end.
 */
final class NettyUpstreamCall {

    private final NettyUpstreamHttp client;
    private final EventLoop loop;
    private final URI uri;
    private final FullHttpRequest request;
    private final HttpResponse.BodyHandler<Void> handler;
    private final UpstreamHttp.Connecting connecting;
    private final String origin;
    private final CompletableFuture<Void> future = new CompletableFuture<>() {
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            onLoop(() -> abort(null));
            return cancelled;
        }
    };

    // Loop-confined state.
    private Channel channel;
    /** Why the reply ended early; reported once the bytes that arrived before it are delivered. */
    private Throwable endError;
    private HttpResponse.BodySubscriber<Void> subscriber;
    private boolean keepAlive;
    private boolean requestWritten;
    /** The request buffer belongs to the pipeline (which releases it) once written to a connection. */
    private boolean handedOver;
    /** Inside an interim 1xx reply (100 Continue, 103 Early Hints): skipped until its end. */
    private boolean interim;
    private boolean replyEnded;
    private boolean over;
    private boolean draining;
    private long demand;
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();

    NettyUpstreamCall(NettyUpstreamHttp client, EventLoop loop, URI uri, FullHttpRequest request,
                      HttpResponse.BodyHandler<Void> handler, UpstreamHttp.Connecting connecting) {
        this.client = client;
        this.loop = loop;
        this.uri = uri;
        this.request = request;
        this.handler = handler;
        this.connecting = connecting;
        this.origin = NettyUpstreamHttp.origin(uri);
    }

    CompletableFuture<Void> future() {
        return future;
    }

    /** On the loop: reuse an idle connection to the origin, else open one. */
    void start() {
        if (over) {
            return; // cancelled before it started (and the request released then)
        }
        try {
            Channel idle = client.pooled(loop, origin);
            if (idle != null) {
                idle.pipeline().get(Handler.class).current = this;
                write(idle);
                return;
            }
            Handler connectionHandler = new Handler();
            connectionHandler.current = this;
            client.connect(loop, uri, connecting, connectionHandler, connecting -> connecting.addListener(done -> {
                Channel opened = connecting.channel();
                if (!done.isSuccess()) {
                    fail(done.cause());
                } else if (over) {
                    opened.close();
                } else {
                    write(opened);
                }
            }), this::fail);
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void write(Channel connection) {
        channel = connection;
        handedOver = true;
        connection.writeAndFlush(request).addListener(written -> {
            if (written.isSuccess()) {
                requestWritten = true;
            } else {
                fail(written.cause());
            }
        });
        connection.read(); // auto-read is off: ask for the reply's head
    }

    // Signals from the connection, on the loop.

    private void onMessage(HttpObject message) {
        if (over) {
            return;
        }
        if (message.decoderResult().isFailure()) {
            // a malformed reply (bad chunk size, a head over the size limit): the connection is not reusable
            keepAlive = false;
            onClosed(new IOException("the upstream sent a malformed HTTP reply: " + message.decoderResult().cause().getMessage(),
                    message.decoderResult().cause()));
            return;
        }
        if (message instanceof io.netty.handler.codec.http.HttpResponse head) {
            int status = head.status().code();
            if (status >= 100 && status < 200 && status != 101) {
                interim = true; // the final reply follows
                channel.read();
            } else {
                keepAlive = HttpUtil.isKeepAlive(head);
                subscriber = handler.apply(new Info(head));
                subscriber.onSubscribe(new Subscription());
            }
        }
        if (message instanceof HttpContent content) {
            if (interim) {
                interim = !(message instanceof LastHttpContent);
                channel.read();
                return;
            }
            if (content.content().isReadable()) {
                byte[] bytes = new byte[content.content().readableBytes()];
                content.content().readBytes(bytes);
                pending.add(ByteBuffer.wrap(bytes));
            }
            replyEnded |= message instanceof LastHttpContent;
        }
        drain();
    }

    /** Hands buffered body bytes to the subscriber while it has demand; reads more when it wants more. */
    private void drain() {
        if (draining || over || subscriber == null) {
            return; // a request(n) from inside onNext: the loop below sees the new demand
        }
        draining = true;
        try {
            while (!over && demand > 0 && !pending.isEmpty()) {
                demand--;
                subscriber.onNext(List.of(pending.poll()));
            }
            if (over) {
                return;
            }
            if (replyEnded && pending.isEmpty()) {
                finish();
            } else if (endError != null && pending.isEmpty()) {
                fail(endError);
            } else if (demand > 0 && !replyEnded && endError == null) {
                channel.read();
            }
        } finally {
            draining = false;
        }
    }

    private void finish() {
        over = true;
        Channel connection = channel;
        Handler connectionHandler = connection.pipeline().get(Handler.class);
        if (connectionHandler != null) {
            connectionHandler.current = null;
        }
        if (keepAlive && requestWritten) {
            client.release(loop, origin, connection);
        } else {
            connection.close(); // e.g. an early answer (401, 413) while the request body was still being sent
        }
        subscriber.onComplete();
        future.complete(null);
    }

    /** The connection closed before the reply ended: what arrived before still goes to the subscriber first. */
    private void onClosed(Throwable error) {
        if (over) {
            return;
        }
        if (subscriber != null && !pending.isEmpty()) {
            endError = error;
            drain();
            return;
        }
        fail(error);
    }

    private void fail(Throwable error) {
        if (over) {
            return;
        }
        over = true;
        releaseUnsentRequest();
        if (channel != null) {
            channel.close();
        }
        if (subscriber != null) {
            subscriber.onError(error);
        }
        future.completeExceptionally(error);
    }

    /** Cancelled by the caller (its subscriber or the future): the connection cannot be reused mid-reply. */
    private void abort(Throwable reason) {
        if (over) {
            return;
        }
        over = true;
        releaseUnsentRequest();
        pending.clear();
        if (channel != null) {
            channel.close();
        }
        future.completeExceptionally(reason != null ? reason : new CancellationException("the upstream call was cancelled"));
    }

    private void releaseUnsentRequest() {
        if (!handedOver) {
            handedOver = true;
            ReferenceCountUtil.safeRelease(request);
        }
    }

    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    /** The subscriber's handle: demand and cancellation, from any thread. */
    private final class Subscription implements Flow.Subscription {
        @Override
        public void request(long n) {
            if (n <= 0) {
                onLoop(() -> fail(new IllegalArgumentException("non-positive demand: " + n)));
                return;
            }
            onLoop(() -> {
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                drain();
            });
        }

        @Override
        public void cancel() {
            onLoop(() -> abort(null));
        }
    }

    /** The reply's status and headers, as the JDK's handlers expect them. */
    private record Info(int statusCode, HttpHeaders headers) implements HttpResponse.ResponseInfo {

        Info(io.netty.handler.codec.http.HttpResponse head) {
            this(head.status().code(), headers(head));
        }

        private static HttpHeaders headers(io.netty.handler.codec.http.HttpResponse head) {
            Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            head.headers().forEach(entry -> map.computeIfAbsent(entry.getKey(), key -> new ArrayList<>()).add(entry.getValue()));
            return HttpHeaders.of(map, (name, value) -> true);
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }

    /** The last handler of a connection: passes what arrives to the call the connection currently serves. */
    static final class Handler extends ChannelInboundHandlerAdapter {
        NettyUpstreamCall current;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            try {
                NettyUpstreamCall call = current;
                if (call != null && message instanceof HttpObject http) {
                    call.onMessage(http);
                } else {
                    ctx.close(); // bytes on an idle connection: the server is not speaking HTTP/1.1 keep-alive
                }
            } finally {
                ReferenceCountUtil.release(message);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            NettyUpstreamCall call = current;
            current = null;
            if (call != null) {
                call.onClosed(NettyUpstreamHttp.closed(call.subscriber != null));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            NettyUpstreamCall call = current;
            current = null;
            if (call != null) {
                call.onClosed(cause);
            }
            ctx.close();
        }
    }
}
