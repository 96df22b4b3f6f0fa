package org.cameltaas.component.protocol.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.protocol.responses.ResponseEvents.Sink;
import org.cameltaas.component.support.Json;

/**
 * One output item while it is streamed: it announces itself ({@code response.output_item.added}), takes deltas,
 * and on closing sends its done events and hands back the finished item for {@code response.completed}.
 */
abstract class StreamedItem {

    protected final String id;
    protected final int outputIndex;

    protected StreamedItem(String id, int outputIndex) {
        this.id = id;
        this.outputIndex = outputIndex;
    }

    /** What this item carries; a delta of another kind closes it (e.g. {@code output_text}, {@code call:1}). */
    abstract String kind();

    abstract void open(Sink sink);

    abstract void append(String delta, Sink sink);

    /** Sends the done events and returns the finished item. */
    abstract ObjectNode close(Sink sink);

    protected void added(ObjectNode item, Sink sink) {
        ObjectNode payload = Json.object().put("output_index", outputIndex);
        payload.set("item", item);
        sink.emit("response.output_item.added", payload);
    }

    protected ObjectNode done(ObjectNode item, Sink sink) {
        ObjectNode payload = Json.object().put("output_index", outputIndex);
        payload.set("item", item.deepCopy()); // the caller keeps the item for the final response
        sink.emit("response.output_item.done", payload);
        return item;
    }

    /** The fields every event about this item starts with. */
    protected ObjectNode ref() {
        return Json.object().put("item_id", id).put("output_index", outputIndex);
    }
}
