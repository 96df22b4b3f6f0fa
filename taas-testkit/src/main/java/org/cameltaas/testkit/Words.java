package org.cameltaas.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Word-level splitting used both for fake token counts and for streaming deltas. */
final class Words {

    // leading whitespace stays with the word after it, so joining the pieces gives back the exact text
    private static final Pattern PIECE = Pattern.compile("\\s*\\S+|\\s+");
    private static final Pattern WORD = Pattern.compile("\\S+");

    private Words() {
    }

    /** "Echo: hello world" becomes "Echo:", " hello", " world". */
    static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        if (text == null) {
            return pieces;
        }
        Matcher m = PIECE.matcher(text);
        while (m.find()) {
            pieces.add(m.group());
        }
        return pieces;
    }

    static int count(String text) {
        if (text == null) {
            return 0;
        }
        int n = 0;
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** Splits a string into 2-3 pieces (fewer only if it is that short), as providers stream tool arguments. */
    static List<String> fewPieces(String text) {
        int parts = Math.min(3, Math.max(1, text.length()));
        List<String> pieces = new ArrayList<>(parts);
        int start = 0;
        for (int i = 1; i <= parts; i++) {
            int end = i == parts ? text.length() : text.length() * i / parts;
            pieces.add(text.substring(start, end));
            start = end;
        }
        return pieces;
    }
}
