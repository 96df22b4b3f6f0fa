package org.cameltaas.component.provider.anthropic;

/**
 * A request that cannot be translated fails before anything is sent, with an {@link IllegalArgumentException}
 * whose message starts with a machine-readable code and a colon ({@code "invalid_tool_arguments: ..."}); the
 * gateway answers 400 with that code.
 */
final class Refusals {

    private Refusals() {
    }

    static IllegalArgumentException refuse(String code, String message) {
        return new IllegalArgumentException(code + ": " + message);
    }

    static IllegalArgumentException refuse(String code, String message, Throwable cause) {
        return new IllegalArgumentException(code + ": " + message, cause);
    }
}
