package org.cameltaas.component.protocol;

import java.util.function.Consumer;

import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.component.http.SseEvent;
import org.cameltaas.component.provider.StreamMapper;

/**
 * Two mappers in a row: the provider's (upstream events to OpenAI chat chunks) feeding a translation's (chat chunks to
 * the caller's protocol). Content, usage and model come from the provider's side, which sees the upstream.
 */
public final class ChainedStreamMapper implements StreamMapper {

    private final StreamMapper upstream;
    private final StreamMapper translation;

    public ChainedStreamMapper(StreamMapper upstream, StreamMapper translation) {
        this.upstream = upstream;
        this.translation = translation;
    }

    @Override
    public void map(SseEvent event, Consumer<SseEvent> out) throws TaasUpstreamException {
        try {
            upstream.map(event, chunk -> translate(chunk, out));
        } catch (Tunnel tunnel) {
            throw tunnel.failure;
        }
    }

    @Override
    public void onEnd(Consumer<SseEvent> out) throws TaasUpstreamException {
        try {
            upstream.onEnd(chunk -> translate(chunk, out));
        } catch (Tunnel tunnel) {
            throw tunnel.failure;
        }
        translation.onEnd(out);
    }

    private void translate(SseEvent chunk, Consumer<SseEvent> out) {
        try {
            translation.map(chunk, out);
        } catch (TaasUpstreamException e) {
            throw new Tunnel(e);
        }
    }

    @Override
    public boolean hasContent() {
        return upstream.hasContent();
    }

    @Override
    public boolean isFinished() {
        return upstream.isFinished();
    }

    @Override
    public TaasUsage usage() {
        return upstream.usage();
    }

    @Override
    public String model() {
        return upstream.model();
    }

    /** Carries a checked failure through the Consumer callback. */
    private static final class Tunnel extends RuntimeException {
        private final TaasUpstreamException failure;

        Tunnel(TaasUpstreamException failure) {
            super(null, null, false, false);
            this.failure = failure;
        }
    }
}
