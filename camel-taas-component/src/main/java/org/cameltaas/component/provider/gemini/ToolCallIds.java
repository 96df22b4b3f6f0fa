package org.cameltaas.component.provider.gemini;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Ids for tool calls. Gemini's function calls have none, but OpenAI clients must quote one in their tool result;
 * deriving it from the reply id and the call's position gives the same id in a streamed and a non-streamed
 * reading of the same reply.
 */
final class ToolCallIds {

    private ToolCallIds() {
    }

    static String of(String replyId, int candidate, int ordinal) {
        UUID uuid = UUID.nameUUIDFromBytes((replyId + "/" + candidate + "/" + ordinal).getBytes(StandardCharsets.UTF_8));
        return "call_" + uuid.toString().replace("-", "").substring(0, 24);
    }
}
