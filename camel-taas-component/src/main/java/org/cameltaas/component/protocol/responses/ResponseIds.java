package org.cameltaas.component.protocol.responses;

import java.util.UUID;

/**
 * Ids in the Responses style, derived from the chat completion's id: the same chat reply, streamed or not, gives
 * the same response and item ids. Tool call ids are not made here: the chat ones are kept, since the client quotes
 * them back as {@code call_id} and the upstream must recognise them then.
 */
final class ResponseIds {

    private static final String CHAT_PREFIX = "chatcmpl-";

    private final String core;

    private ResponseIds(String core) {
        this.core = core;
    }

    /** {@code chatcmpl-abc} gives {@code resp_abc}; a completion without an id gets a fresh one. */
    static ResponseIds of(String chatId) {
        if (chatId == null || chatId.isEmpty()) {
            return new ResponseIds(random());
        }
        return new ResponseIds(chatId.startsWith(CHAT_PREFIX) ? chatId.substring(CHAT_PREFIX.length()) : chatId);
    }

    String response() {
        return "resp_" + core;
    }

    /** The id of the output item at {@code outputIndex}, e.g. {@code msg_abc_1}. */
    String item(String prefix, int outputIndex) {
        return prefix + core + "_" + outputIndex;
    }

    /** For an upstream tool call without an id: the client needs one to send its result back under. */
    String call(int outputIndex) {
        return "call_" + core + "_" + outputIndex;
    }

    private static String random() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }
}
