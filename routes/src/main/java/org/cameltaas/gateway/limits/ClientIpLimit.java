package org.cameltaas.gateway.limits;

import java.net.SocketAddress;

import io.netty.channel.ChannelHandlerContext;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.netty.NettyConstants;
import org.apache.camel.support.AsyncProcessorSupport;
import org.cameltaas.gateway.metrics.GatewayMetrics;

/**
 * The safety net across all tokens: so many requests per client IP ({@code TAAS_IP_LIMIT}, default 5000/10m),
 * counted before the token is even looked at (so guessing tokens counts too), then the step it guards
 * (authentication) runs. {@code /health} and {@code /metrics} do not authenticate and are not counted.
 */
public final class ClientIpLimit extends AsyncProcessorSupport {

    private final RateLimiter limiter;
    private final Rate rate;
    private final ClientIps clientIps;
    private final LimiterFailures failures;
    private final GatewayMetrics metrics;
    private final Processor next;

    /** @param rate null: no per-IP limit */
    public ClientIpLimit(RateLimiter limiter, Rate rate, ClientIps clientIps, LimiterFailures failures,
                         GatewayMetrics metrics, Processor next) {
        this.limiter = limiter;
        this.rate = rate;
        this.clientIps = clientIps;
        this.failures = failures;
        this.metrics = metrics;
        this.next = next;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        if (rate == null) {
            try {
                next.process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            callback.done(true);
            return true;
        }
        String ip = clientIps.resolve(peer(exchange.getMessage()), exchange.getMessage().getHeader("X-Forwarded-For", String.class));
        return Decisions.await(exchange, limiter.tryConsume("ip:" + ip + ":" + rate.keyPart(), rate, 1), callback,
                (probe, error) -> {
                    if (error != null) {
                        failures.failed(exchange, error); // throws unless failing open
                    } else {
                        failures.succeeded();
                        RateLimitHeaders.of(exchange).requests(rate.amount(), probe);
                        if (!probe.consumed()) {
                            throw Rejections.tooMany(exchange, metrics, "ip", "requests", "Rate limit reached for requests from "
                                    + "this client address: limit " + rate.amount() + " per " + RateLimitHeaders.duration(
                                    rate.period().toNanos()) + ".", probe.nanosToRetry());
                        }
                    }
                    next.process(exchange);
                });
    }

    private static SocketAddress peer(Message message) {
        SocketAddress remote = message.getHeader(NettyConstants.NETTY_REMOTE_ADDRESS, SocketAddress.class);
        if (remote != null) {
            return remote;
        }
        ChannelHandlerContext ctx = message.getHeader(NettyConstants.NETTY_CHANNEL_HANDLER_CONTEXT, ChannelHandlerContext.class);
        return ctx != null ? ctx.channel().remoteAddress() : null;
    }
}
