package org.cameltaas.gateway.http;

import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.concurrent.Flow;
import java.util.function.Function;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedWriteHandler;
import org.apache.camel.component.netty.http.OutboundStreamHttpResponse;
import org.cameltaas.component.http.SseEvent;

/**
 * A server-sent event stream written by Netty's {@link ChunkedWriteHandler} without blocking: {@link #readChunk}
 * hands over what has arrived and returns null when nothing has (the handler then waits), and each arriving
 * event wakes the handler with {@code resumeTransfer()}. The handler asks for chunks only while the channel is
 * writable, and events are requested from the publisher only as chunks are taken, so a slow client slows the
 * upstream instead of filling memory. When the client goes away Netty closes this input, which cancels the
 * subscription and with it the upstream call.
 * <p>
 * It extends camel-netty-http's {@code OutboundStreamHttpResponse} because that is the type its pipeline knows to
 * write as a head followed by chunks; a regression test guards that reliance.
 */
public final class SseResponse extends OutboundStreamHttpResponse implements Flow.Subscriber<SseEvent> {

    /** Events asked for ahead of the network: enough to keep the socket busy, few enough to bound memory. */
    private static final int PREFETCH = 16;

    private final Channel channel;
    private final Function<Throwable, byte[]> errorEvent;
    private final boolean closeWhenDone;

    // guarded by this
    private final ArrayDeque<ByteBuf> ready = new ArrayDeque<>();
    private Flow.Subscription subscription;
    private int outstanding;
    private boolean publisherDone;
    private boolean lastSent;
    private boolean closed;
    private long bytesWritten;

    public SseResponse(HttpResponse head, Flow.Publisher<SseEvent> events, ChannelHandlerContext ctx,
                       Function<Throwable, byte[]> errorEvent, boolean closeWhenDone) {
        super(new ByteArrayInputStream(new byte[0]), new DefaultHttpResponse(head.protocolVersion(), head.status()));
        headers().set(head.headers());
        this.channel = ctx.channel();
        this.errorEvent = errorEvent;
        this.closeWhenDone = closeWhenDone;
        events.subscribe(this);
    }

    // Flow.Subscriber: the publisher's side

    @Override
    public void onSubscribe(Flow.Subscription s) {
        boolean cancel;
        synchronized (this) {
            cancel = closed;
            subscription = s;
            outstanding = cancel ? 0 : PREFETCH;
        }
        if (cancel) {
            s.cancel();
        } else {
            s.request(PREFETCH);
        }
    }

    @Override
    public void onNext(SseEvent event) {
        synchronized (this) {
            outstanding--;
            if (closed) {
                return;
            }
            ready.add(Unpooled.wrappedBuffer(event.toWire()));
        }
        resume();
    }

    @Override
    public void onError(Throwable error) {
        synchronized (this) {
            if (closed) {
                return;
            }
            ready.add(Unpooled.wrappedBuffer(errorEvent.apply(error)));
            publisherDone = true;
        }
        resume();
    }

    @Override
    public void onComplete() {
        synchronized (this) {
            publisherDone = true;
        }
        resume();
    }

    // ChunkedInput: Netty's side, on the channel's event loop

    @Override
    public synchronized boolean isEndOfInput() {
        return lastSent;
    }

    @Override
    @Deprecated
    public HttpContent readChunk(ChannelHandlerContext ctx) {
        return readChunk(ctx.alloc());
    }

    @Override
    public HttpContent readChunk(ByteBufAllocator allocator) {
        HttpContent chunk;
        int more = 0;
        Flow.Subscription s;
        boolean finished = false;
        synchronized (this) {
            ByteBuf next = ready.poll();
            if (next != null) {
                bytesWritten += next.readableBytes();
                chunk = new DefaultHttpContent(next);
            } else if (publisherDone) {
                lastSent = true;
                finished = true;
                chunk = LastHttpContent.EMPTY_LAST_CONTENT;
            } else {
                chunk = null; // nothing yet: the handler waits for resume()
            }
            s = subscription;
            if (!publisherDone && s != null && outstanding + ready.size() < PREFETCH / 2) {
                more = PREFETCH - outstanding - ready.size();
                outstanding += more;
            }
        }
        if (more > 0) {
            // not inline: the publisher may deliver at once, and its resume() must not re-enter the handler's flush
            int requested = more;
            channel.eventLoop().execute(() -> s.request(requested));
        }
        if (finished && closeWhenDone) {
            channel.eventLoop().execute(
                    () -> channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE));
        }
        return chunk;
    }

    @Override
    public long length() {
        return -1;
    }

    @Override
    public synchronized long progress() {
        return bytesWritten;
    }

    /** Netty closes the input at the end and when the client disconnects: stop the upstream in the second case. */
    @Override
    public void close() {
        Flow.Subscription s;
        boolean cancel;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            cancel = !publisherDone;
            s = subscription;
            ready.forEach(ByteBuf::release);
            ready.clear();
        }
        if (cancel && s != null) {
            s.cancel();
        }
    }

    private void resume() {
        ChunkedWriteHandler writer = channel.pipeline().get(ChunkedWriteHandler.class);
        if (writer != null) {
            // always a fresh event-loop task: resumeTransfer() called from inside the handler's own doFlush (an event
            // delivered synchronously by readChunk's request) lost or reordered events
            channel.eventLoop().execute(writer::resumeTransfer);
        }
    }
}
