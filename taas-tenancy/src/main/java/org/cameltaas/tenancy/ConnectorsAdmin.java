package org.cameltaas.tenancy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The admin calls of registered deployments and connector tokens (AdminApi routes them here). A team admin sees
 * the deployments of its own team's projects only; others answer 404. The live side (which connectors are online)
 * is the gateway's: it plugs in {@link LiveConnectors} and hears of changes through {@link #onChange}.
 */
public final class ConnectorsAdmin {

    /** The connectors of a deployment as the gateway sees them: {@code [{id, online, since, version, remote_address, streams}]}. */
    public interface LiveConnectors {
        ArrayNode connectors(String deploymentId);
    }

    static final Set<String> DEPLOYMENT_FIELDS = Set.of("name", "project_id", "models");
    static final Set<String> TOKEN_FIELDS = Set.of("name");

    private final JdbcDeployments store;
    private final Projects projects;
    private volatile LiveConnectors live = id -> JsonNodeFactory.instance.arrayNode();
    private volatile Runnable onChange = () -> { };

    ConnectorsAdmin(JdbcDeployments store, Projects projects) {
        this.store = store;
        this.projects = projects;
    }

    public void live(LiveConnectors connectors) {
        this.live = connectors;
    }

    /** Run after a deployment was created (the gateway adds its models' routes at once). */
    public void onChange(Runnable listener) {
        this.onChange = listener;
    }

    ObjectNode create(ObjectNode body, AdminScope scope) {
        String name = text(body, "name", true);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")) {
            throw TenancyException.invalid("name", "name must be 1 to 100 letters, digits, '.', '_', ':' or '-', starting with a letter or digit");
        }
        String projectId = text(body, "project_id", true);
        Project project = projects.find(projectId).filter(p -> scope.sees(p.teamId()))
                .orElseThrow(() -> TenancyException.notFound("project", projectId));
        JsonNode value = body.get("models");
        List<String> models;
        if (value == null || value.isNull()) {
            models = List.of(name); // the deployment's name is its model, as in "gemma-tunnel"
        } else {
            if (!value.isArray() || value.isEmpty() || value.size() > 64) {
                throw TenancyException.invalid("models", "models must be a list of 1 to 64 model names");
            }
            Set<String> names = new LinkedHashSet<>();
            for (JsonNode model : value) {
                if (!model.isTextual() || !model.asText().matches("[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}") || model.asText().contains("..")) {
                    throw TenancyException.invalid("models", "every model must be a name of 1 to 200 letters, digits, '.', '_', ':', '/' or '-'");
                }
                names.add(model.asText());
            }
            models = new ArrayList<>(names);
        }
        Deployment deployment = store.create(name, project.id(), models);
        onChange.run();
        return deployment(deployment, false);
    }

    ObjectNode list(AdminScope scope) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (Deployment d : store.all()) {
            if (visible(d, scope)) {
                data.add(deployment(d, true));
            }
        }
        root.put("has_more", false);
        return root;
    }

    ObjectNode get(String id, AdminScope scope) {
        return deployment(visibleDeployment(id, scope), true);
    }

    ObjectNode issueToken(String deploymentId, ObjectNode body, AdminScope scope) {
        Deployment deployment = visibleDeployment(deploymentId, scope);
        String name = body.has("name") && !body.get("name").isNull() ? text(body, "name", false) : null;
        if (name != null && (name.length() > 200 || name.chars().anyMatch(Character::isISOControl))) {
            throw TenancyException.invalid("name", "name must be at most 200 characters, without control characters");
        }
        ConnectorToken.Issued issued = store.issueToken(deployment.id(), name);
        ObjectNode node = token(issued.token());
        node.put("token", issued.secret());
        return node;
    }

    ObjectNode revoke(String tokenId, ObjectNode ignoredEmptyBody, AdminScope scope) {
        ConnectorToken token = store.token(tokenId)
                .filter(t -> store.find(t.deploymentId()).map(d -> visible(d, scope)).orElse(false))
                .orElseThrow(() -> TenancyException.notFound("connector_token", tokenId));
        ConnectorToken revoked = store.revokeToken(token.id());
        onChange.run();
        return token(revoked);
    }

    private Deployment visibleDeployment(String id, AdminScope scope) {
        return store.find(id).filter(d -> visible(d, scope)).orElseThrow(() -> TenancyException.notFound("deployment", id));
    }

    private boolean visible(Deployment deployment, AdminScope scope) {
        return scope.global() || projects.find(deployment.projectId()).map(p -> scope.sees(p.teamId())).orElse(false);
    }

    private ObjectNode deployment(Deployment d, boolean withConnectors) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", d.id());
        node.put("object", "deployment");
        node.put("name", d.name());
        node.put("project_id", d.projectId());
        ArrayNode models = node.putArray("models");
        d.models().forEach(models::add);
        node.put("created_at", d.createdAt().getEpochSecond());
        if (withConnectors) {
            ArrayNode connectors = live.connectors(d.id());
            node.put("online", false);
            for (JsonNode c : connectors) {
                if (c.path("online").asBoolean()) {
                    node.put("online", true);
                }
            }
            node.set("connectors", connectors);
            ArrayNode tokens = node.putArray("connector_tokens");
            store.tokens(d.id()).forEach(t -> tokens.add(token(t)));
        }
        return node;
    }

    private static ObjectNode token(ConnectorToken t) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", t.id());
        node.put("object", "connector_token");
        node.put("deployment_id", t.deploymentId());
        node.put("name", t.name());
        node.put("prefix", t.prefix());
        node.put("created_at", t.createdAt().getEpochSecond());
        if (t.revokedAt() != null) {
            node.put("revoked_at", t.revokedAt().getEpochSecond());
        } else {
            node.putNull("revoked_at");
        }
        return node;
    }

    private static String text(ObjectNode body, String field, boolean required) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new TenancyException(422, "missing_required_parameter", field, field + " is required");
            }
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw TenancyException.invalid(field, field + " must be a non-empty string");
        }
        return value.asText().strip();
    }

}
