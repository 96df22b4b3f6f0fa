package org.cameltaas.component;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameltaas.testkit.FakeUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Runs the component against a real fake upstream on loopback. */
abstract class TaasTestSupport extends CamelTestSupport {

    static final String API_KEY = "sk-test-secret-0123456789";
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

    /** A taas URI against the fake upstream, with the test API key and any extra options. */
    static String uri(String operation, String options) {
        return "taas:" + operation + "?baseUrl=" + upstream.baseUrl() + "/v1&apiKey=RAW(" + API_KEY + ")"
                + (options == null || options.isEmpty() ? "" : "&" + options);
    }

    Exchange call(String uri, Object body) {
        return template.request(uri, e -> e.getMessage().setBody(body));
    }

    Exchange call(String uri, Object body, Map<String, Object> headers) {
        return template.request(uri, e -> {
            e.getMessage().setBody(body);
            e.getMessage().getHeaders().putAll(headers);
        });
    }
}
