package org.cameltaas.component.protocol.anthropic;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the pieces of text that chat needs as one string where Anthropic had several blocks. Blocks are
 * separate paragraphs to Anthropic, so they are joined with a separator rather than run together.
 */
final class TextJoiner {

    private final String separator;
    private final List<String> pieces = new ArrayList<>();

    TextJoiner(String separator) {
        this.separator = separator;
    }

    /** Null and empty pieces are left out, so they add no stray separators. */
    void add(String piece) {
        if (piece != null && !piece.isEmpty()) {
            pieces.add(piece);
        }
    }

    boolean isEmpty() {
        return pieces.isEmpty();
    }

    String text() {
        return String.join(separator, pieces);
    }
}
