package org.cameltaas.component.protocol.responses;

/**
 * How a response ended, from the chat {@code finish_reason}: a reply cut by the token limit or the content filter
 * is {@code incomplete}, with the reason; anything else is {@code completed}.
 *
 * @param status           the response status
 * @param incompleteReason {@code max_output_tokens} or {@code content_filter} when incomplete, else null
 */
record Outcome(String status, String incompleteReason) {

    static final Outcome IN_PROGRESS = new Outcome("in_progress", null);
    static final Outcome COMPLETED = new Outcome("completed", null);

    static Outcome of(String finishReason) {
        if ("length".equals(finishReason)) {
            return new Outcome("incomplete", "max_output_tokens");
        }
        if ("content_filter".equals(finishReason)) {
            return new Outcome("incomplete", "content_filter");
        }
        return COMPLETED;
    }

    /** The stream event that closes a response with this outcome. */
    String eventType() {
        return "response." + status;
    }
}
