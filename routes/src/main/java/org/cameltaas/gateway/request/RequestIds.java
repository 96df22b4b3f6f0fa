package org.cameltaas.gateway.request;

import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.cameltaas.gateway.GatewayHeaders;

/** Gives every request its {@code x-request-id} (a UUID) and keeps the client's {@code x-client-request-id} beside it. */
public class RequestIds implements Processor {

    @Override
    public void process(Exchange exchange) {
        exchange.setProperty(GatewayHeaders.STARTED_NANOS, System.nanoTime());
        exchange.setProperty(GatewayHeaders.REQUEST_ID, UUID.randomUUID().toString());
        String clientId = exchange.getMessage().getHeader("x-client-request-id", String.class);
        if (clientId != null && !clientId.isBlank()) {
            exchange.setProperty(GatewayHeaders.CLIENT_REQUEST_ID, clientId.length() > 200 ? clientId.substring(0, 200) : clientId);
        }
    }
}
