package org.cameltaas.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.cameltaas.component.support.Json;
import org.cameltaas.gateway.GatewayHeaders;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** An access log line explains a failure: method, path (no query), status and error code; never a body. */
class AccessLogTest {

    @Test
    void aFailureLineCarriesMethodPathAndErrorCode() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(context);
            exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
            exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/v1/nope");
            exchange.getMessage().setHeader(Exchange.HTTP_QUERY, "key=secret-in-query");
            exchange.getMessage().setBody("{\"secret\":\"body\"}");
            exchange.setProperty(GatewayHeaders.REQUEST_ID, "r1");
            exchange.setProperty(GatewayHeaders.ERROR_CODE, "not_found");
            String line = AccessLog.line(exchange, 404);
            JsonNode json = Json.parse(line);
            assertEquals("POST", json.path("method").asText());
            assertEquals("/v1/nope", json.path("path").asText());
            assertEquals(404, json.path("status").asInt());
            assertEquals("not_found", json.path("error_code").asText());
            assertFalse(line.contains("secret"), line);
        }
    }
}
