package org.cameltaas.gateway.http;

import java.util.Map;
import java.util.concurrent.Flow;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.netty.NettyConstants;
import org.apache.camel.component.netty.http.DefaultNettyHttpBinding;
import org.apache.camel.component.netty.http.NettyHttpConfiguration;
import org.apache.camel.component.netty.http.OutboundStreamHttpResponse;
import org.cameltaas.component.TaasStream;
import org.cameltaas.component.http.SseEvent;
import org.cameltaas.gateway.responses.ResponsesMemory;
import org.cameltaas.gateway.GatewayHeaders;
import org.cameltaas.gateway.credits.CreditCharge;
import org.cameltaas.gateway.files.FileDownload;
import org.cameltaas.gateway.files.SpooledUploads;
import org.cameltaas.gateway.http.inbound.Refusals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * camel-netty-http's binding, plus two things the gateway needs: a {@link TaasStream} body goes out as a
 * non-blocking server-sent event stream ({@link SseResponse}), and a POST that claims to be a form is not parsed
 * as one (the stock binding throws on a JSON body sent with curl's default form content type, and the client
 * would get an empty reply instead of a 415).
 */
public class TaasHttpBinding extends DefaultNettyHttpBinding {

    private static final Logger LOG = LoggerFactory.getLogger(TaasHttpBinding.class);

    private static final String FORM = "application/x-www-form-urlencoded";

    /**
     * An exchange property holding the reply's Cache-Control (camel-netty-http's header filter drops that header
     * from the message): the console's files set it.
     */
    public static final String CACHE_CONTROL = "TaasCacheControl";

    private volatile SpooledUploads spooledUploads;

    /** Uploads the HTTP layer spooled (the Files API): one a request names is dropped when its exchange is done. */
    public void setSpooledUploads(SpooledUploads uploads) {
        this.spooledUploads = uploads;
    }

    @Override
    public void populateCamelHeaders(HttpRequest request, Map<String, Object> headers, Exchange exchange,
                                     NettyHttpConfiguration configuration) throws Exception {
        String spooled = request.headers().get(SpooledUploads.HEADER);
        SpooledUploads uploads = spooledUploads;
        if (spooled != null && uploads != null) {
            // whatever happens to the request (a 401 before the Files API, a failure), its spool file goes
            exchange.getExchangeExtension().addOnCompletion(new org.apache.camel.support.SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    uploads.discard(spooled);
                }
            });
        }
        String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (contentType == null || !contentType.startsWith(FORM)) {
            super.populateCamelHeaders(request, headers, exchange, configuration);
            return;
        }
        request.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-taas-unparsed-form");
        try {
            super.populateCamelHeaders(request, headers, exchange, configuration);
        } finally {
            request.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        headers.put(Exchange.CONTENT_TYPE, contentType);
    }

    /**
     * Any failure while building the reply (a header Netty refuses, a body that cannot be encoded) ends in a 500 and a
     * close: before, Camel logged it at DEBUG, wrote nothing, and the client waited on an open connection.
     */
    @Override
    public HttpResponse toNettyResponse(Message message, NettyHttpConfiguration configuration) throws Exception {
        try {
            return reply(message, configuration);
        } catch (Exception e) {
            LOG.error("Request {}: the reply could not be written", message.getExchange().getProperty(GatewayHeaders.REQUEST_ID), e);
            message.setHeader(NettyConstants.NETTY_CLOSE_CHANNEL_WHEN_COMPLETE, true);
            return Refusals.of(500, "internal_error",
                    "The gateway failed to write the reply; quote the x-request-id header when reporting it.", null);
        }
    }

    private HttpResponse reply(Message message, NettyHttpConfiguration configuration) throws Exception {
        if (message.getBody() instanceof FileDownload download) {
            return download(message, configuration, download);
        }
        if (!(message.getBody() instanceof TaasStream stream)) {
            HttpResponse response = super.toNettyResponse(message, configuration);
            Object cacheControl = message.getExchange().getProperty(CACHE_CONTROL);
            if (cacheControl != null) {
                response.headers().set(HttpHeaderNames.CACHE_CONTROL, cacheControl.toString());
            }
            return response;
        }
        // let the stock binding build the head (status, headers, keep-alive), then stream the body ourselves
        message.setBody(new byte[0]);
        HttpResponse head = super.toNettyResponse(message, configuration);
        message.setBody(stream);
        head.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        // the channel must stay open after the head: close it ourselves once the stream has ended
        boolean close = Boolean.TRUE.equals(message.getHeader(NettyConstants.NETTY_CLOSE_CHANNEL_WHEN_COMPLETE, Boolean.class));
        message.setHeader(NettyConstants.NETTY_CLOSE_CHANNEL_WHEN_COMPLETE, false);
        ChannelHandlerContext ctx = message.getHeader(NettyConstants.NETTY_CHANNEL_HANDLER_CONTEXT, ChannelHandlerContext.class);
        Object style = message.getExchange().getProperty(GatewayHeaders.STYLE);
        @SuppressWarnings("unchecked")
        java.util.function.Consumer<SseEvent> tap = message.getExchange().getProperty(ResponsesMemory.STREAM_TAP,
                java.util.function.Consumer.class);
        Flow.Publisher<SseEvent> events = tap == null ? stream : TappedEvents.of(stream, tap);
        events = CreditCharge.withCost(message.getExchange(), events, stream);
        SseResponse response = new SseResponse(head, events, ctx, failure -> StreamErrors.forStyle(style, failure), close);
        ReferenceCountUtil.release(head); // only its status and headers were wanted
        return response;
    }

    /** A stored file's content (the Files API), read from its store chunk by chunk as the client takes it. */
    private HttpResponse download(Message message, NettyHttpConfiguration configuration, FileDownload download) throws Exception {
        message.setBody(new byte[0]);
        HttpResponse head = super.toNettyResponse(message, configuration);
        // the stream's own headers are the ones written (getResponse() copies them), not the inner response's
        OutboundStreamHttpResponse streamed = new OutboundStreamHttpResponse(download.content(),
                new DefaultHttpResponse(head.protocolVersion(), head.status()));
        streamed.headers().set(head.headers());
        ReferenceCountUtil.release(head);
        streamed.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        streamed.headers().set(HttpHeaderNames.CONTENT_LENGTH, download.length());
        streamed.headers().set(HttpHeaderNames.CONTENT_TYPE, download.contentType());
        streamed.headers().set(HttpHeaderNames.CONTENT_DISPOSITION, ContentDisposition.attachment(download.filename()));
        return streamed;
    }
}
