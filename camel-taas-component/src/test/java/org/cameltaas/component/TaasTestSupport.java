package org.cameltaas.component;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameltaas.testkit.FakeUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Runs the component against a real fake upstream on loopback. Provider tests extend it too: they bind their provider
 * in {@link #bindToRegistry} and build their URIs with {@link #uri(String, String, String, String, String)}.
 */
public abstract class TaasTestSupport extends CamelTestSupport {

    // package-private on purpose: the provider supports declare their own key, without hiding this one
    static final String API_KEY = "sk-test-secret-0123456789";
    protected static FakeUpstream upstream;

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
        return uri(operation, null, "/v1", API_KEY, options);
    }

    /** A taas URI against the fake upstream: the provider (null for the default), its API path, key and options. */
    protected static String uri(String operation, String provider, String apiPath, String apiKey, String options) {
        return "taas:" + operation + "?" + (provider == null ? "" : "provider=" + provider + "&") + "baseUrl="
                + upstream.baseUrl() + apiPath + "&apiKey=RAW(" + apiKey + ")" + andOptions(options);
    }

    /** {@code &options}, or nothing when there are none. */
    protected static String andOptions(String options) {
        return options == null || options.isEmpty() ? "" : "&" + options;
    }

    /** Puts every taas endpoint of the context on the JDK HttpClient, for the tests that run once per client. */
    static CamelContext onJdkClient(CamelContext context) {
        context.getComponent("taas", TaasComponent.class).getConfiguration()
                .setUpstreamClient(TaasConfiguration.UpstreamClient.jdk);
        return context;
    }

    protected Exchange call(String uri, Object body) {
        return template.request(uri, e -> e.getMessage().setBody(body));
    }

    protected Exchange call(String uri, Object body, Map<String, Object> headers) {
        return template.request(uri, e -> {
            e.getMessage().setBody(body);
            e.getMessage().getHeaders().putAll(headers);
        });
    }
}
