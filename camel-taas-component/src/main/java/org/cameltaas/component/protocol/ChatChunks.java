package org.cameltaas.component.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.http.SseEvent;
import org.cameltaas.component.support.Json;

/** Writes OpenAI {@code chat.completion.chunk} events, for providers that translate their own stream into them. */
public final class ChatChunks {

    private ChatChunks() {
    }

    /** The fields every chunk of one completion repeats; a fresh object per chunk, to which the chunk adds its own. */
    public static ObjectNode envelope(String id, long created, String model) {
        ObjectNode chunk = Json.object();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", model);
        return chunk;
    }

    /** The usage chunk a caller asks for with {@code stream_options.include_usage}: no choices, only the usage. */
    public static SseEvent usageChunk(ObjectNode envelope, ObjectNode usage) {
        envelope.putArray("choices");
        envelope.set("usage", usage);
        return SseEvent.of(null, envelope);
    }
}
