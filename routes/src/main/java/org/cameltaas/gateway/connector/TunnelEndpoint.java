package org.cameltaas.gateway.connector;

import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import org.cameltaas.connector.protocol.FrameCodec;
import org.cameltaas.connector.protocol.Tunnel;

/**
 * The tunnel endpoint ({@code GET /connect/v1}, a WebSocket upgrade) in the gateway's HTTP pipeline, right after
 * the request decoder. Any other request passes through untouched. An upgrade takes the connection out of HTTP:
 * the request time-outs, the aggregator and Camel's handler leave the pipeline, and a {@link TunnelSession} with a
 * heartbeat watch takes their place. The connector authenticates in its first frame (HELLO).
 */
public final class TunnelEndpoint extends ChannelInboundHandlerAdapter {

    /** The pipeline's HTTP-only handlers (TaasServerInitializer's names and camel-netty-http's). */
    private static final String[] HTTP_HANDLERS = {"first-byte", "guard", "aggregator", "outbound-streamer", "handler",
            "inflater", "deflater", "chunkedWriter"};

    private final ConnectorRegistry registry;
    private HttpRequest upgrade;
    /** A refused request's body parts are dropped here, not handed to the HTTP handlers after it. */
    private boolean refused;

    public TunnelEndpoint(ConnectorRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (upgrade != null) {
            // the upgrade request's (empty) body: once it ended, switch protocols
            boolean last = msg instanceof LastHttpContent;
            ReferenceCountUtil.release(msg);
            if (last) {
                handshake(ctx);
            }
            return;
        }
        if (msg instanceof HttpRequest request && isTunnelPath(request.uri())) {
            if (!HttpMethod.GET.equals(request.method())
                    || !HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(String.valueOf(request.headers().get(HttpHeaderNames.UPGRADE)))) {
                refused = !(msg instanceof LastHttpContent);
                ReferenceCountUtil.release(msg);
                refuse(ctx, HttpResponseStatus.UPGRADE_REQUIRED, "upgrade_required",
                        "This is the connectors' tunnel endpoint: a WebSocket (GET with Upgrade: websocket), used by bin/connector");
                return;
            }
            upgrade = request;
            if (msg instanceof LastHttpContent) {
                ReferenceCountUtil.release(msg);
                handshake(ctx);
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private static boolean isTunnelPath(String uri) {
        int query = uri.indexOf('?');
        String path = query >= 0 ? uri.substring(0, query) : uri;
        return path.equals(Tunnel.PATH);
    }

    private void handshake(ChannelHandlerContext ctx) {
        ChannelPipeline pipeline = ctx.pipeline();
        boolean tls = pipeline.get(SslHandler.class) != null;
        String location = (tls ? "wss://" : "ws://") + upgrade.headers().get(HttpHeaderNames.HOST, "localhost") + Tunnel.PATH;
        WebSocketServerHandshakerFactory factory = new WebSocketServerHandshakerFactory(location, Tunnel.SUBPROTOCOL, false,
                FrameCodec.HEADER + Tunnel.MAX_PAYLOAD);
        FullHttpRequest request = new DefaultFullHttpRequest(upgrade.protocolVersion(), upgrade.method(), upgrade.uri(),
                Unpooled.EMPTY_BUFFER, upgrade.headers(), io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
        WebSocketServerHandshaker handshaker = factory.newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel()).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (!upgrade.headers().contains(HttpHeaderNames.SEC_WEBSOCKET_KEY)) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "invalid_request", "A WebSocket upgrade needs a Sec-WebSocket-Key header");
            return;
        }
        for (String name : HTTP_HANDLERS) {
            if (pipeline.get(name) != null) {
                pipeline.remove(name);
            }
        }
        TunnelSession session = new TunnelSession(registry, ctx.channel().remoteAddress());
        pipeline.addAfter(ctx.name(), "tunnel-heartbeat",
                new IdleStateHandler(Tunnel.OFFLINE_MILLIS, Tunnel.HEARTBEAT_MILLIS, 0, TimeUnit.MILLISECONDS));
        pipeline.addAfter("tunnel-heartbeat", "tunnel", session);
        try {
            handshaker.handshake(ctx.channel(), request).addListener(done -> {
                if (!done.isSuccess()) {
                    ctx.channel().close();
                }
            });
        } catch (RuntimeException e) {
            ctx.channel().close(); // the HTTP handlers are gone: nothing else could answer on this connection
            return;
        }
        pipeline.remove(this);
    }

    private static void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String code, String message) {
        String body = "{\"error\":{\"message\":\"" + message + "\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\""
                + code + "\"}}";
        FullHttpResponse response = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, java.nio.charset.StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

}
