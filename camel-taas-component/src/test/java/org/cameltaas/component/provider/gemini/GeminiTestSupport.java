package org.cameltaas.component.provider.gemini;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameltaas.testkit.FakeUpstream;
import org.cameltaas.testkit.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Runs the component with the gemini provider bound as a bean, against the fake upstream's Gemini endpoints. */
abstract class GeminiTestSupport extends CamelTestSupport {

    static final String API_KEY = "gk-test-secret-0123456789";
    static final String MODEL = "gemini-x";
    static FakeUpstream upstream;

    @BeforeAll
    static void startUpstream() {
        upstream = FakeUpstream.start();
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @BeforeEach
    void resetUpstream() {
        upstream.reset();
    }

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        registry.bind("gemini", new GeminiProvider());
    }

    /** A taas URI for the gemini provider against the fake upstream, with the test key and model. */
    static String uri(String operation, String options) {
        return "taas:" + operation + "?provider=gemini&baseUrl=" + upstream.baseUrl() + "/v1beta&apiKey=RAW(" + API_KEY
                + ")&model=" + MODEL + (options == null || options.isEmpty() ? "" : "&" + options);
    }

    Exchange call(String uri, Object body) {
        return template.request(uri, e -> e.getMessage().setBody(body));
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
