package org.cameltaas.testkit;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Follows a {@link WritePlan} on the channel's event loop: delays are scheduled, never slept, so thousands of
 * slow streams cost no threads. Every piece is flushed as soon as it is written.
 */
final class ReplyWriter {

    private final Channel channel;
    private final RecordedRequest request;
    private final WritePlan plan;
    private final boolean keepAlive;
    private final Runnable onDone;

    /** @param onDone runs on the event loop once a kept-alive connection is free for the next request */
    ReplyWriter(Channel channel, RecordedRequest request, WritePlan plan, boolean keepAlive, Runnable onDone) {
        this.channel = channel;
        this.request = request;
        this.plan = plan;
        this.keepAlive = keepAlive;
        this.onDone = onDone;
    }

    void start() {
        later(plan.headerDelayNanos(), () -> {
            channel.writeAndFlush(plan.head());
            writeFrom(0, false);
        });
    }

    private void writeFrom(int index, boolean delayElapsed) {
        List<WritePlan.Piece> pieces = plan.pieces();
        int i = index;
        boolean waited = delayElapsed;
        // a loop rather than recursion, so long undelayed streams cannot overflow the stack
        while (i < pieces.size()) {
            if (!channel.isActive()) {
                return; // the client went away: completedNormally stays false
            }
            WritePlan.Piece piece = pieces.get(i);
            if (piece.delayNanos() > 0 && !waited) {
                int at = i;
                channel.eventLoop().schedule(() -> writeFrom(at, true), piece.delayNanos(), TimeUnit.NANOSECONDS);
                return;
            }
            waited = false;
            channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(piece.bytes())));
            i++;
        }
        finish();
    }

    private void finish() {
        if (!channel.isActive()) {
            return;
        }
        if (plan.cut()) {
            channel.close(); // no terminating chunk: the client sees a truncated stream
            return;
        }
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(written -> {
            if (written.isSuccess()) {
                request.markCompletedNormally();
            }
            if (keepAlive && written.isSuccess()) {
                onDone.run();
            } else {
                channel.close();
            }
        });
    }

    private void later(long delayNanos, Runnable task) {
        Runnable guarded = () -> {
            if (channel.isActive()) {
                task.run();
            }
        };
        if (delayNanos > 0) {
            channel.eventLoop().schedule(guarded, delayNanos, TimeUnit.NANOSECONDS);
        } else {
            guarded.run();
        }
    }
}
