package org.cameltaas.component;

import java.util.EnumMap;
import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.camel.AsyncEndpoint;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.cameltaas.component.http.UpstreamHttp;
import org.cameltaas.component.http.UpstreamLimiter;
import org.cameltaas.component.protocol.ChatTranslation;
import org.cameltaas.component.provider.TaasProvider;

/**
 * Call an LLM provider's inference API (chat, responses, messages, embeddings, rerank, audio, images) asynchronously,
 * streamed or not, with typed, fallback-ready failures.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "taas", title = "TaaS", syntax = "taas:operation", producerOnly = true,
             category = { Category.AI }, headersClass = TaasConstants.class)
public class TaasEndpoint extends DefaultEndpoint implements AsyncEndpoint {

    @UriPath(description = "The inference operation to call")
    @Metadata(required = true)
    private final TaasOperation operation;
    @UriParam
    private TaasConfiguration configuration;

    private TaasProvider provider;
    private UpstreamHttp upstreamHttp;
    private UpstreamHttp.Connecting connecting;
    private UpstreamLimiter limiter;
    private final Map<TaasOperation, Route> routes = new EnumMap<>(TaasOperation.class);
    private CircuitBreaker breaker;

    public TaasEndpoint(String uri, TaasComponent component, TaasOperation operation, TaasConfiguration configuration) {
        super(uri, component);
        this.operation = operation;
        this.configuration = configuration;
    }

    @Override
    public TaasComponent getComponent() {
        return (TaasComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new TaasProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("The taas component only sends requests (producer only)");
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        provider = getComponent().provider(configuration.getProvider());
        for (TaasOperation each : TaasOperation.values()) {
            Route route = resolve(each);
            if (route != null) {
                routes.put(each, route);
            }
        }
        route(operation); // an endpoint for an operation its provider cannot serve is a configuration error
        upstreamHttp = getComponent().upstreamHttp(configuration.getUpstreamClient(), baseUrl());
        SSLContextParameters tls = configuration.getSslContextParameters();
        connecting = new UpstreamHttp.Connecting(configuration.getConnectTimeout(),
                tls != null ? tls.createSSLContext(getCamelContext()) : null);
        limiter = getComponent().limiter(baseUrl(), configuration.getMaxConcurrentRequests());
        if (configuration.isCircuitBreaker()) {
            String deployment = configuration.getDeployment();
            String model = configuration.getModel();
            String key = deployment != null && !deployment.isBlank() ? deployment
                    : baseUrl() + (model != null && !model.isBlank() ? " " + model : "");
            breaker = getComponent().circuitBreaker(key, configuration);
        }
    }

    /** The configured base URL, else the provider's public one. */
    public String baseUrl() {
        String baseUrl = configuration.getBaseUrl();
        return baseUrl != null && !baseUrl.isBlank() ? baseUrl : provider.defaultBaseUrl();
    }

    public TaasOperation getOperation() {
        return operation;
    }

    public TaasConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(TaasConfiguration configuration) {
        this.configuration = configuration;
    }

    TaasProvider provider() {
        return provider;
    }

    UpstreamHttp upstreamHttp() {
        return upstreamHttp;
    }

    UpstreamHttp.Connecting connecting() {
        return connecting;
    }

    UpstreamLimiter limiter() {
        return limiter;
    }

    /** The deployment's circuit breaker, or null when breaking is off. */
    CircuitBreaker breaker() {
        return breaker;
    }

    /**
     * How an operation reaches this endpoint's provider: natively ({@code translation} null) or as chat completions.
     * The {@code CamelTaasOperation} header may pick any operation; one the provider cannot serve fails the call.
     */
    record Route(TaasOperation operation, ChatTranslation translation, boolean estimate) {
        Route(TaasOperation operation, ChatTranslation translation) {
            this(operation, translation, false);
        }
    }

    Route route(TaasOperation requested) {
        Route route = routes.get(requested);
        if (route == null) {
            throw new IllegalArgumentException("unsupported_operation: The " + provider.name() + " provider does not support "
                    + requested);
        }
        return route;
    }

    private Route resolve(TaasOperation candidate) {
        ChatTranslation translation = getComponent().translation(candidate);
        if (provider.supports(candidate) && !(configuration.isChatOnly() && translation != null)) {
            return new Route(candidate, null);
        }
        if (candidate == TaasOperation.messagesCountTokens) {
            return new Route(candidate, null, true); // answered in process: an estimate
        }
        return provider.supports(TaasOperation.chatCompletions) && translation != null ? new Route(candidate, translation) : null;
    }
}
