package org.cameltaas.testkit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A loopback HTTP server that answers like OpenAI, Anthropic and Gemini, byte for byte in framing, and
 * misbehaves on request: see {@link Script}. Non-blocking on two Netty event-loop threads, so it can hold
 * thousands of slow SSE streams open at once.
 *
 * <pre>{@code
 * try (FakeUpstream upstream = FakeUpstream.start()) {
 *     upstream.enqueue(Script.status(429).retryAfter("1"));
 *     // point the client at upstream.baseUrl() + "/v1/chat/completions"
 *     RecordedRequest seen = upstream.takeRequest(Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class FakeUpstream implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final int MAX_BODY_BYTES = 64 * 1024 * 1024;
    private static final int MAX_INITIAL_LINE = 16 * 1024;
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_CHUNK_BYTES = 8 * 1024;

    private final ScriptQueue scripts = new ScriptQueue();
    private final RequestJournal journal = new RequestJournal();
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final EventLoopGroup group = new NioEventLoopGroup(2, new DefaultThreadFactory("fake-upstream", true));
    private final ReplyRouter router = new ReplyRouter(this::baseUrl);
    private Channel serverChannel;
    private int port;

    private FakeUpstream() {
    }

    /** Starts on an ephemeral port of 127.0.0.1. */
    public static FakeUpstream start() {
        return start(0);
    }

    /** Starts on this port of 127.0.0.1; 0 picks an ephemeral one. */
    public static FakeUpstream start(int port) {
        FakeUpstream upstream = new FakeUpstream();
        upstream.bind(port);
        return upstream;
    }

    private void bind(int requestedPort) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 8192) // benchmarks open thousands of connections at once
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.closeFuture().addListener(f -> connections.remove(ch));
                        ch.pipeline().addLast(
                                new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, MAX_CHUNK_BYTES),
                                new HttpObjectAggregator(MAX_BODY_BYTES),
                                new UpstreamChannelHandler(journal, scripts, router));
                    }
                });
        ChannelFuture bound = bootstrap.bind(HOST, requestedPort).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot bind " + HOST + ":" + requestedPort, bound.cause());
        }
        serverChannel = bound.channel();
        port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public int port() {
        return port;
    }

    /** "http://127.0.0.1:port", without a trailing slash or /v1. */
    public String baseUrl() {
        return "http://" + HOST + ":" + port;
    }

    /** The next request not yet served gets this script; scripts are used first in, first out. */
    public FakeUpstream enqueue(Script script) {
        scripts.enqueue(script);
        return this;
    }

    /** What requests get when no enqueued script is left; initially {@link Script#ok()}. */
    public FakeUpstream setDefault(Script script) {
        scripts.setDefault(script);
        return this;
    }

    /**
     * Whether requests are kept for {@link #requests()} and {@link #takeRequest}; on by default. Long benchmark
     * runs can turn it off so bodies are not held in memory; {@link #requestCount()} still counts.
     */
    public FakeUpstream setRecording(boolean keepRequests) {
        journal.keepRequests(keepRequests);
        return this;
    }

    /** A snapshot of the recorded requests, in arrival order. */
    public List<RecordedRequest> requests() {
        return journal.snapshot();
    }

    /** Waits for the next request no earlier call has returned; null after the timeout. */
    public RecordedRequest takeRequest(Duration timeout) throws InterruptedException {
        return journal.take(timeout);
    }

    /** The most recent request, or null. */
    public RecordedRequest lastRequest() {
        return journal.last();
    }

    /** Requests received since start or the last {@link #reset()}. */
    public int requestCount() {
        return journal.count();
    }

    /** TCP connections currently open to this server. */
    public int openConnections() {
        return connections.size();
    }

    /** Forgets queued scripts and recorded requests, and makes {@link Script#ok()} the default again. */
    public void reset() {
        scripts.reset();
        journal.clear();
    }

    /** Closes every connection and stops the event loop. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly();
        }
        connections.forEach(Channel::close);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    @Override
    public String toString() {
        return "FakeUpstream[" + baseUrl() + "]";
    }
}
