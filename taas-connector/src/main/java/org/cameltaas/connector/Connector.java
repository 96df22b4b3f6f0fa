package org.cameltaas.connector;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.cameltaas.connector.protocol.FrameCodec;
import org.cameltaas.connector.protocol.Tunnel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector: keeps one tunnel to each gateway it is given up (dialling out; nothing listens here), reconnecting with
 * back-off and jitter (0.5 s to 30 s), and forwards each stream the gateway opens to the target server. One event
 * loop thread carries the tunnel; the target is called with the JDK HttpClient, asynchronously: no thread per stream.
 */
public final class Connector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Connector.class);
    public static final String VERSION = "camel-taas-connector/0.1.0";

    private final ConnectorSettings settings;
    private final EventLoopGroup loop = new NioEventLoopGroup(1, new DefaultThreadFactory("TaasConnector", true));
    private final ExecutorService httpExecutor = Executors.newFixedThreadPool(2, new DefaultThreadFactory("TaasConnectorHttp", true));
    private final HttpClient http;
    private final List<Link> links = new ArrayList<>();
    private volatile boolean closed;

    public Connector(ConnectorSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().executor(httpExecutor).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
        for (URI gateway : settings.gateways()) {
            links.add(new Link(ConnectorSettings.tunnelUri(gateway)));
        }
    }

    public Connector start() {
        LOG.info("connector {}: {}", VERSION, settings);
        links.forEach(Link::connect);
        return this;
    }

    /** Completes when every gateway welcomed this connector (again after a reconnect: ask anew). */
    public CompletableFuture<Void> online() {
        return CompletableFuture.allOf(links.stream().map(link -> link.online).toArray(CompletableFuture[]::new));
    }

    /** Whether the tunnel to every gateway is up. */
    public boolean isOnline() {
        return links.stream().allMatch(Link::isOnline);
    }

    ConnectorSettings settings() {
        return settings;
    }

    java.util.concurrent.Executor httpExecutor() {
        return httpExecutor;
    }

    HttpClient http() {
        return http;
    }

    /** Drops every tunnel now (in-flight streams end with them); the connector reconnects unless closed. */
    public void dropTunnel() {
        links.forEach(link -> {
            Channel current = link.channel;
            if (current != null) {
                current.close();
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        for (Link link : links) {
            Channel current = link.channel;
            if (current != null) {
                current.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        httpExecutor.shutdownNow();
    }

    /** The tunnel to one gateway (one per replica when several are named): dialled, kept, dialled again. */
    final class Link {
        private final URI uri;
        private final SslContext ssl;
        private final Backoff backoff = new Backoff(500, 30_000);
        private volatile Channel channel;
        private volatile CompletableFuture<Void> online = new CompletableFuture<>();

        Link(URI uri) {
            this.uri = uri;
            try {
                SslContextBuilder client = SslContextBuilder.forClient();
                if (settings.caFile() != null) {
                    client.trustManager(settings.caFile().toFile());
                }
                this.ssl = "wss".equals(uri.getScheme()) ? client.build() : null;
            } catch (javax.net.ssl.SSLException e) {
                throw new IllegalStateException("cannot set up TLS to the gateway", e);
            }
        }

        boolean isOnline() {
            Channel current = channel;
            return current != null && current.isActive() && online.isDone() && !online.isCompletedExceptionally();
        }

        void welcomed() {
            backoff.reset();
            online.complete(null);
        }

        void connect() {
            if (closed) {
                return;
            }
            DefaultHttpHeaders headers = new DefaultHttpHeaders();
            headers.set("user-agent", VERSION);
            WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                    .webSocketUri(uri).version(WebSocketVersion.V13).subprotocol(Tunnel.SUBPROTOCOL)
                    .customHeaders(headers).maxFramePayloadLength(FrameCodec.HEADER + Tunnel.MAX_PAYLOAD)
                    .handshakeTimeoutMillis(10_000).dropPongFrames(true).build();
            TunnelClientHandler handler = new TunnelClientHandler(Connector.this, this);
            Bootstrap bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (ssl != null) {
                                io.netty.handler.ssl.SslHandler tls = ssl.newHandler(ch.alloc(), uri.getHost(), uri.getPort());
                                // the gateway's certificate must name the host dialled, not only chain to a trusted CA
                                javax.net.ssl.SSLParameters parameters = tls.engine().getSSLParameters();
                                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                                tls.engine().setSSLParameters(parameters);
                                ch.pipeline().addLast(tls);
                            }
                            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                                    new WebSocketClientProtocolHandler(config),
                                    new IdleStateHandler(Tunnel.OFFLINE_MILLIS, Tunnel.HEARTBEAT_MILLIS, 0, TimeUnit.MILLISECONDS),
                                    handler);
                        }
                    });
            ChannelFuture connecting = bootstrap.connect(uri.getHost(), uri.getPort());
            channel = connecting.channel();
            connecting.channel().closeFuture().addListener(ignored -> reconnectLater());
            connecting.addListener(done -> {
                if (!done.isSuccess()) {
                    LOG.warn("cannot reach the gateway at {}: {}", uri, done.cause().toString());
                }
            });
        }

        private void reconnectLater() {
            if (online.isDone()) {
                online = new CompletableFuture<>();
            }
            if (closed) {
                return;
            }
            long delay = backoff.next();
            LOG.info("tunnel to {} down; reconnecting in {} ms", uri, delay);
            loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        }

        URI uri() {
            return uri;
        }
    }
}
