package org.cameltaas.component;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;

import org.cameltaas.component.TaasUpstreamException.Failure;
import org.cameltaas.component.http.SseEvent;
import org.cameltaas.component.http.StreamDecoder;
import org.cameltaas.component.provider.StreamMapper;

/**
 * A streamed reply: a {@link Flow.Publisher} of server-sent events in the OpenAI shape of the operation, for one
 * subscriber. It reads the upstream only as fast as the subscriber requests (back-pressure reaches the upstream's
 * TCP window), holds no thread, and cancelling the subscription closes the upstream connection.
 * <p>
 * The producer completes its exchange only when the first content event has arrived, so a failure before that
 * is an ordinary exchange exception (and fallback stays possible); a failure after that ends this stream with
 * {@code onError} carrying a {@link TaasUpstreamException}. {@link #completion()} tells how it ended, with usage.
 */
public final class TaasStream implements Flow.Publisher<SseEvent> {

    /** How a stream ended. {@code error} is null on success; {@code cancelled} when the subscriber cancelled. */
    public record Result(TaasUsage usage, String model, Throwable error, boolean cancelled) {
    }

    /** The producer's side: told when the stream commits, fails before committing, and ends for good. */
    interface Listener {
        void committed();

        void failedBeforeCommit(TaasUpstreamException failure);

        void ended();

        void upstreamActivity(boolean waiting);
    }

    /** Events kept while waiting for content before committing anyway; a prelude is a handful of events. */
    private static final int MAX_PRELUDE_EVENTS = 256;

    private final StreamMapper mapper;
    private final String provider;
    private final String requestId;
    private final Listener listener;
    private final StreamDecoder parser;
    private final CompletableFuture<Result> completion = new CompletableFuture<>();
    private final AtomicInteger wip = new AtomicInteger();

    // guarded by this
    private final ArrayDeque<SseEvent> queue = new ArrayDeque<>();
    private Flow.Subscription upstream;
    private Flow.Subscriber<? super SseEvent> downstream;
    private long demand;
    private boolean upstreamPending;
    private boolean upstreamDone;
    private TaasUpstreamException failure;
    private boolean committed;
    private boolean terminated;

    TaasStream(StreamMapper mapper, StreamDecoder decoder, String provider, String requestId, Listener listener) {
        this.mapper = mapper;
        this.parser = decoder;
        this.provider = provider;
        this.requestId = requestId;
        this.listener = listener;
    }

    /** Completes when the stream ends: finished, failed or cancelled. Never completes exceptionally. */
    public CompletableFuture<Result> completion() {
        return completion;
    }

    /** Usage seen so far (final once {@link #completion()} is done). */
    public synchronized TaasUsage usage() {
        return mapper.usage();
    }

    /** The model the upstream reports, once its first event named it. */
    public synchronized String model() {
        return mapper.model();
    }

    public String provider() {
        return provider;
    }

    public String upstreamRequestId() {
        return requestId;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super SseEvent> subscriber) {
        boolean accepted;
        synchronized (this) {
            accepted = downstream == null;
            if (accepted) {
                downstream = subscriber;
            }
        }
        if (!accepted) {
            subscriber.onSubscribe(new Flow.Subscription() {
                public void request(long n) {
                }

                public void cancel() {
                }
            });
            subscriber.onError(new IllegalStateException("a TaasStream has one subscriber only"));
            return;
        }
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                if (n <= 0) {
                    fail(new TaasNonRetryableException("request(" + n + ") violates the Flow contract", null,
                            Failure.IO, provider, 0, null, null, requestId));
                    return;
                }
                synchronized (TaasStream.this) {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                }
                drain();
            }

            @Override
            public void cancel() {
                cancelByDownstream();
            }
        });
        drain();
    }

    /**
     * The subscriber the HTTP client feeds the 2xx body into. Its body future completes at once: the stream's own
     * signals, not the HTTP client's future, carry the outcome.
     */
    HttpResponse.BodySubscriber<Void> bodySubscriber() {
        return new HttpResponse.BodySubscriber<>() {
            @Override
            public CompletionStage<Void> getBody() {
                return CompletableFuture.completedStage(null);
            }

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                boolean late;
                synchronized (TaasStream.this) {
                    late = terminated;
                    upstream = subscription;
                }
                if (late) {
                    subscription.cancel();
                    return;
                }
                drain();
            }

            @Override
            public void onNext(List<ByteBuffer> buffers) {
                onUpstreamBytes(buffers);
            }

            @Override
            public void onError(Throwable throwable) {
                onUpstreamError(throwable);
            }

            @Override
            public void onComplete() {
                onUpstreamComplete();
            }
        };
    }

    /** Ends the stream with a failure (time-outs, protocol violations); the upstream is cancelled. */
    void fail(TaasUpstreamException error) {
        synchronized (this) {
            if (terminated || failure != null) {
                return;
            }
            if (error.getFailure() == Failure.FIRST_TOKEN_TIMEOUT && mapper.hasContent()) {
                return; // the first content won the race against the timer
            }
            failure = error;
            queue.clear();
        }
        cancelUpstream();
        afterUpstreamSignal();
    }

    synchronized boolean isCommitted() {
        return committed;
    }

    private void onUpstreamBytes(List<ByteBuffer> buffers) {
        TaasUpstreamException error = null;
        synchronized (this) {
            upstreamPending = false;
            if (terminated || failure != null) {
                return;
            }
            try {
                for (ByteBuffer buffer : buffers) {
                    parser.feed(buffer, this::mapEvent);
                }
            } catch (MappingFailure e) {
                error = e.failure;
                failure = error;
            }
        }
        listener.upstreamActivity(false);
        if (error != null) {
            cancelUpstream();
        }
        afterUpstreamSignal();
    }

    private void onUpstreamError(Throwable throwable) {
        synchronized (this) {
            upstreamPending = false;
            if (terminated || failure != null) {
                return;
            }
            // the JDK client reports a body cut short (EOF, reset) as an error
            failure = UpstreamFailures.streamBroken(provider, Failure.STREAM_CUT, "broke off mid-stream: " + throwable,
                    throwable, mapper.hasContent(), requestId);
        }
        afterUpstreamSignal();
    }

    private void onUpstreamComplete() {
        synchronized (this) {
            upstreamPending = false;
            if (terminated || failure != null) {
                return;
            }
            try {
                parser.finish(this::mapEvent);
                mapper.onEnd(queue::add);
            } catch (TaasUpstreamException e) {
                failure = e;
            } catch (MappingFailure e) {
                failure = e.failure;
            }
            if (failure == null && !mapper.isFinished()) {
                failure = UpstreamFailures.streamBroken(provider, Failure.STREAM_CUT,
                        "ended before its terminator (connection closed mid-stream)", null, mapper.hasContent(), requestId);
            }
            upstreamDone = true;
        }
        afterUpstreamSignal();
    }

    // under the lock: the mapper is not thread-safe and the queue is shared
    private void mapEvent(SseEvent event) {
        try {
            mapper.map(event, queue::add);
        } catch (TaasUpstreamException e) {
            throw new MappingFailure(e);
        }
    }

    /** Decides whether this signal commits the stream or fails the exchange, then drains. */
    private void afterUpstreamSignal() {
        boolean commitNow = false;
        TaasUpstreamException failBeforeCommit = null;
        synchronized (this) {
            if (!committed && !terminated) {
                if (failure != null && !mapper.hasContent()) {
                    failBeforeCommit = failure;
                    terminated = true;
                    queue.clear();
                } else if (failure != null || mapper.hasContent() || upstreamDone || queue.size() >= MAX_PRELUDE_EVENTS) {
                    // content arrived (perhaps in the same buffer as a failure): deliver it, then the failure
                    committed = true;
                    commitNow = true;
                }
            }
        }
        if (failBeforeCommit != null) {
            cancelUpstream();
            completion.complete(new Result(mapper.usage(), mapper.model(), failBeforeCommit, false));
            listener.failedBeforeCommit(failBeforeCommit);
            listener.ended();
            return;
        }
        if (commitNow) {
            listener.committed();
        }
        drain();
    }

    private void cancelByDownstream() {
        synchronized (this) {
            if (terminated) {
                return;
            }
            terminated = true;
            queue.clear();
        }
        cancelUpstream();
        completion.complete(new Result(mapper.usage(), mapper.model(), null, true));
        listener.ended();
    }

    private void cancelUpstream() {
        Flow.Subscription subscription;
        synchronized (this) {
            subscription = upstream;
        }
        if (subscription != null) {
            subscription.cancel();
        }
    }

    /** Moves events to the subscriber as demand allows and asks the upstream for more when needed. */
    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            while (true) {
                SseEvent next = null;
                boolean complete = false;
                Throwable error = null;
                Flow.Subscription requestFrom = null;
                Flow.Subscriber<? super SseEvent> subscriber;
                synchronized (this) {
                    subscriber = downstream;
                    if (completion.isDone() || terminated && !committed) {
                        break; // cancelled, failed before commit, or already signalled
                    }
                    if (subscriber != null && demand > 0 && !queue.isEmpty()) {
                        next = queue.poll();
                        demand--;
                    } else if (subscriber != null && queue.isEmpty() && committed && (upstreamDone || failure != null)) {
                        terminated = true;
                        complete = failure == null;
                        error = failure;
                    } else if (upstream != null && !upstreamPending && !upstreamDone && failure == null
                            && (!committed || subscriber != null && demand > 0 && queue.isEmpty())) {
                        upstreamPending = true;
                        requestFrom = upstream;
                    } else {
                        break;
                    }
                }
                if (next != null) {
                    subscriber.onNext(next);
                } else if (complete || error != null) {
                    completion.complete(new Result(mapper.usage(), mapper.model(), error, false));
                    listener.ended();
                    if (complete) {
                        subscriber.onComplete();
                    } else {
                        subscriber.onError(error);
                    }
                    break;
                } else if (requestFrom != null) {
                    listener.upstreamActivity(true);
                    requestFrom.request(1);
                    break;
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    /** Carries a mapper's failure out of the parser's callback. */
    private static final class MappingFailure extends RuntimeException {
        private final TaasUpstreamException failure;

        MappingFailure(TaasUpstreamException failure) {
            super(null, null, false, false);
            this.failure = failure;
        }
    }
}
