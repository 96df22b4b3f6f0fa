package org.cameltaas.component.support;

import java.util.regex.Pattern;

/**
 * Removes what looks like a credential from text that came from an upstream (error bodies, in-stream error events)
 * before it can reach a client, a log or a metric: an upstream that echoes the key it was sent ("Incorrect API key
 * provided: sk-...") must not hand it to the gateway's client. The configured key itself is redacted where it is
 * known; these shapes catch the rest.
 */
public final class Secrets {

    /** OpenAI/Anthropic ({@code sk-...}, {@code sk-ant-...}), Google ({@code AIza...}), gateway tokens, bearer values. */
    private static final Pattern KEY_LIKE = Pattern.compile(
            "(?i)\\b(?:sk|rk|pk)-[A-Za-z0-9_\\-]{8,}|\\bAIza[0-9A-Za-z_\\-]{20,}|\\btaas_[A-Za-z0-9_]{8,}"
            + "|(?<=bearer )[A-Za-z0-9._~+/\\-]{8,}=*|(?<=(?:api[_-]?key|token|secret|password)[\"']?\\s{0,3}[:=]\\s{0,3}[\"']?)"
            + "[A-Za-z0-9._~+/\\-]{8,}");

    private Secrets() {
    }

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return KEY_LIKE.matcher(text).replaceAll("***");
    }

    /** {@link #redact(String)}, plus every occurrence of a known key. */
    public static String redact(String text, String knownKey) {
        if (text != null && knownKey != null && knownKey.length() >= 4 && text.contains(knownKey)) {
            text = text.replace(knownKey, "***");
        }
        return redact(text);
    }
}
