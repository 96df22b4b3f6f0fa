package org.cameltaas.component;

import java.util.EnumMap;
import java.util.Map;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.support.DefaultAsyncProducer;
import org.cameltaas.component.protocol.ChatTranslation;
import org.cameltaas.component.protocol.TranslationOptions;

/**
 * Sends the exchange's request to the endpoint's upstream without blocking: the exchange continues on an HTTP
 * client thread once the reply (or, for a stream, its first content) has arrived.
 */
public class TaasProducer extends DefaultAsyncProducer {

    private final TaasEndpoint endpoint;
    private final Map<TaasOperation, TaasRequestReader> readers = new EnumMap<>(TaasOperation.class);

    public TaasProducer(TaasEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        for (TaasOperation operation : TaasOperation.values()) {
            readers.put(operation, new TaasRequestReader(operation, endpoint.getConfiguration()));
        }
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        UpstreamCall call;
        try {
            TaasEndpoint.Route route = endpoint.route(operation(exchange));
            TaasRequest request = readers.get(route.operation()).read(exchange);
            if (route.estimate()) {
                exchange.getMessage().setBody(TokenEstimate.messagesCount(request.json()));
                exchange.getMessage().setHeader(TaasConstants.PROVIDER, endpoint.provider().name());
                exchange.getMessage().setHeader(TaasConstants.TRANSLATED, true);
                callback.done(true);
                return true;
            }
            ChatTranslation translation = route.translation();
            exchange.getMessage().setHeader(TaasConstants.TRANSLATED, translation != null);
            call = translation == null
                    ? new UpstreamCall(endpoint, request, null, null, exchange, callback)
                    : new UpstreamCall(endpoint, viaChat(request, translation), translation, request.json(), exchange, callback);
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        call.start();
        return false;
    }

    /** The endpoint's operation, unless the {@code CamelTaasOperation} header names another. */
    private TaasOperation operation(Exchange exchange) {
        Object header = exchange.getMessage().getHeader(TaasConstants.OPERATION);
        if (header == null) {
            return endpoint.getOperation();
        }
        if (header instanceof TaasOperation operation) {
            return operation;
        }
        try {
            return TaasOperation.valueOf(header.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unsupported_operation: No such taas operation: " + header);
        }
    }

    /** The chat completions request that carries a Messages or Responses request upstream. */
    private TaasRequest viaChat(TaasRequest request, ChatTranslation translation) {
        ObjectNode chat = translation.toChatRequest(request.json(),
                new TranslationOptions(endpoint.getConfiguration().isDropUnsupportedTools()));
        if (request.model() != null) {
            chat.put("model", request.model());
        }
        if (request.stream()) {
            chat.put("stream", true);
            chat.putObject("stream_options").put("include_usage", true); // the translation needs the usage chunk
        }
        return TaasRequest.ofJson(TaasOperation.chatCompletions, request.model(), request.stream(), chat,
                request.upstreamHeaders()).clientHeaders(request.clientHeaders()).apiVersion(request.apiVersion());
    }
}
