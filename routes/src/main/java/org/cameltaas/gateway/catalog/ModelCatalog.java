package org.cameltaas.gateway.catalog;

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

    /** {@code GET /v1/models}: the OpenAI list shape. */
    public ObjectNode openAiList(Exchange exchange) {
        ObjectNode root = Json.object();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (Entry e : entries(exchange.getContext())) {
            ObjectNode m = data.addObject();
            m.put("id", e.id());
            m.put("object", "model");
            m.put("created", created);
            m.put("owned_by", e.ownedBy());
        }
        return root;
    }

    /** {@code GET /v1beta/models}: Gemini's listing shape. */
    public ObjectNode geminiList(Exchange exchange) {
        ObjectNode root = Json.object();
        ArrayNode models = root.putArray("models");
        for (Entry e : entries(exchange.getContext())) {
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
