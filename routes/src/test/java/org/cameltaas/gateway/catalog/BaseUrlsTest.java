package org.cameltaas.gateway.catalog;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Provider base URLs in either convention: the host root (Anthropic's SDKs) or with the version path (OpenAI's). */
class BaseUrlsTest {

    @Test
    void theHostRootGetsTheVersionPath() {
        assertEquals("https://api.anthropic.com/v1", BaseUrls.normalise("https://api.anthropic.com", "/v1"));
        assertEquals("http://127.0.0.1:8080/v1", BaseUrls.normalise("http://127.0.0.1:8080/", "/v1"));
        assertEquals("https://generativelanguage.googleapis.com/v1beta",
                BaseUrls.normalise("https://generativelanguage.googleapis.com", "/v1beta"));
    }

    @Test
    void aUrlWithAPathIsKept() {
        assertEquals("https://api.anthropic.com/v1", BaseUrls.normalise("https://api.anthropic.com/v1/", "/v1"));
        assertEquals("http://10.0.0.5:11434/v1", BaseUrls.normalise("http://10.0.0.5:11434/v1", "/v1"));
        assertEquals("https://my-azure.example/openai/v1", BaseUrls.normalise("https://my-azure.example/openai/v1", "/v1"));
    }
}
