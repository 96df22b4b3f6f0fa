package org.cameltaas.component;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * Sends the exchange's request to the endpoint's upstream without blocking: the exchange continues on an HTTP
 * client thread once the reply (or, for a stream, its first content) has arrived.
 */
public class TaasProducer extends DefaultAsyncProducer {

    private final TaasEndpoint endpoint;
    private final TaasRequestReader reader;

    public TaasProducer(TaasEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.reader = new TaasRequestReader(endpoint.getOperation(), endpoint.getConfiguration());
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        UpstreamCall call;
        try {
            TaasRequest request = reader.read(exchange);
            call = new UpstreamCall(endpoint, request, exchange, callback);
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        call.start();
        return false;
    }
}
