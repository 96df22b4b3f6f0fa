package org.cameltaas.gateway.request;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.cameltaas.gateway.error.GatewayException;

/**
 * Each surface accepts one method; others answer 405 in the error envelope, with {@code Allow}. YAML:
 * {@code process: {ref: requirePost}} (or {@code requireGet}).
 */
public final class HttpMethods implements Processor {

    private final String method;

    private HttpMethods(String method) {
        this.method = method;
    }

    public static HttpMethods only(String method) {
        return new HttpMethods(method);
    }

    @Override
    public void process(Exchange exchange) {
        String actual = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        if (!method.equalsIgnoreCase(actual)) {
            exchange.getMessage().setHeader("Allow", method);
            throw new GatewayException(405, "invalid_request_error", "method_not_allowed", null,
                    actual + " is not allowed on " + exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class)
                    + ": use " + method);
        }
    }
}
