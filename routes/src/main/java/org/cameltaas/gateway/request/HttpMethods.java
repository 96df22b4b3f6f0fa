package org.cameltaas.gateway.request;

import org.apache.camel.Exchange;
import org.cameltaas.gateway.error.GatewayException;

/** Each surface accepts one method; others answer 405 in the error envelope. YAML: {@code bean: {ref: httpMethod, method: post}}. */
public class HttpMethods {

    public void post(Exchange exchange) {
        require(exchange, "POST");
    }

    public void get(Exchange exchange) {
        require(exchange, "GET");
    }

    private static void require(Exchange exchange, String method) {
        String actual = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        if (!method.equalsIgnoreCase(actual)) {
            exchange.getMessage().setHeader("Allow", method);
            throw new GatewayException(405, "invalid_request_error", "method_not_allowed", null,
                    actual + " is not allowed on " + exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class)
                    + ": use " + method);
        }
    }
}
