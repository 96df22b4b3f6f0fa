package org.cameltaas.gateway.console;

import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.cameltaas.component.TaasStream;
import org.cameltaas.gateway.GatewayHeaders;
import org.cameltaas.gateway.auth.Principal;
import org.cameltaas.tenancy.DebugCapture;

/**
 * Hands a request's bodies to the debug capture when its project has capture on (the console turns it on, for a
 * while; off by default). The request as the gateway parsed it (JSON; other bodies are not kept), the reply as sent
 * when it is text (a stream's is not kept). Called by the usage recorder, once per answered request; a map look-up
 * when capture is off.
 */
public final class DebugBodies {

    private DebugBodies() {
    }

    public static void keep(Exchange exchange, DebugCapture capture) {
        if (capture == null) {
            return;
        }
        Principal principal = exchange.getProperty(GatewayHeaders.PRINCIPAL, Principal.class);
        if (principal == null || !capture.capturing(principal.project())) {
            return;
        }
        Object json = exchange.getProperty(GatewayHeaders.REQUEST_JSON);
        String request = json != null ? json.toString() : "(not a JSON body: not kept)";
        Message message = exchange.getMessage();
        Object body = message.getBody();
        String response = null;
        if (body instanceof byte[] bytes) {
            String type = String.valueOf(message.getHeader(Exchange.CONTENT_TYPE));
            response = type.contains("json") || type.startsWith("text/")
                    ? new String(bytes, 0, Math.min(bytes.length, DebugCapture.MAX_BODY_CHARS * 4), StandardCharsets.UTF_8)
                    : "(" + type + ", " + bytes.length + " bytes: not kept)";
        } else if (body instanceof TaasStream) {
            response = "(a stream: not kept)";
        }
        capture.keep(exchange.getProperty(GatewayHeaders.REQUEST_ID, String.class), principal.project(), request, response);
    }
}
