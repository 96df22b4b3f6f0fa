package org.cameltaas.gateway.metrics;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.cameltaas.gateway.GatewayHeaders;
import org.cameltaas.gateway.auth.Principal;
import org.cameltaas.gateway.error.GatewayException;

/**
 * Who may read {@code /metrics}: anyone by default, so a Prometheus scraper needs no secret on a private network;
 * with {@code TAAS_METRICS_AUTH=admin} an admin token (a scraper's bearer token), since the metrics name every
 * deployment and model the gateway serves.
 */
public final class MetricsAccess implements Processor {

    private final Processor authenticate;

    private MetricsAccess(Processor authenticate) {
        this.authenticate = authenticate;
    }

    public static Processor fromEnv(Map<String, String> env, Processor authenticate) {
        String mode = env.getOrDefault("TAAS_METRICS_AUTH", "none").trim();
        if (mode.equalsIgnoreCase("admin")) {
            return new MetricsAccess(authenticate);
        }
        if (mode.isEmpty() || mode.equalsIgnoreCase("none")) {
            return exchange -> { };
        }
        throw new IllegalArgumentException("TAAS_METRICS_AUTH must be none or admin, not " + mode);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        authenticate.process(exchange);
        Principal principal = exchange.getProperty(GatewayHeaders.PRINCIPAL, Principal.class);
        if (principal == null || !principal.admin()) {
            throw new GatewayException(403, "permission_error", "insufficient_permissions", null,
                    "/metrics takes an admin token (TAAS_METRICS_AUTH=admin).");
        }
    }
}
