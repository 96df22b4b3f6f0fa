package org.cameltaas.component.provider.anthropic;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameltaas.component.support.Json;
import org.cameltaas.testkit.FakeUpstream;
import org.cameltaas.testkit.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Runs the anthropic provider, bound as a registry bean, against the fake upstream's Anthropic routes. */
abstract class AnthropicTestSupport extends CamelTestSupport {

    static final String API_KEY = "sk-ant-test-0123456789";
    static final String MODEL = "claude-x";
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
        registry.bind(AnthropicProvider.NAME, new AnthropicProvider());
    }

    /** A taas URI for the anthropic provider against the fake upstream, with extra options if any. */
    static String uri(String operation, String options) {
        return "taas:" + operation + "?provider=anthropic&baseUrl=" + upstream.baseUrl() + "/v1&apiKey=RAW(" + API_KEY
                + ")" + (options == null || options.isEmpty() ? "" : "&" + options);
    }

    /** chatCompletions with the test model. */
    static String chatUri(String options) {
        return uri("chatCompletions", "model=" + MODEL + (options == null || options.isEmpty() ? "" : "&" + options));
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

    /** The body the fake upstream received last, read with the component's mapper (exact decimals). */
    static JsonNode sentBody() throws Exception {
        RecordedRequest sent = upstream.lastRequest();
        return Json.parse(sent.body());
    }

    /** Single quotes for double ones, so request bodies in tests stay readable. */
    static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    static JsonNode parse(String singleQuoted) throws Exception {
        return Json.parse(json(singleQuoted));
    }
}
