package org.cameltaas.gateway.http;

import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.cameltaas.component.support.Json;
import org.cameltaas.gateway.GatewayHeaders;
import org.cameltaas.gateway.auth.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request on the {@code taas.access} logger: ids (the token's id, never the token), models,
 * status and time to the reply's first byte. Streams end later; their totals belong to the metrics.
 */
public final class AccessLog {

    private static final Logger LOG = LoggerFactory.getLogger("taas.access");

    private AccessLog() {
    }

    public static void record(Exchange exchange, int status) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        ObjectNode line = Json.object();
        line.put("request_id", exchange.getProperty(GatewayHeaders.REQUEST_ID, String.class));
        putIfPresent(line, "client_request_id", exchange.getProperty(GatewayHeaders.CLIENT_REQUEST_ID, String.class));
        putIfPresent(line, "session_id", exchange.getProperty(GatewayHeaders.SESSION_ID, String.class));
        Principal principal = exchange.getProperty(GatewayHeaders.PRINCIPAL, Principal.class);
        if (principal != null) {
            line.put("token_id", principal.tokenId());
            line.put("team", principal.team());
            line.put("project", principal.project());
        }
        putIfPresent(line, "operation", exchange.getProperty(GatewayHeaders.OPERATION, String.class));
        putIfPresent(line, "model", exchange.getProperty(GatewayHeaders.MODEL, String.class));
        putIfPresent(line, "model_used", exchange.getProperty(GatewayHeaders.MODEL_USED, String.class));
        Integer depth = exchange.getProperty(GatewayHeaders.FALLBACK_DEPTH, Integer.class);
        if (depth != null) {
            line.put("fallback_from", exchange.getProperty(GatewayHeaders.FALLBACK_FROM, String.class));
            line.put("fallback_depth", depth);
        }
        line.put("status", status);
        Long started = exchange.getProperty(GatewayHeaders.STARTED_NANOS, Long.class);
        if (started != null) {
            line.put("ms", TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - started) / 1000.0);
        }
        LOG.info(Json.text(line));
    }

    private static void putIfPresent(ObjectNode line, String field, String value) {
        if (value != null) {
            line.put(field, value);
        }
    }
}
