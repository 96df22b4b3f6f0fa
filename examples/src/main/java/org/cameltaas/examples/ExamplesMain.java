package org.cameltaas.examples;

import org.apache.camel.main.Main;
import org.cameltaas.testkit.FakeUpstream;

/**
 * Runs the example routes once against an OpenAI-compatible upstream: {@code OPENAI_BASE_URL} (with its
 * {@code /v1}) and {@code OPENAI_API_KEY}, or, when no upstream is configured, the repository's fake upstream on
 * loopback so the examples run anywhere.
 */
public final class ExamplesMain {

    private ExamplesMain() {
    }

    public static void main(String[] args) throws Exception {
        String baseUrl = System.getenv("OPENAI_BASE_URL");
        FakeUpstream fake = null;
        if (baseUrl == null || baseUrl.isBlank()) {
            fake = FakeUpstream.start();
            baseUrl = fake.baseUrl() + "/v1";
            System.out.println("OPENAI_BASE_URL is not set: using the fake upstream at " + baseUrl);
        }
        String apiKey = System.getenv("OPENAI_API_KEY");
        Main main = new Main(ExamplesMain.class);
        main.addInitialProperty("taas.baseUrl", baseUrl);
        main.addInitialProperty("taas.apiKey", apiKey == null ? "" : apiKey);
        String chatModel = System.getenv("TAAS_CHAT_MODEL");
        if (chatModel != null && !chatModel.isBlank()) {
            main.addInitialProperty("taas.chatModel", chatModel);
        }
        try {
            main.run(args);
        } finally {
            if (fake != null) {
                fake.close();
            }
        }
    }
}
