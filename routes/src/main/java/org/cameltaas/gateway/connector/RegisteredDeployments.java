package org.cameltaas.gateway.connector;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.cameltaas.gateway.auth.Principal;
import org.cameltaas.tenancy.Deployment;
import org.cameltaas.tenancy.JdbcDeployments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registered deployments as models of the gateway: each model of a deployment becomes a route of the catalog's
 * {@code model} template (so {@code GET /v1/models}, translations, {@code deployments} routes and fallback treat it
 * like any other model) with the base URL {@code connector://<deployment id>}, asked through the OpenAI chat API
 * only (Responses and Messages are translated). Read from the store at start, after each admin change on this
 * replica, and every few seconds for the others'. Only the owning project's tokens and the master key may use them.
 */
public final class RegisteredDeployments {

    private static final Logger LOG = LoggerFactory.getLogger(RegisteredDeployments.class);
    private static final String MASTER_TOKEN_ID = "admin";

    private final JdbcDeployments store;
    /** model name to owning project, for the models whose routes are up. */
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    /** The deployments whose routes are up, by id. */
    private final Map<String, Deployment> served = new ConcurrentHashMap<>();
    private volatile CamelContext camelContext;

    public RegisteredDeployments(JdbcDeployments store) {
        this.store = store;
    }

    void started(CamelContext context) {
        this.camelContext = context;
        sync();
    }

    /** Adds the routes of deployments not served yet (deployments are never deleted). */
    public synchronized void sync() {
        CamelContext context = camelContext;
        if (context == null) {
            return;
        }
        List<Deployment> all;
        try {
            all = store.all();
        } catch (RuntimeException e) {
            LOG.warn("cannot read registered deployments (the store may be down): {}", e.toString());
            return;
        }
        for (Deployment deployment : all) {
            served.putIfAbsent(deployment.id(), deployment);
            for (String model : deployment.models()) {
                if (owners.containsKey(model)) {
                    continue;
                }
                String routeId = "model-" + model;
                if (context.getRoute(routeId) != null) {
                    LOG.warn("deployment {} names the model {}, which the routes already declare: not served through it",
                            deployment.name(), model);
                    owners.put(model, deployment.projectId());
                    continue;
                }
                Map<String, Object> parameters = new HashMap<>();
                parameters.put("name", model);
                parameters.put("baseUrl", ConnectorUpstreamHttp.baseUrl(deployment.id()));
                parameters.put("ownedBy", deployment.name());
                parameters.put("chatOnly", "true");
                try {
                    context.addRouteFromTemplate(routeId, "model", parameters);
                    owners.put(model, deployment.projectId());
                    LOG.info("registered deployment {}: model {} served through its connectors", deployment.name(), model);
                } catch (Exception e) {
                    LOG.warn("cannot add the route of model {} of deployment {}: {}", model, deployment.name(), e.toString());
                }
            }
        }
    }

    /**
     * {@code GET /v1/deployments}' {@code connectors}: each registered deployment the caller may use (its project's
     * tokens, the master key), online or not, with its connectors.
     */
    public com.fasterxml.jackson.databind.node.ArrayNode report(Principal principal, ConnectorRegistry registry) {
        com.fasterxml.jackson.databind.node.ArrayNode list = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        new java.util.TreeMap<>(served).values().forEach(d -> {
            if (principal == null || !allowed(principal, d.projectId())) {
                return;
            }
            com.fasterxml.jackson.databind.node.ObjectNode item = list.addObject();
            item.put("id", d.id());
            item.put("name", d.name());
            com.fasterxml.jackson.databind.node.ArrayNode models = item.putArray("models");
            d.models().forEach(models::add);
            item.put("online", registry.isOnline(d.id()));
            item.set("connectors", registry.connectors(d.id()));
        });
        return list;
    }

    /** Whether the caller may use the model: any model that is not a registered deployment's, else owner or master. */
    public boolean mayUse(Principal principal, String model) {
        String owner = owners.get(model);
        return owner == null || principal == null || allowed(principal, owner);
    }

    /** Whether the model is listed for the caller by {@code GET /v1/models}. */
    public boolean visible(Principal principal, String model) {
        String owner = owners.get(model);
        return owner == null || (principal != null && allowed(principal, owner));
    }

    private static boolean allowed(Principal principal, String owner) {
        return owner.equals(principal.project()) || (principal.admin() && MASTER_TOKEN_ID.equals(principal.tokenId()));
    }
}
