package org.cameltaas.component.protocol;

import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.component.TaasUpstreamException.Failure;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.component.UpstreamError;
import org.cameltaas.component.UpstreamFailures;
import org.cameltaas.component.http.SseEvent;
import org.cameltaas.component.provider.StreamMapper;
import org.cameltaas.component.support.Json;

/**
 * The part every protocol's stream mapper shares: each event's JSON is parsed once (a malformed event is a
 * failure, not something to pass on), and content, terminator, usage and model are tracked.
 */
public abstract class ProtocolStreamMapper implements StreamMapper {

    protected final String provider;
    protected boolean content;
    protected boolean finished;
    protected TaasUsage usage = TaasUsage.NONE;
    protected String model;

    protected ProtocolStreamMapper(String provider) {
        this.provider = provider;
    }

    @Override
    public final void map(SseEvent event, Consumer<SseEvent> out) throws TaasUpstreamException {
        if (event.isDone()) {
            finished = true;
            onDone(event, out);
            return;
        }
        JsonNode json;
        try {
            json = event.json();
        } catch (Exception e) {
            String data = event.data();
            throw UpstreamFailures.streamBroken(provider, Failure.MALFORMED,
                    "sent an event that is not JSON: " + (data.length() > 200 ? data.substring(0, 200) + "..." : data),
                    e, content, null);
        }
        handle(event, json, out);
    }

    /** OpenAI's {@code [DONE]}; protocols without it ignore it. */
    protected void onDone(SseEvent event, Consumer<SseEvent> out) {
        out.accept(event);
    }

    protected abstract void handle(SseEvent event, JsonNode json, Consumer<SseEvent> out) throws TaasUpstreamException;

    protected TaasUpstreamException error(UpstreamError error) {
        return UpstreamFailures.streamError(provider, error, ErrorBodies.isRetryableKind(error), content, null);
    }

    /**
     * What every mapper reading OpenAI {@code chat.completion.chunk} events does first with a chunk: an error chunk
     * (an upstream failing after its 200) fails the stream, the first model named is kept, and a usage object is
     * read for metering.
     *
     * @return whether the chunk carried a usage object
     */
    protected boolean readChatChunk(SseEvent event, JsonNode json) throws TaasUpstreamException {
        JsonNode error = json.get("error");
        if (error != null && !error.isNull()) {
            throw error(ErrorBodies.fromJson(json, event.data()));
        }
        if (model == null) {
            model = Json.textOf(json, "model");
        }
        JsonNode usageNode = json.get("usage");
        if (usageNode == null || !usageNode.isObject()) {
            return false;
        }
        usage = Usages.of(usageNode);
        return true;
    }

    /** The event's type: its {@code type} field, else the SSE event name, else empty (Anthropic and Responses). */
    protected static String typeOf(SseEvent event, JsonNode json) {
        String type = Json.textOf(json, "type");
        if (type == null) {
            type = event.event();
        }
        return type == null ? "" : type;
    }

    @Override
    public boolean hasContent() {
        return content;
    }

    @Override
    public boolean isFinished() {
        return finished;
    }

    @Override
    public TaasUsage usage() {
        return usage;
    }

    @Override
    public String model() {
        return model;
    }
}
