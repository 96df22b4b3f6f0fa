package org.cameltaas.testkit;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One per connection: records each request, takes the next script and hands the reply to a {@link ReplyWriter}.
 * Pipelined requests wait their turn, so replies never interleave on a kept-alive connection.
 */
final class UpstreamChannelHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamChannelHandler.class);

    /** A recorded request waiting for its reply. */
    private record Pending(RecordedRequest request, boolean keepAlive) {
    }

    private final RequestJournal journal;
    private final ScriptQueue scripts;
    private final ReplyRouter router;
    private final CompletableFuture<Long> closed = new CompletableFuture<>();
    private final Queue<Pending> pending = new ArrayDeque<>();
    private boolean replying;

    UpstreamChannelHandler(RequestJournal journal, ScriptQueue scripts, ReplyRouter router) {
        this.journal = journal;
        this.scripts = scripts;
        this.router = router;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.channel().closeFuture().addListener(f -> closed.complete(System.nanoTime()));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            badRequest(ctx.channel());
            return;
        }
        RecordedRequest recorded = RecordedRequest.of(request, closed);
        journal.record(recorded);
        pending.add(new Pending(recorded, HttpUtil.isKeepAlive(request)));
        if (!replying) {
            serveNext(ctx.channel());
        }
    }

    private void serveNext(Channel channel) {
        Pending next = pending.poll();
        replying = next != null;
        if (next == null || !channel.isActive()) {
            return;
        }
        Script script = scripts.next();
        if (script.resetsConnection()) {
            resetLater(channel, script.headerDelayValue().toNanos());
            return;
        }
        Reply reply = router.reply(next.request(), script);
        WritePlan plan = WritePlan.of(reply, script, next.keepAlive());
        new ReplyWriter(channel, next.request(), plan, next.keepAlive(), () -> serveNext(channel)).start();
    }

    /** SO_LINGER 0 makes close() send RST instead of FIN: the client sees "connection reset". */
    private static void resetLater(Channel channel, long delayNanos) {
        channel.eventLoop().schedule(() -> {
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
            channel.close();
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    private static void badRequest(Channel channel) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST,
                Unpooled.EMPTY_BUFFER);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // clients hanging up mid-stream is normal in these tests
        LOG.debug("fake upstream connection error: {}", cause.toString());
        ctx.close();
    }
}
