package org.cameltaas.gateway.resilience;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.cameltaas.component.TaasComponent;
import org.cameltaas.component.support.Json;
import org.cameltaas.gateway.GatewayHeaders;
import org.cameltaas.gateway.auth.Principal;

/**
 * {@code GET /v1/deployments}: each deployment's state as the gateway sees it. An admin token sees every deployment
 * with its last error and circuit breakers; any other token only the deployments it may use, without error detail
 * (which can name upstream hosts and exception types).
 */
public class DeploymentHealth {

    private final DeploymentStats stats;

    public DeploymentHealth(DeploymentStats stats) {
        this.stats = stats;
    }

    public ObjectNode report(Exchange exchange) {
        Principal principal = exchange.getProperty(GatewayHeaders.PRINCIPAL, Principal.class);
        boolean full = principal != null && principal.admin();
        ObjectNode root = Json.object();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (Map.Entry<String, DeploymentStats.Deployment> e : new TreeMap<>(stats.all()).entrySet()) {
            if (!full && (principal == null || !principal.mayUse(e.getKey()))) {
                continue;
            }
            DeploymentStats.Deployment d = e.getValue();
            ObjectNode item = data.addObject();
            item.put("id", e.getKey());
            item.put("state", d.failing() ? "failing" : "healthy");
            item.put("in_flight", d.inFlight());
            if (d.latencyMillis() >= 0) {
                item.put("latency_ms", Math.round(d.latencyMillis() * 10) / 10.0);
            }
            item.put("successes", d.successes());
            item.put("failures", d.failures());
            if (full && d.lastError() != null) {
                item.put("last_error", d.lastError());
                item.put("last_error_at", Instant.ofEpochMilli(d.lastErrorAt()).toString());
            }
        }
        // registered deployments and their connectors (docs/connectors.md)
        var registered = exchange.getContext().getRegistry().lookupByNameAndType(
                org.cameltaas.gateway.connector.GatewayConnectors.REGISTERED, org.cameltaas.gateway.connector.RegisteredDeployments.class);
        var connectors = exchange.getContext().getRegistry().lookupByNameAndType("connectorRegistry",
                org.cameltaas.gateway.connector.ConnectorRegistry.class);
        if (registered != null && connectors != null) {
            root.set("registered", registered.report(principal, connectors));
        }
        // the component's circuit breakers, one per deployment
        ArrayNode breakers = root.putArray("circuit_breakers");
        TaasComponent taas = exchange.getContext().getComponent("taas", TaasComponent.class);
        taas.circuitBreakerStates().forEach((upstream, state) -> {
            if (!full && (principal == null || !principal.mayUse(upstream))) {
                return;
            }
            ObjectNode b = breakers.addObject();
            b.put("upstream", upstream);
            b.put("state", state.toLowerCase());
        });
        return root;
    }
}
