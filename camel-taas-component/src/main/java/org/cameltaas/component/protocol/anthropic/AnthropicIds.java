package org.cameltaas.component.protocol.anthropic;

import java.util.UUID;

/** Ids in Anthropic's style, derived from the chat reply's ids where it has them. */
final class AnthropicIds {

    private static final String CHAT_PREFIX = "chatcmpl-";

    private AnthropicIds() {
    }

    /** {@code chatcmpl-abc} becomes {@code msg_abc}; a reply without an id gets a fresh one. */
    static String messageId(String chatId) {
        if (chatId == null || chatId.isEmpty()) {
            return "msg_" + random();
        }
        return "msg_" + (chatId.startsWith(CHAT_PREFIX) ? chatId.substring(CHAT_PREFIX.length()) : chatId);
    }

    /**
     * The chat tool call id is kept as it is: the client sends it back in its {@code tool_result}, and the upstream
     * must recognise it then. Only a call the upstream left without an id gets a fresh one.
     */
    static String toolUseId(String callId) {
        return callId == null || callId.isEmpty() ? "toolu_" + random() : callId;
    }

    private static String random() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }
}
