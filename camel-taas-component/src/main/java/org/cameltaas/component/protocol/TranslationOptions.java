package org.cameltaas.component.protocol;

/**
 * Choices a translation needs from the endpoint.
 *
 * @param dropUnsupportedTools drop hosted tools (web_search, file_search, ...) that chat cannot express, instead of
 *                             refusing the request
 */
public record TranslationOptions(boolean dropUnsupportedTools) {

    public static final TranslationOptions DEFAULTS = new TranslationOptions(false);
}
