package org.cameltaas.component.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.spi.Registry;
import org.cameltaas.component.TaasTestSupport;
import org.cameltaas.component.support.Json;
import org.cameltaas.testkit.RecordedRequest;

/** Runs the anthropic provider, bound as a registry bean, against the fake upstream's Anthropic routes. */
abstract class AnthropicTestSupport extends TaasTestSupport {

    static final String API_KEY = "sk-ant-test-0123456789";
    static final String MODEL = "claude-x";

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        registry.bind(AnthropicProvider.NAME, new AnthropicProvider());
    }

    /** A taas URI for the anthropic provider against the fake upstream, with extra options if any. */
    static String uri(String operation, String options) {
        return uri(operation, AnthropicProvider.NAME, "/v1", API_KEY, options);
    }

    /** chatCompletions with the test model. */
    static String chatUri(String options) {
        return uri("chatCompletions", "model=" + MODEL + andOptions(options));
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
