package org.cameltaas.gateway.http.inbound;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.util.concurrent.EventExecutorGroup;
import org.apache.camel.component.netty.NettyConsumer;
import org.apache.camel.component.netty.ServerInitializerFactory;
import org.apache.camel.component.netty.http.HttpServerInitializerFactory;
import org.apache.camel.component.netty.http.NettyHttpConsumer;
import org.apache.camel.component.netty.http.handlers.HttpOutboundStreamHandler;

/**
 * The gateway's Netty pipeline: camel-netty-http's, without its inbound stream handler (with
 * {@code disableStreamCache} it hands the body to Camel as a pipe read by a blocking thread: five stalled uploads
 * took every consumer thread), and with the limits of {@link InboundLimits} in front:
 * <pre>
 * per-IP cap - first-byte watch - decoder - encoder - connector tunnel - guard - upload spooler - aggregator - outbound streamer - Camel
 * </pre>
 * Bodies are aggregated in memory (bounded) on the event loop, so Camel only ever sees complete requests; file
 * uploads ({@code POST /v1/files}) are spooled to disk instead and reach Camel as a reference ({@link UploadSpooler}).
 */
public final class TaasServerInitializer extends HttpServerInitializerFactory {

    private final InboundLimits limits;
    private final ConnectionsPerIp perIp;
    /** The connectors' tunnel endpoint (a handler per connection), or null when the gateway has none. */
    private final java.util.function.Supplier<ChannelHandler> tunnel;

    /** Where {@code POST /v1/files} bodies are spooled, and the threads that write them; null: aggregated like any body. */
    private final org.cameltaas.gateway.files.SpooledUploads uploads;
    private final java.util.concurrent.Executor uploadDisk;
    /** The gateway's own TLS (null: plain HTTP, or Camel's when the route URI asks for it). */
    private final io.netty.handler.ssl.SslContext tls;

    TaasServerInitializer(NettyHttpConsumer consumer, InboundLimits limits, ConnectionsPerIp perIp,
                          java.util.function.Supplier<ChannelHandler> tunnel,
                          org.cameltaas.gateway.files.SpooledUploads uploads, java.util.concurrent.Executor uploadDisk,
                          io.netty.handler.ssl.SslContext tls) {
        super(consumer);
        this.limits = limits;
        this.perIp = perIp;
        this.tunnel = tunnel;
        this.uploads = uploads;
        this.uploadDisk = uploadDisk;
        this.tls = tls;
    }

    @Override
    public ServerInitializerFactory createPipelineFactory(NettyConsumer nettyConsumer) {
        return new TaasServerInitializer((NettyHttpConsumer) nettyConsumer, limits, perIp, tunnel, uploads, uploadDisk, tls);
    }

    @Override
    protected void initChannel(Channel ch) throws Exception {
        if (configuration.isSsl() || configuration.isCompression()) {
            super.initChannel(ch); // TLS or compression on the gateway itself: the stock pipeline, without these limits
            if (tunnel != null && ch.pipeline().get("encoder") != null) {
                ch.pipeline().addAfter("encoder", "connector-tunnel", tunnel.get());
            }
            return;
        }
        ChannelPipeline pipeline = ch.pipeline();
        boolean spooling = uploads != null && uploadDisk != null;
        InboundGuard guard = new InboundGuard(limits, spooling);
        pipeline.addLast("per-ip", perIp);
        if (tls != null) {
            pipeline.addLast("tls", tls.newHandler(ch.alloc())); // after the per-IP cap: a refused address costs no handshake
        }
        pipeline.addLast("first-byte", guard.byteWatcher());
        pipeline.addLast("decoder", new HttpRequestDecoder(configuration.getMaxInitialLineLength(), limits.maxHeaderBytes(),
                configuration.getMaxChunkSize()));
        pipeline.addLast("encoder", new HttpResponseEncoder());
        if (tunnel != null) {
            pipeline.addLast("connector-tunnel", tunnel.get()); // GET /connect/v1 leaves HTTP here (docs/connectors.md)
        }
        pipeline.addLast("guard", guard);
        if (spooling) {
            pipeline.addLast("upload-spooler", new UploadSpooler(uploads, uploadDisk)); // POST /v1/files: to disk, not memory
        }
        pipeline.addLast("aggregator", new BoundedAggregator(limits.maxBodyBytes()));
        pipeline.addLast("outbound-streamer", new HttpOutboundStreamHandler());
        ChannelHandler handler = consumer.getEndpoint().getComponent()
                .getMultiplexChannelHandler(configuration.getPort()).getChannelHandler();
        if (configuration.isUsingExecutorService()) {
            EventExecutorGroup executor = consumer.getEndpoint().getComponent().getExecutorService();
            pipeline.addLast(executor, "handler", handler);
        } else {
            pipeline.addLast("handler", handler);
        }
    }

    /** The guard refuses large bodies first; should one get here anyway, it too answers in the error envelope. */
    private static final class BoundedAggregator extends HttpObjectAggregator {
        BoundedAggregator(int maxBodyBytes) {
            super(maxBodyBytes);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            ctx.channel().config().setAutoRead(false);
            ctx.writeAndFlush(Refusals.of(413, "request_too_large", "The request body is too large", null))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }
}
