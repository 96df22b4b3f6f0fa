package org.cameltaas.component;

import java.net.http.HttpClient;

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
    private HttpClient httpClient;
    private UpstreamLimiter limiter;
    private ChatTranslation translation;
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
        boolean nativeSupport = provider.supports(operation)
                && !(configuration.isChatOnly() && getComponent().translation(operation) != null);
        if (!nativeSupport) {
            translation = provider.supports(TaasOperation.chatCompletions) ? getComponent().translation(operation) : null;
            if (translation == null) {
                throw new IllegalArgumentException("The " + provider.name() + " provider does not support " + operation);
            }
        }
        httpClient = getComponent().httpClient(configuration.getConnectTimeout());
        limiter = getComponent().limiter(baseUrl(), configuration.getMaxConcurrentRequests());
        if (configuration.isCircuitBreaker()) {
            String model = configuration.getModel();
            breaker = getComponent().circuitBreaker(baseUrl() + (model != null && !model.isBlank() ? " " + model : ""),
                    configuration);
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

    HttpClient httpClient() {
        return httpClient;
    }

    UpstreamLimiter limiter() {
        return limiter;
    }

    /** The deployment's circuit breaker, or null when breaking is off. */
    CircuitBreaker breaker() {
        return breaker;
    }

    /** How this endpoint's operation travels as chat completions, or null when the provider speaks it natively. */
    ChatTranslation translation() {
        return translation;
    }
}
