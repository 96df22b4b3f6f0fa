package org.cameltaas.gateway.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.cameltaas.component.support.Json;
import org.cameltaas.gateway.GatewayHeaders;
import org.cameltaas.gateway.error.GatewayException;

/**
 * The models the YAML routes declare: every route made from the {@code model} or {@code alias} route template,
 * and every route of the operator's own whose id is {@code model-<name>} (its group, if any, is the owner).
 * Read from the live route model, so a reloaded route file changes the catalog at once.
 */
public class ModelCatalog {

    /** A declared model: its public id and who serves it. */
    public record Entry(String id, String ownedBy) {
    }

    /** The declared ids as of one set of route definitions: every request asks, routes rarely change. */
    private record Snapshot(List<RouteDefinition> definitions, Set<String> ids) {

        boolean matches(List<RouteDefinition> current) {
            if (current.size() != definitions.size()) {
                return false;
            }
            for (int i = 0; i < definitions.size(); i++) {
                if (current.get(i) != definitions.get(i)) {
                    return false; // a reload replaces definitions with new objects
                }
            }
            return true;
        }
    }

    private final long created = System.currentTimeMillis() / 1000;
    private volatile Model model;
    private volatile Snapshot snapshot = new Snapshot(List.of(), Set.of());

    public List<Entry> entries(CamelContext camelContext) {
        return entries(model(camelContext).getRouteDefinitions());
    }

    /** The entries the caller may see: registered deployments' models only for their project and the master key. */
    private List<Entry> entries(Exchange exchange) {
        List<Entry> all = entries(exchange.getContext());
        org.cameltaas.gateway.connector.RegisteredDeployments registered = exchange.getContext().getRegistry()
                .lookupByNameAndType(org.cameltaas.gateway.connector.GatewayConnectors.REGISTERED,
                        org.cameltaas.gateway.connector.RegisteredDeployments.class);
        if (registered == null) {
            return all;
        }
        org.cameltaas.gateway.auth.Principal principal = exchange.getProperty(GatewayHeaders.PRINCIPAL,
                org.cameltaas.gateway.auth.Principal.class);
        return all.stream().filter(e -> registered.visible(principal, e.id())).toList();
    }

    private static List<Entry> entries(List<RouteDefinition> definitions) {
        List<Entry> entries = new ArrayList<>();
        for (RouteDefinition route : definitions) {
            String id = route.getRouteId();
            if (id == null) {
                continue;
            }
            Map<String, Object> parameters = route.getTemplateParameters();
            if (route.isCreatedFromTemplate() && parameters != null && parameters.get("name") instanceof String name) {
                if ("false".equals(String.valueOf(parameters.get("listed")))) {
                    continue; // an internal deployment, served only through a deployments route
                }
                if (id.startsWith("model-") || id.startsWith("alias-")) {
                    Object owner = parameters.getOrDefault("ownedBy", parameters.getOrDefault("provider", "camel-taas"));
                    entries.add(new Entry(name, String.valueOf(owner)));
                }
            } else if (id.startsWith("model-")) {
                // a model that is a route of the operator's own (consuming from direct:model-<name>)
                entries.add(new Entry(id.substring("model-".length()), route.getGroup() != null ? route.getGroup() : "custom"));
            }
        }
        return entries;
    }

    /** Whether the model the client asked for is declared. */
    public boolean has(Exchange exchange) {
        String name = exchange.getProperty(GatewayHeaders.MODEL, String.class);
        return name != null && ids(exchange.getContext()).contains(name);
    }

    private Set<String> ids(CamelContext camelContext) {
        List<RouteDefinition> definitions = model(camelContext).getRouteDefinitions();
        Snapshot current = snapshot;
        if (!current.matches(definitions)) {
            List<RouteDefinition> copy = List.copyOf(definitions);
            current = new Snapshot(copy, entries(copy).stream().map(Entry::id).collect(Collectors.toUnmodifiableSet()));
            snapshot = current;
        }
        return current.ids();
    }

    private Model model(CamelContext camelContext) {
        Model current = model;
        if (current == null) {
            // a plugin lookup walks every plugin: once is enough
            current = camelContext.getCamelContextExtension().getContextPlugin(Model.class);
            model = current;
        }
        return current;
    }

    /** {@code GET /v1/models}: Anthropic's list shape for an Anthropic client (it sends anthropic-version), else OpenAI's. */
    public ObjectNode list(Exchange exchange) {
        return anthropicClient(exchange) ? anthropicList(exchange) : openAiList(exchange);
    }

    /** The OpenAI list shape. */
    public ObjectNode openAiList(Exchange exchange) {
        ObjectNode root = Json.object();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (Entry e : entries(exchange)) {
            data.add(openAiModel(e));
        }
        return root;
    }

    /** Anthropic's list shape: {@code type}, {@code display_name}, {@code created_at}, one page. */
    public ObjectNode anthropicList(Exchange exchange) {
        ObjectNode root = Json.object();
        ArrayNode data = root.putArray("data");
        List<Entry> entries = entries(exchange);
        entries.forEach(e -> data.add(anthropicModel(e)));
        root.put("has_more", false);
        root.put("first_id", entries.isEmpty() ? null : entries.get(0).id());
        root.put("last_id", entries.isEmpty() ? null : entries.get(entries.size() - 1).id());
        return root;
    }

    /** {@code GET /v1/models/{id}}, in the caller's shape; 404 for a model the catalog does not declare. */
    public ObjectNode one(Exchange exchange) {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        String id = path.substring("/v1/models/".length());
        boolean anthropic = anthropicClient(exchange);
        if (anthropic) {
            exchange.setProperty(GatewayHeaders.STYLE, "anthropic"); // errors in Anthropic's envelope too
        }
        for (Entry e : entries(exchange)) {
            if (e.id().equals(id)) {
                return anthropic ? anthropicModel(e) : openAiModel(e);
            }
        }
        throw new GatewayException(404, "invalid_request_error", "model_not_found", "model",
                "The model '" + id + "' does not exist here; see GET /v1/models");
    }

    private static boolean anthropicClient(Exchange exchange) {
        return exchange.getMessage().getHeader("anthropic-version") != null;
    }

    private ObjectNode openAiModel(Entry e) {
        ObjectNode m = Json.object();
        m.put("id", e.id());
        m.put("object", "model");
        m.put("created", created);
        m.put("owned_by", e.ownedBy());
        return m;
    }

    private ObjectNode anthropicModel(Entry e) {
        ObjectNode m = Json.object();
        m.put("type", "model");
        m.put("id", e.id());
        m.put("display_name", e.id());
        m.put("created_at", Instant.ofEpochSecond(created).toString());
        return m;
    }

    /** {@code GET /v1beta/models}: Gemini's listing shape. */
    public ObjectNode geminiList(Exchange exchange) {
        ObjectNode root = Json.object();
        ArrayNode models = root.putArray("models");
        for (Entry e : entries(exchange)) {
            ObjectNode m = models.addObject();
            m.put("name", "models/" + e.id());
            m.put("displayName", e.id());
            m.put("description", "served by " + e.ownedBy() + " through camel-taas");
            ArrayNode methods = m.putArray("supportedGenerationMethods");
            methods.add("generateContent");
            methods.add("streamGenerateContent");
        }
        return root;
    }
}
