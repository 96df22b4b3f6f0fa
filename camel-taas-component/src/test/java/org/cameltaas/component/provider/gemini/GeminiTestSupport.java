package org.cameltaas.component.provider.gemini;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.spi.Registry;
import org.cameltaas.component.TaasTestSupport;
import org.cameltaas.testkit.RecordedRequest;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Runs the component with the gemini provider bound as a bean, against the fake upstream's Gemini endpoints. */
abstract class GeminiTestSupport extends TaasTestSupport {

    static final String API_KEY = "gk-test-secret-0123456789";
    static final String MODEL = "gemini-x";

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        registry.bind(GeminiProvider.NAME, new GeminiProvider());
    }

    /** A taas URI for the gemini provider against the fake upstream, with the test key and model. */
    static String uri(String operation, String options) {
        return uri(operation, GeminiProvider.NAME, "/v1beta", API_KEY, "model=" + MODEL + andOptions(options));
    }

    static JsonNode bodyOf(Exchange exchange) {
        return exchange.getMessage().getBody(JsonNode.class);
    }

    /** The request the fake received for the last call. */
    static RecordedRequest received() throws InterruptedException {
        RecordedRequest request = upstream.takeRequest(Duration.ofSeconds(5));
        assertNotNull(request, "the fake upstream received no request");
        return request;
    }
}
