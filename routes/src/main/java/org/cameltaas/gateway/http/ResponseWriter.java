package org.cameltaas.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.cameltaas.component.TaasStream;
import org.cameltaas.component.support.Json;
import org.cameltaas.component.TaasConstants;
import org.cameltaas.gateway.GatewayHeaders;
import org.cameltaas.gateway.credits.CreditCharge;
import org.cameltaas.gateway.limits.RateLimitLease;
import org.cameltaas.gateway.metrics.GatewayMetrics;

/**
 * The last step of every surface: JSON replies become bytes, streams and binary audio go as they are (the HTTP
 * binding streams a {@link TaasStream}), and only the gateway's own headers remain on the reply.
 */
public class ResponseWriter implements Processor {

    private final GatewayMetrics metrics;

    public ResponseWriter(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        if (body instanceof JsonNode json) {
            message.setBody(Json.bytes(json));
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        } else if (!(body instanceof TaasStream) && (message.getHeader(Exchange.CONTENT_TYPE) == null
                || message.getHeader(Exchange.CONTENT_TYPE).equals(exchange.getProperty(GatewayHeaders.CLIENT_CONTENT_TYPE)))) {
            // no type of the reply's own: not the client's request type either
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        }
        if (message.getHeader(Exchange.HTTP_RESPONSE_CODE) == null) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        }
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        metrics.recordReply(exchange, status);
        if (body instanceof TaasStream stream) {
            metrics.streamStarted(exchange, stream);
        }
        RateLimitLease.onReply(exchange, body);
        CreditCharge.onReply(exchange, body);
        exchange.setProperty(GatewayHeaders.UPSTREAM_MILLIS, message.getHeader(TaasConstants.UPSTREAM_MILLIS, Double.class));
        GatewayHeaders.copyToResponse(exchange);
        AccessLog.record(exchange, status);
    }
}
