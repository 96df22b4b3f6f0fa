package org.cameltaas.component.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.apache.camel.Exchange;
import org.cameltaas.component.provider.UpstreamRequest;

/**
 * Upstream HTTP/1.1 on Netty. A call made for a request that came in on a Netty channel (camel-netty-http) runs on
 * that channel's event loop, over that loop's own keep-alive connections: the request goes upstream and the reply
 * comes back on the thread that will write the answer, with no hand-over between threads. Other calls run on this
 * client's own event loops. Replies are read only as fast as the subscriber asks (auto-read off).
 */
public final class NettyUpstreamHttp implements UpstreamHttp, AutoCloseable {

    /** The header camel-netty puts the inbound channel's context in. */
    static final String CALLER_CONTEXT = "CamelNettyChannelHandlerContext";
    /** Idle connections older than this are closed rather than reused: servers drop idle keep-alives (nginx: 75 s). */
    private static final long MAX_IDLE_NANOS = TimeUnit.SECONDS.toNanos(20);

    private final int ownThreads;
    private final SslContext ssl;
    private volatile EventLoopGroup ownLoops;
    /** Idle connections per event loop and origin; each map is only touched on its own loop. */
    private final Map<EventLoop, Map<String, ArrayDeque<IdleConnection>>> idle = new ConcurrentHashMap<>();

    private record IdleConnection(Channel channel, long since) {
    }

    public NettyUpstreamHttp(int ownThreads) {
        this.ownThreads = ownThreads;
        try {
            this.ssl = SslContextBuilder.forClient().build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for upstream calls", e);
        }
    }

    @Override
    public CompletableFuture<Void> send(UpstreamRequest request, HttpResponse.BodyHandler<Void> handler, Exchange exchange,
                                        long connectTimeoutMillis) {
        EventLoop caller = callerLoop(exchange);
        EventLoop loop = caller != null ? caller : ownLoops().next();
        NettyUpstreamCall call = new NettyUpstreamCall(this, loop, request, handler, connectTimeoutMillis);
        if (loop.inEventLoop()) {
            call.start();
        } else {
            loop.execute(call::start);
        }
        return call.future();
    }

    @Override
    public boolean continuesOnReplyThread(Exchange exchange) {
        // the caller's own event loop is where its answer is written anyway; this client's loops must not be blocked
        return callerLoop(exchange) != null;
    }

    /** The inbound request's event loop, when it came in on a NIO channel (the only kind this client connects). */
    private static EventLoop callerLoop(Exchange exchange) {
        Object context = exchange == null ? null : exchange.getMessage().getHeader(CALLER_CONTEXT);
        if (context instanceof ChannelHandlerContext ctx && ctx.channel().eventLoop() instanceof NioEventLoop loop
                && !loop.isShuttingDown()) {
            return loop;
        }
        return null;
    }

    private EventLoopGroup ownLoops() {
        EventLoopGroup loops = ownLoops;
        if (loops == null) {
            synchronized (this) {
                loops = ownLoops;
                if (loops == null) {
                    loops = new NioEventLoopGroup(ownThreads, new DefaultThreadFactory("TaasUpstream", true));
                    ownLoops = loops;
                }
            }
        }
        return loops;
    }

    /** A kept-alive connection to the origin, if one is idle on this loop. Called on {@code loop}. */
    Channel pooled(EventLoop loop, String origin) {
        ArrayDeque<IdleConnection> connections = idle.getOrDefault(loop, Map.of()).get(origin);
        long now = System.nanoTime();
        while (connections != null && !connections.isEmpty()) {
            IdleConnection candidate = connections.pollLast(); // the most recently used: the least likely to be stale
            if (candidate.channel().isActive() && now - candidate.since() < MAX_IDLE_NANOS) {
                return candidate.channel();
            }
            candidate.channel().close();
        }
        return null;
    }

    /** Keeps a connection whose exchange ended cleanly for the next call. Called on {@code loop}. */
    void release(EventLoop loop, String origin, Channel channel) {
        if (!channel.isActive()) {
            return;
        }
        idle.computeIfAbsent(loop, key -> new HashMap<>()).computeIfAbsent(origin, key -> new ArrayDeque<>())
                .addLast(new IdleConnection(channel, System.nanoTime()));
        channel.read(); // keep listening, so that a connection the server closes is seen closed before it is reused
    }

    /** Opens a connection on {@code loop}; TLS for https (the JDK's trust store, host name verified). */
    io.netty.channel.ChannelFuture connect(EventLoop loop, URI uri, long connectTimeoutMillis, NettyUpstreamCall.Handler handler) {
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        String host = uri.getHost();
        int port = port(uri);
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (tls) {
                            SslHandler sslHandler = ssl.newHandler(channel.alloc(), host, port);
                            javax.net.ssl.SSLParameters parameters = sslHandler.engine().getSSLParameters();
                            parameters.setEndpointIdentificationAlgorithm("HTTPS");
                            sslHandler.engine().setSSLParameters(parameters);
                            channel.pipeline().addLast(sslHandler);
                        }
                        channel.pipeline().addLast(new HttpClientCodec(), handler);
                    }
                });
        if (connectTimeoutMillis > 0) {
            bootstrap.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeoutMillis));
        }
        return bootstrap.connect(host, port);
    }

    static String origin(URI uri) {
        return uri.getScheme().toLowerCase() + "://" + uri.getHost() + ":" + port(uri);
    }

    static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** The request line and headers as the upstream gets them; the body as one buffer with its length. */
    static FullHttpRequest httpRequest(UpstreamRequest request) {
        URI uri = request.uri();
        String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        byte[] body = request.body();
        FullHttpRequest http = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(request.method()), target,
                body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        request.headers().forEach((name, value) -> {
            String lower = name.toLowerCase();
            if (!lower.equals("connection") && !lower.equals("content-length") && !lower.equals("host")
                    && !lower.equals("upgrade") && !lower.equals("expect") && !lower.equals("transfer-encoding")) {
                http.headers().add(name, value);
            }
        });
        int port = uri.getPort();
        http.headers().set(HttpHeaderNames.HOST, port > 0 ? uri.getHost() + ":" + port : uri.getHost());
        if (body != null || !"GET".equals(request.method())) {
            http.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body == null ? 0 : body.length);
        }
        if (!http.headers().contains(HttpHeaderNames.USER_AGENT)) {
            http.headers().set(HttpHeaderNames.USER_AGENT, "camel-taas");
        }
        return http;
    }

    static IOException closed(boolean replying) {
        return new IOException(replying ? "the upstream closed the connection in the middle of its reply"
                : "the upstream closed the connection before replying");
    }

    @Override
    public void close() {
        idle.forEach((loop, origins) -> {
            if (!loop.isShuttingDown()) {
                loop.execute(() -> origins.values().forEach(connections -> connections.forEach(c -> c.channel().close())));
            }
        });
        idle.clear();
        EventLoopGroup loops = ownLoops;
        if (loops != null) {
            loops.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            ownLoops = null;
        }
    }
}
