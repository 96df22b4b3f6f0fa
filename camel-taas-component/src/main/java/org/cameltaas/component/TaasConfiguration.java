package org.cameltaas.component;

import java.util.HashMap;
import java.util.Map;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.spi.UriParams;

/** The options of a taas endpoint; set on the component, they are the defaults of every endpoint. */
@UriParams
public class TaasConfiguration implements Cloneable {

    @UriParam(defaultValue = "openai",
              description = "The kind of upstream: openai (any OpenAI-compatible server), anthropic (the Messages API), gemini "
                            + "(the Gemini API), or the name of a TaasProvider bean.")
    private String provider = "openai";
    @UriParam(description = "Base URL of the upstream API, including its version path (e.g. https://api.openai.com/v1). "
                            + "Defaults to the provider's public endpoint.")
    private String baseUrl;
    @UriParam(label = "security", secret = true,
              description = "API key sent to the upstream. Never logged, and redacted from upstream error bodies.")
    private String apiKey;
    @UriParam(label = "security",
              description = "TLS settings for the upstream (a trust store for a private CA, a client certificate, protocols). "
                            + "Unset: the JVM's default trust store. Host names are always verified.")
    private SSLContextParameters sslContextParameters;
    @UriParam(description = "Model to call; overrides the body's model field (the CamelTaasModel header overrides both).")
    private String model;
    @UriParam(javaType = "java.lang.Boolean",
              description = "Stream the answer as server-sent events (chatCompletions, responses, messages). Unset: the body's "
                            + "stream field decides.")
    private Boolean stream;
    @UriParam(defaultValue = "true",
              description = "On streamed chat completions, ask the upstream for its usage chunk so tokens can be metered; the "
                            + "chunk is hidden from the caller when the caller did not ask for it.")
    private boolean streamUsage = true;
    @UriParam(defaultValue = "1024",
              description = "max_tokens added when a plain-text prompt is sent to the messages operation, which requires it.")
    private int maxTokens = 1024;
    @UriParam(defaultValue = "0",
              description = "The model's maximum output tokens: a request asking for more (max_tokens, max_completion_tokens, "
                            + "max_output_tokens) is clamped to it before it goes upstream, translated or not, since the "
                            + "upstream would refuse it. 0: no limit known.")
    private int maxOutputTokens;
    @UriParam(defaultValue = "false",
              description = "Send responses and messages requests upstream as chat completions (translated both ways, streams "
                            + "included) even when the provider speaks them natively. Providers without them always translate.")
    private boolean chatOnly;
    @UriParam(defaultValue = "false",
              description = "When translating to chat completions, drop hosted tools chat cannot express (web_search, ...) "
                            + "instead of refusing the request.")
    private boolean dropUnsupportedTools;
    @UriParam(label = "advanced", defaultValue = "netty", enums = "netty,jdk",
              description = "The HTTP client that calls the upstream. netty: HTTP/1.1 with keep-alive; a call made for a "
                            + "request that came in through camel-netty-http runs on that request's event loop, with no "
                            + "thread hand-over (the fastest). jdk: the JDK HttpClient, HTTP/2 over TLS.")
    private UpstreamClient upstreamClient = UpstreamClient.netty;
    @UriParam(label = "timeout", defaultValue = "10000", javaType = "java.time.Duration",
              description = "Time to establish the upstream connection.")
    private long connectTimeout = 10000;
    @UriParam(label = "timeout", defaultValue = "120000", javaType = "java.time.Duration",
              description = "Time from sending the request to the reply's headers or, for a stream, to its first content "
                            + "event. 0 disables. Exceeding it is retryable: nothing has reached the caller yet.")
    private long firstTokenTimeout = 120000;
    @UriParam(label = "timeout", defaultValue = "60000", javaType = "java.time.Duration",
              description = "Longest silence allowed between chunks of a reply while the component waits for them. 0 disables.")
    private long idleTimeout = 60000;
    @UriParam(label = "timeout", defaultValue = "600000", javaType = "java.time.Duration",
              description = "Longest time the whole call, a stream included, may take. 0 disables.")
    private long totalTimeout = 600000;
    @UriParam(label = "advanced", defaultValue = "0",
              description = "Maximum requests in flight to this upstream (base URL), streams included; further requests "
                            + "wait, holding no thread, until one ends. 0 means no limit.")
    private int maxConcurrentRequests;
    @UriParam(defaultValue = "cohere", enums = "cohere,tei",
              description = "The rerank API of the upstream: cohere (Cohere, Jina and OpenAI-style services: query and "
                            + "documents) or tei (Hugging Face text-embeddings-inference: query and texts). Replies are "
                            + "normalised to {results:[{index, relevance_score}]} sorted by descending score.")
    private String rerankApi = "cohere";
    @UriParam(description = "Azure OpenAI's api-version (provider=azure), e.g. 2024-10-21: requests go to the deployment "
                            + "URLs, /deployments/<model>/...?api-version=...; without it, to Azure's v1 API (the base "
                            + "URL ending in /openai/v1).")
    private String apiVersion;
    @UriParam(label = "resilience", defaultValue = "false",
              description = "Break the circuit to this deployment (its deployment name, else base URL and model) when too many calls fail: while open, "
                            + "calls fail at once with a retryable CIRCUIT_OPEN failure so fallback moves on without waiting; "
                            + "after circuitBreakerOpenDuration a few probe calls decide whether it closes again.")
    private boolean circuitBreaker;
    @UriParam(label = "advanced",
              description = "The deployment's name (a gateway's catalog model): keys its circuit breaker, so two deployments on "
                            + "one base URL never share one. Empty: the base URL and model.")
    private String deployment;
    @UriParam(label = "resilience", defaultValue = "50",
              description = "Failure rate in percent (of the recent calls) that opens the circuit.")
    private int circuitBreakerFailureRate = 50;
    @UriParam(label = "resilience", defaultValue = "10",
              description = "Calls the breaker needs to see before it judges the failure rate.")
    private int circuitBreakerMinimumCalls = 10;
    @UriParam(label = "resilience", defaultValue = "30000", javaType = "java.time.Duration",
              description = "How long an open circuit stays open before probing.")
    private long circuitBreakerOpenDuration = 30000;
    @UriParam(label = "advanced", prefix = "upstreamHeader.", multiValue = true,
              description = "Extra HTTP headers sent upstream, e.g. upstreamHeader.OpenAI-Organization=org-1.")
    private Map<String, Object> upstreamHeaders = new HashMap<>();

    public String getProvider() {
        return provider;
    }

    public void setProvider(String provider) {
        this.provider = provider;
    }

    public String getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String getApiKey() {
        return apiKey;
    }

    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    public String getModel() {
        return model;
    }

    public void setModel(String model) {
        this.model = model;
    }

    public Boolean getStream() {
        return stream;
    }

    public void setStream(Boolean stream) {
        this.stream = stream;
    }

    public boolean isStreamUsage() {
        return streamUsage;
    }

    public void setStreamUsage(boolean streamUsage) {
        this.streamUsage = streamUsage;
    }

    public int getMaxTokens() {
        return maxTokens;
    }

    public void setMaxTokens(int maxTokens) {
        this.maxTokens = maxTokens;
    }

    public int getMaxOutputTokens() {
        return maxOutputTokens;
    }

    public void setMaxOutputTokens(int maxOutputTokens) {
        this.maxOutputTokens = maxOutputTokens;
    }

    public boolean isChatOnly() {
        return chatOnly;
    }

    public void setChatOnly(boolean chatOnly) {
        this.chatOnly = chatOnly;
    }

    public boolean isDropUnsupportedTools() {
        return dropUnsupportedTools;
    }

    public void setDropUnsupportedTools(boolean dropUnsupportedTools) {
        this.dropUnsupportedTools = dropUnsupportedTools;
    }

    /** The HTTP clients an endpoint can call its upstream with. */
    public enum UpstreamClient {
        netty,
        jdk
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public UpstreamClient getUpstreamClient() {
        return upstreamClient;
    }

    public void setUpstreamClient(UpstreamClient upstreamClient) {
        this.upstreamClient = upstreamClient;
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public long getFirstTokenTimeout() {
        return firstTokenTimeout;
    }

    public void setFirstTokenTimeout(long firstTokenTimeout) {
        this.firstTokenTimeout = firstTokenTimeout;
    }

    public long getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(long idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public long getTotalTimeout() {
        return totalTimeout;
    }

    public void setTotalTimeout(long totalTimeout) {
        this.totalTimeout = totalTimeout;
    }

    public int getMaxConcurrentRequests() {
        return maxConcurrentRequests;
    }

    public void setMaxConcurrentRequests(int maxConcurrentRequests) {
        this.maxConcurrentRequests = maxConcurrentRequests;
    }

    public String getApiVersion() {
        return apiVersion;
    }

    public void setApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }

    public String getRerankApi() {
        return rerankApi;
    }

    public void setRerankApi(String rerankApi) {
        this.rerankApi = rerankApi;
    }

    public String getDeployment() {
        return deployment;
    }

    public void setDeployment(String deployment) {
        this.deployment = deployment;
    }

    public boolean isCircuitBreaker() {
        return circuitBreaker;
    }

    public void setCircuitBreaker(boolean circuitBreaker) {
        this.circuitBreaker = circuitBreaker;
    }

    public int getCircuitBreakerFailureRate() {
        return circuitBreakerFailureRate;
    }

    public void setCircuitBreakerFailureRate(int circuitBreakerFailureRate) {
        this.circuitBreakerFailureRate = circuitBreakerFailureRate;
    }

    public int getCircuitBreakerMinimumCalls() {
        return circuitBreakerMinimumCalls;
    }

    public void setCircuitBreakerMinimumCalls(int circuitBreakerMinimumCalls) {
        this.circuitBreakerMinimumCalls = circuitBreakerMinimumCalls;
    }

    public long getCircuitBreakerOpenDuration() {
        return circuitBreakerOpenDuration;
    }

    public void setCircuitBreakerOpenDuration(long circuitBreakerOpenDuration) {
        this.circuitBreakerOpenDuration = circuitBreakerOpenDuration;
    }

    public Map<String, Object> getUpstreamHeaders() {
        return upstreamHeaders;
    }

    public void setUpstreamHeaders(Map<String, Object> upstreamHeaders) {
        this.upstreamHeaders = upstreamHeaders;
    }

    /** A copy for one endpoint, so endpoint options never change the component's defaults. */
    public TaasConfiguration copy() {
        try {
            TaasConfiguration copy = (TaasConfiguration) clone();
            copy.upstreamHeaders = new HashMap<>(upstreamHeaders);
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    @Override
    public String toString() {
        // the API key stays out of logs
        return "TaasConfiguration[provider=" + provider + ", baseUrl=" + baseUrl + ", model=" + model + "]";
    }
}
