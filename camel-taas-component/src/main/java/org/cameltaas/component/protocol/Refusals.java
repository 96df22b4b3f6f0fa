package org.cameltaas.component.protocol;

/**
 * A request that cannot be translated fails before anything is sent, with an {@link IllegalArgumentException} whose
 * message starts with a machine-readable code and a colon ({@code "invalid_request: ..."}); the gateway answers 400
 * with that code. Shared by every translation so that the format the gateway parses lives in one place.
 */
public final class Refusals {

    /** The request is malformed in a way the upstream would also refuse (missing name, wrong type, ...). */
    public static final String INVALID_REQUEST = "invalid_request";
    /** Server-side tools run at the vendor that hosts them; a chat upstream cannot run them. */
    public static final String HOSTED_TOOL_NOT_SUPPORTED = "hosted_tool_not_supported";
    /** An Anthropic content block chat has no counterpart for. */
    public static final String UNSUPPORTED_CONTENT_BLOCK = "unsupported_content_block";
    /** Anthropic documents (PDF, plain text) have no chat content part every upstream accepts. */
    public static final String DOCUMENT_NOT_SUPPORTED = "document_not_supported";
    /** A Responses input item or content part chat cannot express. */
    public static final String ITEM_NOT_SUPPORTED = "item_not_supported";
    /** A Responses input file chat cannot carry. */
    public static final String FILE_NOT_SUPPORTED = "file_not_supported";

    private Refusals() {
    }

    public static IllegalArgumentException refuse(String code, String message) {
        return new IllegalArgumentException(code + ": " + message);
    }

    public static IllegalArgumentException refuse(String code, String message, Throwable cause) {
        return new IllegalArgumentException(code + ": " + message, cause);
    }
}
