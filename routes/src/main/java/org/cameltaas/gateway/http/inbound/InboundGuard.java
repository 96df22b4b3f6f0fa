package org.cameltaas.gateway.http.inbound;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

/**
 * One connection's guard, between Netty's HTTP codec and camel-netty-http. Everything runs on the connection's event
 * loop and nothing blocks:
 * <ul>
 * <li>reading a request is bounded: the headers (from the request's first byte), the body (in silence and in all)
 *     and the idle keep-alive time; a stalled request gets a 408 and the connection is closed;</li>
 * <li>bodies are bounded whatever their framing (Content-Length or chunked): 413 in the error envelope;</li>
 * <li>what the codec or Camel would refuse with an empty reply or a silent close (headers too large, a bad request
 *     line, {@code %zz} in the path, no Host) gets a 4xx in the error envelope; {@code //v1/models} means
 *     {@code /v1/models};</li>
 * <li>pipelined requests are answered in order: a request that arrives while an earlier one is being answered waits
 *     here until that reply has been written;</li>
 * <li>a HEAD reply carries no body, and an HTTP/1.0 client gets its stream unchunked, ended by the close.</li>
 * </ul>
 */
final class InboundGuard extends ChannelDuplexHandler {

    /** Pipelined requests waiting behind the one being answered; more is abuse, not a client. */
    private static final int MAX_HELD_REQUESTS = 16;

    private enum Phase { IDLE, HEADERS, BODY, REFUSED }

    /** What the reply to one request needs to know about it. */
    private static final class Asked {
        final boolean head;
        final boolean http10;
        boolean closeAfter;

        Asked(HttpRequest request) {
            head = HttpMethod.HEAD.equals(request.method());
            http10 = HttpVersion.HTTP_1_0.equals(request.protocolVersion());
        }
    }

    private record Held(HttpObject message, Asked askedIfLast) {
    }

    private final InboundLimits limits;
    private ChannelHandlerContext ctx;

    private Phase phase = Phase.IDLE;
    private long phaseStart;
    private long lastRead;
    private long bodyBytes;
    /** The current request's body limit: larger for uploads spooled to disk ({@link UploadSpooler}). */
    private long bodyLimit;
    private long lastReplyEnd;
    private String path;
    private Asked reading;
    /** Whether the request being read waits in {@link #held} rather than going on to the routes. */
    private boolean holding;
    /** Requests passed on whose replies have not been written completely, oldest first. */
    private final ArrayDeque<Asked> answering = new ArrayDeque<>();
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private int heldRequests;
    private long heldBytes;
    /** The reply being written: its request, or null (a refusal of our own, Camel's own early replies). */
    private Asked writing;
    private ScheduledFuture<?> timer;

    /** Whether an upload spooler follows, so {@code POST /v1/files} may be as large as {@code maxUploadBytes}. */
    private final boolean spooling;

    InboundGuard(InboundLimits limits) {
        this(limits, false);
    }

    InboundGuard(InboundLimits limits, boolean spooling) {
        this.limits = limits;
        this.spooling = spooling;
        this.bodyLimit = limits.maxBodyBytes();
    }

    /** Sits before the HTTP decoder: a request's first byte starts its header time-out. */
    ChannelInboundHandlerAdapter byteWatcher() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext byteCtx, Object msg) throws Exception {
                if (phase == Phase.IDLE && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                    enter(Phase.HEADERS);
                }
                super.channelRead(byteCtx, msg);
            }
        };
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        lastReplyEnd = System.nanoTime();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        lastReplyEnd = System.nanoTime();
        rearm();
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelTimer();
        releaseHeld();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
        releaseHeld();
    }

    // reading

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!(msg instanceof HttpObject object)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (phase == Phase.REFUSED) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (object instanceof HttpRequest request && !startRequest(request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (object instanceof HttpContent content && !(object instanceof HttpRequest)) {
            if (content.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                refuse(400, "invalid_request", "The request body is malformed: " + reason(content.decoderResult()));
                return;
            }
            bodyBytes += content.content().readableBytes();
            if (bodyBytes > bodyLimit) {
                ReferenceCountUtil.release(msg);
                refuseTooLarge();
                return;
            }
            lastRead = System.nanoTime();
        }
        boolean last = object instanceof LastHttpContent;
        deliver(object, last ? reading : null);
        if (last) {
            enter(Phase.IDLE);
        }
    }

    /** Checks a request's head; false when it was refused. */
    private boolean startRequest(HttpRequest request) {
        DecoderResult result = request.decoderResult();
        path = null;
        if (result.isFailure()) {
            Throwable cause = result.cause();
            if (cause instanceof TooLongHttpHeaderException) {
                refuse(431, "headers_too_large", "The request headers are larger than " + limits.maxHeaderBytes() / 1024 + " KB");
            } else if (cause instanceof TooLongHttpLineException) {
                refuse(414, "uri_too_long", "The request line is too long");
            } else if (cause instanceof TooLongFrameException) {
                refuse(431, "headers_too_large", "The request head is too large");
            } else {
                refuse(400, "invalid_request", "The request cannot be parsed as HTTP: " + reason(result));
            }
            return false;
        }
        String uri = normalized(request.uri());
        if (uri == null) {
            refuse(400, "invalid_path", "The request path is not a valid URI (check its percent-encoding)");
            return false;
        }
        request.setUri(uri);
        path = uri.startsWith("/") ? uri : null;
        if (!request.headers().contains(HttpHeaderNames.HOST)) {
            if (!HttpVersion.HTTP_1_0.equals(request.protocolVersion())) {
                refuse(400, "invalid_request", "HTTP/1.1 requests must carry a Host header");
                return false;
            }
            request.headers().set(HttpHeaderNames.HOST, "localhost"); // HTTP/1.0 may omit it; Camel insists
        }
        long contentLength;
        try {
            contentLength = HttpUtil.getContentLength(request, -1L);
        } catch (NumberFormatException e) {
            refuse(400, "invalid_request", "The Content-Length header is not a number");
            return false;
        }
        bodyLimit = spooling && UploadSpooler.isUpload(request) ? limits.maxUploadBytes() : limits.maxBodyBytes();
        if (contentLength > bodyLimit) {
            refuseTooLarge();
            return false;
        }
        reading = new Asked(request);
        holding = !answering.isEmpty() || !held.isEmpty();
        bodyBytes = 0;
        enter(Phase.BODY);
        return true;
    }

    /**
     * The request target with runs of slashes in its path collapsed; null when it is no URI at all. Camel parses the
     * target with {@code java.net.URI}, which would read {@code //v1/models} as host {@code v1} and path {@code /models}.
     */
    static String normalized(String uri) {
        String target = uri;
        if (target.startsWith("/")) {
            int query = target.indexOf('?');
            String pathPart = query < 0 ? target : target.substring(0, query);
            if (pathPart.contains("//")) {
                target = pathPart.replaceAll("/{2,}", "/") + (query < 0 ? "" : target.substring(query));
            }
        }
        try {
            URI parsed = new URI(target);
            return parsed.getRawPath() == null && !target.equals("*") ? null : target;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private void deliver(HttpObject message, Asked askedIfLast) {
        if (holding && held.isEmpty() && answering.isEmpty()) {
            holding = false; // the requests ahead were answered while this one was still arriving
        }
        if (!holding) {
            if (askedIfLast != null) {
                answering.add(askedIfLast);
            }
            ctx.fireChannelRead(message);
            return;
        }
        held.add(new Held(message, askedIfLast));
        if (message instanceof HttpContent content) {
            heldBytes += content.content().readableBytes();
        }
        if (message instanceof HttpRequest) {
            heldRequests++;
        }
        if (heldRequests > MAX_HELD_REQUESTS || heldBytes > limits.maxBodyBytes()) {
            close(); // a flood of pipelined requests
        }
    }

    /** Passes held requests on, one at a time: the next once the previous one's reply has been written. */
    private void releaseNext() {
        while (answering.isEmpty() && !held.isEmpty() && ctx.channel().isActive()) {
            Held next = held.poll();
            if (next.message() instanceof HttpContent content) {
                heldBytes -= content.content().readableBytes();
            }
            if (next.message() instanceof HttpRequest) {
                heldRequests--;
            }
            if (next.askedIfLast() != null) {
                answering.add(next.askedIfLast());
            }
            ctx.fireChannelRead(next.message());
        }
        rearm();
    }

    // writing

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse response) {
            if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                ctx.write(msg, promise); // 100 Continue: not the reply yet
                return;
            }
            writing = answering.peek();
            if (writing != null) {
                msg = adapt(response, writing);
            }
        } else if (msg instanceof HttpContent content && writing != null && writing.head) {
            // a HEAD reply has no body: drop it, keep the end
            boolean last = content instanceof LastHttpContent;
            content.release();
            if (last) {
                msg = LastHttpContent.EMPTY_LAST_CONTENT;
            } else {
                promise.trySuccess();
                return;
            }
        }
        if (msg instanceof LastHttpContent) {
            Asked done = writing;
            writing = null;
            if (done != null && answering.peek() == done) {
                answering.poll();
            }
            ChannelPromise written = promise.unvoid();
            ctx.write(msg, written);
            if (done != null && done.closeAfter) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
            lastReplyEnd = System.nanoTime();
            ctx.executor().execute(this::releaseNext);
            return;
        }
        ctx.write(msg, promise);
    }

    /** HEAD and HTTP/1.0 replies, from the reply Camel wrote for a GET-like HTTP/1.1 request. */
    private static Object adapt(HttpResponse response, Asked asked) {
        if (asked.http10) {
            response.setProtocolVersion(HttpVersion.HTTP_1_0);
            if (HttpUtil.isTransferEncodingChunked(response)) {
                // HTTP/1.0 has no chunks: the body runs until the connection closes
                response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                asked.closeAfter = true;
            }
        }
        if (asked.head && response instanceof FullHttpResponse full && full.content().isReadable()) {
            FullHttpResponse empty = new DefaultFullHttpResponse(full.protocolVersion(), full.status(), Unpooled.EMPTY_BUFFER,
                    full.headers(), full.trailingHeaders()); // Content-Length stays: what a GET would get
            full.release();
            return empty;
        }
        return response;
    }

    // time-outs

    private void enter(Phase next) {
        phase = next;
        phaseStart = System.nanoTime();
        lastRead = phaseStart;
        rearm();
    }

    /** The moment the connection's current wait runs out, or 0 when it is not waiting on the client. */
    private long deadline() {
        return switch (phase) {
            case HEADERS -> phaseStart + limits.headerTimeout().toNanos();
            case BODY -> Math.min(phaseStart + limits.bodyTimeout().toNanos(), lastRead + limits.bodyIdleTimeout().toNanos());
            case IDLE -> answering.isEmpty() && held.isEmpty() && writing == null
                    ? lastReplyEnd + limits.keepAliveTimeout().toNanos() : 0;
            case REFUSED -> 0;
        };
    }

    private void rearm() {
        cancelTimer();
        long deadline = deadline();
        if (deadline != 0 && ctx != null && ctx.channel().isActive()) {
            timer = ctx.executor().schedule(this::check, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    private void check() {
        timer = null;
        long deadline = deadline();
        if (deadline == 0) {
            return;
        }
        if (System.nanoTime() < deadline) {
            rearm(); // activity since the timer was set
            return;
        }
        switch (phase) {
            case HEADERS -> refuse(408, "request_timeout", "The request headers did not arrive within "
                    + limits.headerTimeout().toSeconds() + " s");
            case BODY -> refuse(408, "request_timeout", "The request body stopped arriving");
            default -> close(); // an idle keep-alive connection
        }
    }

    private void cancelTimer() {
        ScheduledFuture<?> t = timer;
        timer = null;
        if (t != null) {
            t.cancel(false);
        }
    }

    // refusals

    private void refuseTooLarge() {
        refuse(413, "request_too_large", "The request body is larger than " + bodyLimit / (1024 * 1024) + " MB");
    }

    /**
     * Answers a request the routes never see, then closes. A refusal behind a reply still being written only closes
     * (a reply must not interleave with another).
     */
    private void refuse(int status, String code, String message) {
        phase = Phase.REFUSED;
        cancelTimer();
        ctx.channel().config().setAutoRead(false);
        if (!answering.isEmpty() || writing != null) {
            close();
            return;
        }
        ctx.writeAndFlush(Refusals.of(status, code, message, path)).addListener(written -> lingerThenClose());
    }

    /** How long a refused client may go on sending before the connection closes. */
    private static final long LINGER_MILLIS = 2000;

    /**
     * The client may still be sending the body it was refused (a 413 comes before the body is read): closing with
     * its bytes unread resets the connection, and the reset can destroy the refusal on its way to the client. So the
     * output is shut (the client reads the refusal, then the end), what still comes is read and dropped (the phase is
     * REFUSED), and the connection closes when the client closes it or after {@link #LINGER_MILLIS}.
     */
    private void lingerThenClose() {
        if (!(ctx.channel() instanceof io.netty.channel.socket.DuplexChannel duplex) || !ctx.channel().isActive()) {
            ctx.close();
            return;
        }
        duplex.shutdownOutput().addListener(shut -> {
            if (!shut.isSuccess()) {
                ctx.close();
                return;
            }
            ctx.channel().config().setAutoRead(true);
            ctx.executor().schedule(() -> {
                ctx.close();
            }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
        });
    }

    private void close() {
        phase = Phase.REFUSED;
        cancelTimer();
        releaseHeld();
        ctx.close();
    }

    private void releaseHeld() {
        Held h;
        while ((h = held.poll()) != null) {
            ReferenceCountUtil.release(h.message());
        }
        heldBytes = 0;
        heldRequests = 0;
    }

    private static String reason(DecoderResult result) {
        Throwable cause = result.cause();
        String text = cause == null || cause.getMessage() == null ? "malformed" : cause.getMessage();
        return text.length() > 200 ? text.substring(0, 200) : text;
    }
}
