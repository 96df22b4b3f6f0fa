package org.cameltaas.component.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
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
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.camel.Exchange;
import org.cameltaas.component.provider.UpstreamRequest;

/**
 * Upstream HTTP/1.1 on Netty. A call made on the thread that handles a request which came in on a Netty channel
 * (camel-netty-http) runs on that channel's event loop, over that loop's own keep-alive connections, and the caller's
 * route resumes on the thread it ran on (the event loop itself, or camel-netty's executor): no thread hand-over
 * between the inbound request, the upstream call and the answer. Other calls run on this client's own event loops
 * and resume on the component's worker pool. Replies are read only as fast as the subscriber asks (auto-read off).
 */
public final class NettyUpstreamHttp implements UpstreamHttp, AutoCloseable {

    /** The header camel-netty puts the inbound channel's context in. */
    static final String CALLER_CONTEXT = "CamelNettyChannelHandlerContext";
    /** Idle connections older than this are closed rather than reused: servers drop idle keep-alives (nginx: 75 s). */
    private static final long MAX_IDLE_NANOS = TimeUnit.SECONDS.toNanos(20);
    /** Idle connections kept per origin and event loop; more are closed. */
    private static final int MAX_IDLE_PER_ORIGIN = 256;
    /** Reply heads up to this size (the codec's default, 8 KB, is smaller than some providers' headers). */
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final int ownThreads;
    private final Executor workers;
    private final SslContext ssl;
    /** Netty's view of each TLS context endpoints were given (sslContextParameters). */
    private final Map<SSLContext, SslContext> configuredSsl = new ConcurrentHashMap<>();
    private volatile EventLoopGroup ownLoops;
    private final Map<EventLoop, LoopConnections> loops = new ConcurrentHashMap<>();

    public NettyUpstreamHttp(int ownThreads, Executor workers) {
        this.ownThreads = ownThreads;
        this.workers = workers;
        try {
            this.ssl = SslContextBuilder.forClient().build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for upstream calls", e);
        }
    }

    @Override
    public Call prepare(UpstreamRequest request, Exchange exchange, Connecting connecting) {
        URI uri = request.uri();
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("The upstream URL " + uri + " has no valid host name");
        }
        FullHttpRequest httpRequest = httpRequest(request); // invalid headers fail here, on the caller's thread
        ChannelHandlerContext caller = callerContext(exchange);
        EventLoop loop = caller != null && caller.channel().eventLoop() instanceof NioEventLoop callerLoop
                && !callerLoop.isShuttingDown() ? callerLoop : ownLoops().next();
        EventExecutor callerThread = caller != null ? caller.executor() : null;
        return new Call() {
            @Override
            public java.util.concurrent.CompletableFuture<Void> send(java.net.http.HttpResponse.BodyHandler<Void> handler) {
                NettyUpstreamCall call = new NettyUpstreamCall(NettyUpstreamHttp.this, loop, uri, httpRequest, handler,
                        connecting);
                if (loop.inEventLoop()) {
                    call.start();
                } else {
                    loop.execute(call::start);
                }
                return call.future();
            }

            @Override
            public void resume(Runnable continuation) {
                if (callerThread == null) {
                    workers.execute(continuation);
                } else if (callerThread.inEventLoop()) {
                    continuation.run();
                } else {
                    callerThread.execute(continuation);
                }
            }
        };
    }

    /**
     * The inbound request's channel context, when this thread is the one handling that request (its event loop or
     * camel-netty's executor for it). A copy of the exchange on another thread (wireTap, threads, seda) is not.
     */
    private static ChannelHandlerContext callerContext(Exchange exchange) {
        if (exchange != null && exchange.getMessage().getHeader(CALLER_CONTEXT) instanceof ChannelHandlerContext ctx
                && (ctx.executor().inEventLoop() || ctx.channel().eventLoop().inEventLoop())) {
            return ctx;
        }
        return null;
    }

    private EventLoopGroup ownLoops() {
        EventLoopGroup group = ownLoops;
        if (group == null) {
            synchronized (this) {
                group = ownLoops;
                if (group == null) {
                    group = new NioEventLoopGroup(ownThreads, new DefaultThreadFactory("TaasUpstream", true));
                    ownLoops = group;
                }
            }
        }
        return group;
    }

    /** A kept-alive connection to the origin, if one is idle on this loop. Called on {@code loop}. */
    Channel pooled(EventLoop loop, String origin) {
        LoopConnections connections = loops.get(loop);
        return connections == null ? null : connections.take(origin);
    }

    /** Keeps a connection whose exchange ended cleanly for the next call. Called on {@code loop}. */
    void release(EventLoop loop, String origin, Channel channel) {
        loops.computeIfAbsent(loop, LoopConnections::new).keep(origin, channel);
    }

    /**
     * Opens a connection on {@code loop}; TLS for https (the endpoint's TLS context or the JVM's trust store, host name
     * verified, SNI). A host
     * name is resolved on the worker pool, so a slow DNS server never stalls the event loop.
     */
    void connect(EventLoop loop, URI uri, Connecting connecting, NettyUpstreamCall.Handler handler,
                 java.util.function.Consumer<ChannelFuture> connected, java.util.function.Consumer<Throwable> failed) {
        String host = uri.getHost();
        int port = port(uri);
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        SslContext sslContext = connecting.sslContext() == null ? ssl
                : configuredSsl.computeIfAbsent(connecting.sslContext(), jdk -> new JdkSslContext(jdk, true, ClientAuth.NONE));
        long connectTimeoutMillis = connecting.timeoutMillis();
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (tls) {
                            SslHandler sslHandler = sslContext.newHandler(channel.alloc(), host, port);
                            SSLParameters parameters = sslHandler.engine().getSSLParameters();
                            parameters.setEndpointIdentificationAlgorithm("HTTPS");
                            sslHandler.engine().setSSLParameters(parameters);
                            channel.pipeline().addLast(sslHandler);
                        }
                        channel.pipeline().addLast(new HttpClientCodec(4096, MAX_HEADER_BYTES, 65536), handler);
                    }
                });
        if (connectTimeoutMillis > 0) {
            bootstrap.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeoutMillis));
        }
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (NetUtil.isValidIpV4Address(literal) || NetUtil.isValidIpV6Address(literal)) {
            connected.accept(bootstrap.connect(new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(literal), port)));
            return;
        }
        workers.execute(() -> {
            try {
                InetAddress address = InetAddress.getByName(host);
                loop.execute(() -> connected.accept(bootstrap.connect(new InetSocketAddress(address, port))));
            } catch (IOException | RuntimeException e) {
                loop.execute(() -> failed.accept(e));
            }
        });
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
            if (!CLIENT_OWNED_HEADERS.contains(name.toLowerCase())) {
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
        loops.values().forEach(LoopConnections::close);
        loops.clear();
        EventLoopGroup group = ownLoops;
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            ownLoops = null;
        }
    }

    /** One event loop's idle connections by origin; touched only on that loop. A sweep closes the stale ones. */
    private static final class LoopConnections {
        private record Idle(Channel channel, long since) {
        }

        private final EventLoop loop;
        private final Map<String, ArrayDeque<Idle>> byOrigin = new HashMap<>();
        private final ScheduledFuture<?> sweep;

        LoopConnections(EventLoop loop) {
            this.loop = loop;
            this.sweep = loop.scheduleAtFixedRate(this::sweep, 10, 10, TimeUnit.SECONDS);
        }

        Channel take(String origin) {
            ArrayDeque<Idle> idle = byOrigin.get(origin);
            long now = System.nanoTime();
            while (idle != null && !idle.isEmpty()) {
                Idle candidate = idle.pollLast(); // the most recently used: the least likely to be stale
                if (candidate.channel().isActive() && now - candidate.since() < MAX_IDLE_NANOS) {
                    return candidate.channel();
                }
                candidate.channel().close();
            }
            return null;
        }

        void keep(String origin, Channel channel) {
            if (!channel.isActive()) {
                return;
            }
            ArrayDeque<Idle> idle = byOrigin.computeIfAbsent(origin, key -> new ArrayDeque<>());
            if (idle.size() >= MAX_IDLE_PER_ORIGIN) {
                channel.close();
                return;
            }
            idle.addLast(new Idle(channel, System.nanoTime()));
            channel.read(); // keep listening, so that a connection the server closes is seen closed before it is reused
        }

        /** Closes connections idle for too long, oldest first, and forgets closed ones. */
        private void sweep() {
            long now = System.nanoTime();
            for (ArrayDeque<Idle> idle : byOrigin.values()) {
                while (!idle.isEmpty() && (!idle.peekFirst().channel().isActive()
                        || now - idle.peekFirst().since() >= MAX_IDLE_NANOS)) {
                    idle.pollFirst().channel().close();
                }
                idle.removeIf(entry -> !entry.channel().isActive());
            }
        }

        void close() {
            sweep.cancel(false);
            if (!loop.isShuttingDown()) {
                loop.execute(() -> byOrigin.values().forEach(idle -> idle.forEach(entry -> entry.channel().close())));
            }
        }
    }
}
