package org.cameltaas.bench;

import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;

/**
 * The same request through {@code ProducerTemplate.asyncSend} to {@code taas:chatCompletions}. The endpoint is
 * resolved once, as a route's {@code to} would, so URI parsing is not counted per request.
 * <p>
 * {@code threadedAsyncMode} is the template's own choice: on (Camel's default) every asyncSend is handed to the
 * template's thread pool first; off, the producer is called on the sending thread.
 */
final class CamelCaller implements ChatCaller {

    private final ProducerTemplate template;
    private final Endpoint endpoint;
    private final String name;

    /** @param extraOptions more endpoint options ("&amp;a=b"), or "" */
    CamelCaller(CamelContext context, String upstreamBaseUrl, boolean threadedAsyncMode, String extraOptions,
                String name) throws Exception {
        template = context.createProducerTemplate();
        template.setThreadedAsyncMode(threadedAsyncMode);
        template.start();
        endpoint = context.getEndpoint(ChatRequest.taasUri(upstreamBaseUrl, false) + extraOptions);
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<Boolean> call() {
        return template.asyncSend(endpoint, exchange -> exchange.getMessage().setBody(ChatRequest.BODY))
                .thenApply(exchange -> exchange.getException() == null
                        && exchange.getMessage().getBody() instanceof JsonNode);
    }

    void stop() {
        template.stop();
    }
}
