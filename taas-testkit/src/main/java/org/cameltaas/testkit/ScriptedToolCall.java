package org.cameltaas.testkit;

import java.util.List;
import java.util.Objects;

/** One tool call a {@link Script} asks the fake model to make. */
record ScriptedToolCall(String name, String argumentsJson) {

    ScriptedToolCall {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(argumentsJson, "argumentsJson");
    }

    /** The arguments string as it is streamed: 2-3 pieces. */
    List<String> argumentPieces() {
        return Words.fewPieces(argumentsJson);
    }
}
