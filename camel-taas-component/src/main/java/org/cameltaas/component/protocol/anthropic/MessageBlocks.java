package org.cameltaas.component.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;

/** The Anthropic content blocks a chat reply can turn into, shared by the whole reply and the stream. */
final class MessageBlocks {

    private MessageBlocks() {
    }

    static ObjectNode text(String text) {
        return Json.object().put("type", "text").put("text", text);
    }

    /**
     * A thinking block always carries a signature, empty when the upstream gave none: Anthropic's SDKs treat it as
     * a required field.
     */
    static ObjectNode thinking(String thinking, String signature) {
        return Json.object().put("type", "thinking").put("thinking", thinking)
                .put("signature", signature == null ? "" : signature);
    }

    static ObjectNode toolUse(String id, String name, JsonNode input) {
        ObjectNode block = Json.object().put("type", "tool_use").put("id", id).put("name", name);
        block.set("input", input);
        return block;
    }
}
