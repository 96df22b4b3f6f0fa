package org.cameltaas.component.protocol.responses;

/**
 * A Responses request that chat cannot express fails before anything is sent, with an
 * {@link IllegalArgumentException} whose message starts with a machine-readable code and a colon; the gateway
 * answers 400 with that code.
 */
final class Refusals {

    /** The request is malformed in a way the upstream would also refuse (missing name, wrong type, ...). */
    static final String INVALID_REQUEST = "invalid_request";
    static final String ITEM_NOT_SUPPORTED = "item_not_supported";
    static final String FILE_NOT_SUPPORTED = "file_not_supported";
    static final String HOSTED_TOOL_NOT_SUPPORTED = "hosted_tool_not_supported";

    private Refusals() {
    }

    static IllegalArgumentException refuse(String code, String message) {
        return new IllegalArgumentException(code + ": " + message);
    }
}
