package org.cameltaas.gateway.http.inbound;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import org.apache.camel.component.netty.http.HttpServerBootstrapFactory;
import org.apache.camel.component.netty.http.NettyHttpComponent;
import org.apache.camel.component.netty.http.NettyHttpConsumer;
import org.apache.camel.support.service.ServiceHelper;

/**
 * camel-netty-http with the gateway's pipeline ({@link TaasServerInitializer}). The stock component builds its
 * server pipeline itself and ignores the endpoint's {@code serverInitializerFactory} option, so the gateway binds
 * this component as {@code netty-http}. It leans on one protected method of Camel 4.18; HardeningTest guards it.
 */
public final class TaasNettyHttpComponent extends NettyHttpComponent {

    private final InboundLimits limits;
    private final ConnectionsPerIp perIp;
    private final Map<String, HttpServerBootstrapFactory> servers = new ConcurrentHashMap<>();

    public TaasNettyHttpComponent(InboundLimits limits) {
        this.limits = limits;
        this.perIp = new ConnectionsPerIp(limits.maxConnectionsPerIp());
    }

    private volatile java.util.function.Supplier<io.netty.channel.ChannelHandler> tunnel;

    /** Serves the connectors' tunnel endpoint on this server: set before the routes start. */
    public void setTunnel(java.util.function.Supplier<io.netty.channel.ChannelHandler> tunnel) {
        this.tunnel = tunnel;
    }

    private volatile org.cameltaas.gateway.files.SpooledUploads uploads;
    private volatile java.util.concurrent.Executor uploadDisk;

    /** Spools {@code POST /v1/files} bodies to disk on {@code disk}'s threads (the Files API): set before the routes start. */
    public void setUploadSpooling(org.cameltaas.gateway.files.SpooledUploads uploads, java.util.concurrent.Executor disk) {
        this.uploads = uploads;
        this.uploadDisk = disk;
    }

    private volatile io.netty.handler.ssl.SslContext tls;

    /**
     * Serves HTTPS with this context ({@code TAAS_TLS_CERT_FILE}, {@code TAAS_TLS_KEY_FILE}): the TLS handler goes
     * first in the gateway's own pipeline, so every limit, the tunnel endpoint and the upload spooler apply as on HTTP.
     * Set before the routes start.
     */
    public void setTls(io.netty.handler.ssl.SslContext tls) {
        this.tls = tls;
    }

    public InboundLimits limits() {
        return limits;
    }

    @Override
    protected HttpServerBootstrapFactory getOrCreateHttpNettyServerBootstrapFactory(NettyHttpConsumer consumer) {
        return servers.computeIfAbsent(consumer.getConfiguration().getAddress(), address -> {
            HttpServerBootstrapFactory server = new HttpServerBootstrapFactory(
                    getMultiplexChannelHandler(consumer.getConfiguration().getPort()));
            ChannelInitializer<Channel> pipeline = new TaasServerInitializer(consumer, limits, perIp, tunnel, uploads, uploadDisk, tls);
            server.init(getCamelContext(), consumer.getConfiguration(), pipeline);
            return server;
        });
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(servers.values());
        servers.clear();
        super.doStop();
    }
}
