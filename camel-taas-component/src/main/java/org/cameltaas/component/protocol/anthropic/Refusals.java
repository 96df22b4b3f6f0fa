package org.cameltaas.component.protocol.anthropic;

/**
 * Builds the refusals of this translation: an {@link IllegalArgumentException} whose message starts with a
 * machine-readable code and a colon, which the gateway turns into a 400 carrying that code.
 */
final class Refusals {

    /** The request is not a well-formed Anthropic request. */
    static final String INVALID_REQUEST = "invalid_request";
    /** A content block chat has no counterpart for. */
    static final String UNSUPPORTED_CONTENT_BLOCK = "unsupported_content_block";
    /** Documents (PDF, plain text) have no chat content part every upstream accepts. */
    static final String DOCUMENT_NOT_SUPPORTED = "document_not_supported";
    /** Anthropic server tools run at Anthropic; a chat upstream cannot run them. */
    static final String HOSTED_TOOL_NOT_SUPPORTED = "hosted_tool_not_supported";

    private Refusals() {
    }

    static IllegalArgumentException refuse(String code, String detail) {
        return new IllegalArgumentException(code + ": " + detail);
    }
}
