package org.cameltaas.component.support;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * The one o200k tokenizer of the process, for estimates (count_tokens, tokens-per-minute limits): its vocabulary is
 * large, so it loads once, on first use.
 */
public final class Tokenizer {

    private Tokenizer() {
    }

    private static final class Holder {
        static final Encoding O200K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    }

    /** Tokens of a text, as OpenAI's o200k vocabulary counts them (special tokens counted as text). */
    public static int count(String text) {
        return text == null || text.isEmpty() ? 0 : Holder.O200K.countTokensOrdinary(text);
    }
}
