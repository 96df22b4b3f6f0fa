package org.cameltaas.gateway.limits;

import java.util.concurrent.CompletableFuture;
import io.netty.channel.ChannelHandlerContext;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.component.netty.NettyConstants;

/**
 * Carries a limiter decision back into the route. An embedded decision is already made: the route goes on at once,
 * on its own thread. A Redis decision arrives on Lettuce's thread: the route resumes on the thread it ran on
 * (the request's camel-netty executor), so Redis' I/O thread never runs a route and the upstream call still
 * starts from the request's own event loop.
 */
public final class Decisions {

    private Decisions() {
    }

    /** Runs {@code then} with the outcome, on the route's thread; returns whether that happened synchronously. */
    public static <T> boolean await(Exchange exchange, CompletableFuture<T> decision, AsyncCallback callback,
                             Outcome<T> then) {
        if (decision.isDone()) {
            complete(exchange, decision, then);
            callback.done(true);
            return true;
        }
        ChannelHandlerContext ctx = exchange.getMessage().getHeader(NettyConstants.NETTY_CHANNEL_HANDLER_CONTEXT,
                ChannelHandlerContext.class);
        decision.whenComplete((value, error) -> {
            Runnable resume = () -> {
                complete(exchange, decision, then);
                callback.done(false);
            };
            if (ctx == null || ctx.executor().inEventLoop()) {
                resume.run();
            } else {
                ctx.executor().execute(resume);
            }
        });
        return false;
    }

    private static <T> void complete(Exchange exchange, CompletableFuture<T> decision, Outcome<T> then) {
        T value = null;
        Throwable error = null;
        try {
            value = decision.join();
        } catch (RuntimeException e) {
            error = e;
        }
        try {
            then.accept(value, error);
        } catch (Exception e) {
            exchange.setException(e);
        }
    }

    /** What the route does with a decision (or the back end's failure); may throw to fail the exchange. */
    @FunctionalInterface
    public interface Outcome<T> {
        void accept(T value, Throwable error) throws Exception;
    }
}
