package org.cameltaas.gateway.http.inbound;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import org.cameltaas.gateway.error.ErrorResponder;

/**
 * Caps the connections one client address holds at once, so one host cannot take every socket the gateway has
 * (a slowloris opens hundreds and sends a byte now and then). Above the cap a connection gets a 429 and is closed.
 * Behind a proxy every client shares the proxy's address: raise the cap there, or set it to 0 (off).
 */
@ChannelHandler.Sharable
final class ConnectionsPerIp extends ChannelInboundHandlerAdapter {

    private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf("taasCountedAddress");

    private static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf("taasRefusedConnection");

    private final int max;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

    ConnectionsPerIp(int max) {
        this.max = max;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetAddress address = ctx.channel().remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
        if (max <= 0 || address == null) {
            super.channelActive(ctx);
            return;
        }
        boolean[] admitted = new boolean[1];
        open.compute(address, (a, n) -> {
            int now = n == null ? 0 : n;
            admitted[0] = now < max;
            return admitted[0] ? now + 1 : (n == null ? null : n);
        });
        if (!admitted[0]) {
            ctx.channel().attr(REFUSED).set(true);
            ctx.channel().config().setAutoRead(false);
            byte[] body = ErrorResponder.body(429, "rate_limit_error", "too_many_connections",
                    "This address has " + max + " connections open to the gateway already", false);
            byte[] head = ("HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\ncontent-length: "
                    + body.length + "\r\nconnection: close\r\nx-request-id: " + java.util.UUID.randomUUID() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(head, body)).addListener(ChannelFutureListener.CLOSE);
            return; // the rest of the pipeline never sees this connection
        }
        ctx.channel().attr(COUNTED).set(address);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (ctx.channel().hasAttr(REFUSED)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        InetAddress address = ctx.channel().attr(COUNTED).getAndSet(null);
        if (address != null) {
            open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        }
        super.channelInactive(ctx);
    }

    /** Connections counted for an address right now (for tests). */
    int openFrom(InetAddress address) {
        return open.getOrDefault(address, 0);
    }
}
