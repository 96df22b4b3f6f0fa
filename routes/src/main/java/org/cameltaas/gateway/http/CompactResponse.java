package org.cameltaas.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.cameltaas.component.support.Json;

/** {@code POST /v1/responses/compact}: a Responses reply reduced to {@code {"id","model","output_text","usage"}}. */
public class CompactResponse implements Processor {

    @Override
    public void process(Exchange exchange) {
        JsonNode response = exchange.getMessage().getBody(JsonNode.class);
        ObjectNode compact = Json.object();
        compact.set("id", response.get("id"));
        compact.set("model", response.get("model"));
        StringBuilder text = new StringBuilder();
        for (JsonNode item : response.path("output")) {
            for (JsonNode part : item.path("content")) {
                if ("output_text".equals(part.path("type").asText())) {
                    text.append(part.path("text").asText());
                }
            }
        }
        compact.put("output_text", text.toString());
        compact.set("usage", response.get("usage"));
        exchange.getMessage().setBody(compact);
    }
}
