package org.cameltaas.gateway.request;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Message;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import org.apache.camel.Processor;
import org.apache.camel.component.netty.NettyConstants;
import org.apache.camel.support.SynchronizationAdapter;
import org.cameltaas.component.TaasConstants;
import org.cameltaas.gateway.GatewayHeaders;

/**
 * Gives every request its {@code x-request-id} (a UUID) and keeps the client's {@code x-client-request-id} beside it.
 * A W3C trace context ({@code traceparent}, {@code tracestate}) travels on to the upstream, so a trace that passes
 * through the gateway continues at the provider.
 */
public class RequestIds implements Processor {

    /** version-traceid-parentid-flags, as W3C Trace Context defines it. */
    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    @Override
    public void process(Exchange exchange) {
        exchange.setProperty(GatewayHeaders.STARTED_NANOS, System.nanoTime());
        exchange.setProperty(GatewayHeaders.REQUEST_ID, TimeOrderedIds.next());
        String traceparent = exchange.getMessage().getHeader("traceparent", String.class);
        if (traceparent != null && TRACEPARENT.matcher(traceparent.trim()).matches()) {
            Map<String, Object> trace = new HashMap<>();
            trace.put("traceparent", traceparent.trim());
            String tracestate = exchange.getMessage().getHeader("tracestate", String.class);
            if (tracestate != null && tracestate.length() <= 512) {
                trace.put("tracestate", tracestate.trim());
            }
            exchange.getMessage().setHeader(TaasConstants.UPSTREAM_HEADERS, trace);
        }
        forgetReplyHeaders(exchange);
        ProviderHeaders.offer(exchange.getMessage());
        watchDisconnect(exchange);
        String clientId = exchange.getMessage().getHeader("x-client-request-id", String.class);
        if (clientId != null && !clientId.isBlank()) {
            exchange.setProperty(GatewayHeaders.CLIENT_REQUEST_ID, clientId.length() > 200 ? clientId.substring(0, 200) : clientId);
        }
    }

    /**
     * The client's request headers are not reply headers: its Retry-After goes, its Content-Type is remembered (the
     * surfaces read it) so the reply does not echo it, and a charset it names is not used to encode the reply (an
     * unknown one, {@code text/plain; charset=evil}, failed the reply's encoding and left the request unanswered).
     */
    private static void forgetReplyHeaders(Exchange exchange) {
        Message message = exchange.getMessage();
        message.removeHeader("Retry-After");
        message.removeHeader(Exchange.HTTP_CHARACTER_ENCODING);
        exchange.removeProperty(ExchangePropertyKey.CHARSET_NAME);
        Object contentType = message.getHeader(Exchange.CONTENT_TYPE);
        if (contentType != null) {
            exchange.setProperty(GatewayHeaders.CLIENT_CONTENT_TYPE, contentType.toString());
        }
    }

    /**
     * Completes the component's cancellation stage when the client's connection closes, so an upstream call (and any
     * further fallback attempt) stops at once. The listener leaves the connection with the exchange: a keep-alive
     * connection serves many requests.
     */
    private static void watchDisconnect(Exchange exchange) {
        ChannelHandlerContext ctx = exchange.getMessage().getHeader(NettyConstants.NETTY_CHANNEL_HANDLER_CONTEXT,
                ChannelHandlerContext.class);
        if (ctx == null) {
            return;
        }
        CompletableFuture<Void> gone = new CompletableFuture<>();
        ChannelFutureListener listener = future -> gone.complete(null);
        ctx.channel().closeFuture().addListener(listener);
        exchange.getMessage().setHeader(TaasConstants.CANCELLATION, gone);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                ctx.channel().closeFuture().removeListener(listener);
            }
        });
    }
}
