package org.cameltaas.bench;

import java.nio.charset.StandardCharsets;

/** The request every client sends, and the taas URI that sends it. */
final class ChatRequest {

    static final String MODEL = "fake-gpt";
    static final String API_KEY = "sk-bench-0123456789";
    /** A small, typical chat request; the component sends these bytes as they are (nothing to rewrite). */
    static final byte[] BODY = ("{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Say hello to the benchmark in a few words.\"}]}").getBytes(StandardCharsets.UTF_8);

    private ChatRequest() {
    }

    /** @param upstreamBaseUrl the fake upstream's "http://127.0.0.1:port", without /v1 */
    static String taasUri(String upstreamBaseUrl, boolean stream) {
        return "taas:chatCompletions?baseUrl=" + upstreamBaseUrl + "/v1&apiKey=RAW(" + API_KEY + ")&model=" + MODEL
                + (stream ? "&stream=true" : "");
    }
}
