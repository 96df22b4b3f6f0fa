package org.cameltaas.tenancy;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The admin API under {@code /admin/v1}: teams, projects, tokens, the ledger's requests and usage totals, and the
 * OpenAPI document that describes exactly these calls ({@code tenancy/openapi.json}). Free of HTTP and Camel: the
 * gateway hands it the method, the path below {@code /admin/v1}, the query and the body, and answers what it returns.
 * Refusals are {@link TenancyException}s: 400 unknown fields, 404 unknown ids (and other teams' objects, for a team
 * admin), 405 wrong method, 409 duplicate names, 422 invalid values.
 */
public final class AdminApi {

    /** An answer: the HTTP status and the JSON body. */
    public record Reply(int status, JsonNode body) {
    }

    /** The calls this API serves, path template to methods: the OpenAPI document lists exactly these. */
    public static final Map<String, Set<String>> CALLS = calls();

    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 100;
    private static final Duration MAX_GRACE = Duration.ofDays(30);

    private final Teams teams;
    private final Projects projects;
    private final Tokens tokens;
    private final TokenCache cache;
    private final UsageLedger ledger;
    private final Duration rotationGrace;
    private final JsonNode openApi;
    private final CreditsAdmin credits;
    private final UsageSeries series;
    private final DebugCapture debug;
    private volatile ConnectorsAdmin connectors;

    public AdminApi(Teams teams, Projects projects, Tokens tokens, TokenCache cache, UsageLedger ledger, Duration rotationGrace) {
        this(teams, projects, tokens, cache, ledger, rotationGrace, null, null, null);
    }

    AdminApi(Teams teams, Projects projects, Tokens tokens, TokenCache cache, UsageLedger ledger, Duration rotationGrace,
             CreditsAdmin credits, UsageSeries series, DebugCapture debug) {
        this.credits = credits;
        this.series = series;
        this.debug = debug;
        this.teams = teams;
        this.projects = projects;
        this.tokens = tokens;
        this.cache = cache;
        this.ledger = ledger;
        this.rotationGrace = rotationGrace;
        this.openApi = loadOpenApi();
    }

    private static Map<String, Set<String>> calls() {
        Map<String, Set<String>> calls = new LinkedHashMap<>();
        calls.put("/teams", Set.of("GET", "POST"));
        calls.put("/teams/{team_id}", Set.of("GET"));
        calls.put("/projects", Set.of("GET", "POST"));
        calls.put("/projects/{project_id}", Set.of("GET", "PATCH"));
        calls.put("/projects/{project_id}/credits", Set.of("POST"));
        calls.put("/projects/{project_id}/debug", Set.of("GET", "POST"));
        calls.put("/tokens", Set.of("GET", "POST"));
        calls.put("/tokens/{token_id}", Set.of("GET", "PATCH"));
        calls.put("/tokens/{token_id}/revoke", Set.of("POST"));
        calls.put("/tokens/{token_id}/rotate", Set.of("POST"));
        calls.put("/requests", Set.of("GET"));
        calls.put("/requests/{request_id}", Set.of("GET"));
        calls.put("/requests/{request_id}/bodies", Set.of("GET"));
        calls.put("/usage", Set.of("GET"));
        calls.put("/usage/series", Set.of("GET"));
        calls.put("/deployments", Set.of("GET", "POST"));
        calls.put("/deployments/{deployment_id}", Set.of("GET"));
        calls.put("/deployments/{deployment_id}/connector-tokens", Set.of("POST"));
        calls.put("/connector-tokens/{connector_token_id}/revoke", Set.of("POST"));
        calls.put("/openapi.json", Set.of("GET"));
        return Map.copyOf(calls);
    }

    /**
     * @param path  below {@code /admin/v1}, e.g. {@code /tokens/tok_123/revoke}
     * @param query the decoded query parameters
     * @param body  the request body (empty for none)
     */
    public Reply handle(String method, String path, Map<String, String> query, byte[] body, AdminScope scope) {
        String[] parts = path.replaceAll("^/+|/+$", "").split("/");
        String template = template(parts);
        Set<String> methods = CALLS.get(template);
        if (methods == null) {
            throw new TenancyException(404, "not_found", null, "No such admin call: " + method + " /admin/v1" + path);
        }
        if (!methods.contains(method)) {
            throw new TenancyException(405, "method_not_allowed", null,
                    "Use " + String.join(" or ", new java.util.TreeSet<>(methods)) + " for /admin/v1" + template);
        }
        String id = parts.length > 1 ? parts[1] : null;
        return switch (template) {
            case "/teams" -> method.equals("POST") ? createTeam(object(body, Set.of("name")), query, scope) : listTeams(query, scope);
            case "/teams/{team_id}" -> ok(team(visibleTeam(id, scope), query));
            case "/projects" -> method.equals("POST") ? createProject(object(body, Set.of("team_id", "name")), query, scope)
                    : listProjects(query, scope);
            case "/projects/{project_id}" -> method.equals("PATCH") ? patchProject(id, body, query, scope)
                    : ok(project(visibleProject(id, scope, query)));
            case "/projects/{project_id}/credits" -> ok(credits().topUp(visibleProject(id, scope, query),
                    object(body, CreditsAdmin.CREDITS_FIELDS)));
            case "/projects/{project_id}/debug" -> debugCapture(visibleProject(id, scope, query), method, body);
            case "/tokens" -> method.equals("POST")
                    ? createToken(object(body, Set.of("project_id", "name", "models", "expires_at", "role")), query, scope)
                    : listTokens(query, scope);
            case "/tokens/{token_id}" -> method.equals("PATCH") ? patchToken(id, body, query, scope)
                    : ok(token(visibleToken(id, scope, query)));
            case "/tokens/{token_id}/revoke" -> revoke(id, optionalObject(body, Set.of()), query, scope);
            case "/tokens/{token_id}/rotate" -> rotate(id, optionalObject(body, Set.of("grace_seconds")), query, scope);
            case "/requests" -> listRequests(query, scope);
            case "/requests/{request_id}" -> request(id, query, scope);
            case "/requests/{request_id}/bodies" -> bodies(id, query, scope);
            case "/usage" -> usage(query, scope);
            case "/usage/series" -> series(query, scope);
            case "/deployments" -> method.equals("POST")
                    ? created(connectors(query).create(object(body, ConnectorsAdmin.DEPLOYMENT_FIELDS), scope))
                    : ok(connectors(query).list(scope));
            case "/deployments/{deployment_id}" -> ok(connectors(query).get(id, scope));
            case "/deployments/{deployment_id}/connector-tokens" -> created(connectors(query).issueToken(id,
                    optionalObject(body, ConnectorsAdmin.TOKEN_FIELDS), scope));
            case "/connector-tokens/{connector_token_id}/revoke" -> ok(connectors(query).revoke(id, optionalObject(body, Set.of()), scope));
            case "/openapi.json" -> ok(openApi);
            default -> throw new IllegalStateException(template);
        };
    }

    // ------------------------------------------------------------------------- deployments and connectors

    void connectors(ConnectorsAdmin admin) {
        this.connectors = admin;
    }

    private ConnectorsAdmin connectors(Map<String, String> query) {
        noQuery(query); // none of these calls takes one
        return connectors();
    }

    private ConnectorsAdmin connectors() {
        if (connectors == null) {
            throw new TenancyException(404, "not_found", null, "Registered deployments are not set up on this gateway.");
        }
        return connectors;
    }

    // ------------------------------------------------------------------------- credits and limits (CreditsAdmin)

    private CreditsAdmin credits() {
        if (credits == null) {
            throw new TenancyException(404, "not_found", null, "Credits are not set up on this gateway.");
        }
        return credits;
    }

    private Reply patchProject(String id, byte[] body, Map<String, String> query, AdminScope scope) {
        ObjectNode fields = object(body, CreditsAdmin.PROJECT_FIELDS);
        credits().patchProject(visibleProject(id, scope, query), fields);
        return ok(project(projects.find(id).orElseThrow(() -> TenancyException.notFound("project", id))));
    }

    private Reply patchToken(String id, byte[] body, Map<String, String> query, AdminScope scope) {
        ObjectNode fields = object(body, CreditsAdmin.TOKEN_FIELDS);
        credits().patchToken(visibleToken(id, scope, query), fields, cache);
        return ok(token(tokens.find(id).orElseThrow(() -> TenancyException.notFound("token", id))));
    }

    private static String template(String[] parts) {
        String first = parts[0];
        if (parts.length == 1) {
            return "/" + first;
        }
        String param = switch (first) {
            case "teams" -> "team_id";
            case "projects" -> "project_id";
            case "tokens" -> "token_id";
            case "requests" -> "request_id";
            case "deployments" -> "deployment_id";
            case "connector-tokens" -> "connector_token_id";
            default -> null;
        };
        if (param == null || parts[1].isEmpty()) {
            return "/" + String.join("/", parts);
        }
        if (parts.length == 2) {
            return "/" + first + "/{" + param + "}";
        }
        return parts.length == 3 ? "/" + first + "/{" + param + "}/" + parts[2] : "/" + String.join("/", parts);
    }

    // ------------------------------------------------------------------------------------------------- teams

    private Reply createTeam(ObjectNode body, Map<String, String> query, AdminScope scope) {
        noQuery(query);
        if (!scope.global()) {
            throw new TenancyException(403, "insufficient_permissions", null, "Only the master key creates teams.");
        }
        return created(team(teams.create(name(body)), null));
    }

    private Reply listTeams(Map<String, String> query, AdminScope scope) {
        allowQuery(query, "limit", "after");
        int limit = limit(query);
        return ok(list(teams.list(scope.teamId(), query.get("after"), limit), t -> team(t, null), Team::id));
    }

    private Team visibleTeam(String id, AdminScope scope) {
        return teams.find(id).filter(t -> scope.sees(t.id())).orElseThrow(() -> TenancyException.notFound("team", id));
    }

    // ---------------------------------------------------------------------------------------------- projects

    private Reply createProject(ObjectNode body, Map<String, String> query, AdminScope scope) {
        noQuery(query);
        String teamId = requiredString(body, "team_id");
        String name = name(body);
        if (!scope.sees(teamId)) {
            throw TenancyException.notFound("team", teamId);
        }
        return created(project(projects.create(teamId, name)));
    }

    private Reply listProjects(Map<String, String> query, AdminScope scope) {
        allowQuery(query, "team_id", "limit", "after");
        int limit = limit(query);
        String teamId = scopedTeam(query.get("team_id"), scope);
        return ok(list(projects.list(teamId, query.get("after"), limit), this::project, Project::id));
    }

    private Project visibleProject(String id, AdminScope scope, Map<String, String> query) {
        noQuery(query);
        return projects.find(id).filter(p -> scope.sees(p.teamId())).orElseThrow(() -> TenancyException.notFound("project", id));
    }

    // ------------------------------------------------------------------------------------------------ tokens

    private Reply createToken(ObjectNode body, Map<String, String> query, AdminScope scope) {
        noQuery(query);
        String projectId = requiredString(body, "project_id");
        String name = name(body);
        List<String> models = models(body.get("models"));
        Instant expiresAt = expiresAt(body.get("expires_at"));
        String role = role(body.get("role"));
        Project project = projects.find(projectId).filter(p -> scope.sees(p.teamId()))
                .orElseThrow(() -> TenancyException.notFound("project", projectId));
        IssuedToken issued = tokens.create(project.id(), name, role, models, expiresAt);
        cache.refresh();
        return created(withSecret(issued));
    }

    private Reply listTokens(Map<String, String> query, AdminScope scope) {
        allowQuery(query, "project_id", "team_id", "limit", "after");
        int limit = limit(query);
        String teamId = scopedTeam(query.get("team_id"), scope);
        return ok(list(tokens.list(teamId, query.get("project_id"), query.get("after"), limit), this::token, Token::id));
    }

    private Token visibleToken(String id, AdminScope scope, Map<String, String> query) {
        noQuery(query);
        return tokens.find(id).filter(t -> scope.sees(t.teamId())).orElseThrow(() -> TenancyException.notFound("token", id));
    }

    private Reply revoke(String id, ObjectNode body, Map<String, String> query, AdminScope scope) {
        visibleToken(id, scope, query);
        Token revoked = tokens.revoke(id);
        cache.refresh();
        return ok(token(revoked));
    }

    private Reply rotate(String id, ObjectNode body, Map<String, String> query, AdminScope scope) {
        visibleToken(id, scope, query);
        Duration grace = rotationGrace;
        JsonNode seconds = body.get("grace_seconds");
        if (seconds != null && !seconds.isNull()) {
            if (!seconds.canConvertToLong() || !seconds.isIntegralNumber() || seconds.asLong() < 0
                    || seconds.asLong() > MAX_GRACE.toSeconds()) {
                throw TenancyException.invalid("grace_seconds", "grace_seconds must be an integer from 0 to " + MAX_GRACE.toSeconds());
            }
            grace = Duration.ofSeconds(seconds.asLong());
        }
        IssuedToken rotated = tokens.rotate(id, grace);
        cache.refresh();
        return created(withSecret(rotated));
    }

    // ----------------------------------------------------------------------------------------- usage ledger

    private Reply listRequests(Map<String, String> query, AdminScope scope) {
        allowQuery(query, "team_id", "project_id", "token_id", "session_id", "model", "from", "to", "limit", "after");
        int limit = limit(query);
        Page<UsageEvent> page = ledger.list(filter(query, scope), query.get("after"), limit);
        return ok(list(page, UsageJson::api, UsageEvent::requestId));
    }

    private Reply request(String id, Map<String, String> query, AdminScope scope) {
        noQuery(query);
        return ok(UsageJson.api(ledger.find(id).filter(e -> scope.sees(e.teamId()))
                .orElseThrow(() -> TenancyException.notFound("request", id))));
    }

    private Reply usage(Map<String, String> query, AdminScope scope) {
        allowQuery(query, "team_id", "project_id", "token_id", "session_id", "model", "from", "to");
        UsageFilter filter = filter(query, scope);
        UsageTotals totals = ledger.totals(filter);
        ObjectNode answer = UsageJson.MAPPER.createObjectNode();
        answer.put("object", "usage");
        answer.put("requests", totals.requests());
        answer.put("errors", totals.errors());
        answer.put("prompt_tokens", totals.promptTokens());
        answer.put("completion_tokens", totals.completionTokens());
        answer.put("cached_tokens", totals.cachedTokens());
        answer.put("credits", totals.credits());
        ObjectNode echo = answer.putObject("filter");
        query.forEach(echo::put);
        if (!scope.global()) {
            echo.put("team_id", scope.teamId());
        }
        return ok(answer);
    }

    // ------------------------------------------------------------------------------- debug capture (DebugCapture)

    private DebugCapture debug() {
        if (debug == null) {
            throw new TenancyException(404, "not_found", null, "Debug capture is not set up on this gateway.");
        }
        return debug;
    }

    /** GET: whether the project's bodies are kept; POST {"minutes": 1..1440} turns it on until then, 0 off. */
    private Reply debugCapture(Project project, String method, byte[] body) {
        if (method.equals("POST")) {
            JsonNode minutes = object(body, Set.of("minutes")).get("minutes");
            long max = DebugCapture.MAX_WINDOW.toMinutes();
            if (minutes == null || !minutes.isIntegralNumber() || !minutes.canConvertToLong() || minutes.asLong() < 0
                    || minutes.asLong() > max) {
                throw TenancyException.invalid("minutes", "minutes must be an integer from 0 (off) to " + max);
            }
            if (minutes.asLong() == 0) {
                debug().disable(project.id());
            } else {
                debug().enable(project.id(), Duration.ofMinutes(minutes.asLong()));
            }
        }
        ObjectNode n = UsageJson.MAPPER.createObjectNode();
        n.put("object", "debug_capture");
        n.put("project_id", project.id());
        Instant until = debug().until(project.id()).orElse(null);
        n.put("enabled", until != null);
        n.put("until", seconds(until));
        n.put("max_body_chars", DebugCapture.MAX_BODY_CHARS);
        return ok(n);
    }

    private Reply bodies(String id, Map<String, String> query, AdminScope scope) {
        noQuery(query);
        DebugCapture.Bodies kept = debug().find(id)
                .filter(b -> projects.find(b.projectId()).map(p -> scope.sees(p.teamId())).orElse(false))
                .orElseThrow(() -> new TenancyException(404, "not_found", null, "No bodies were kept for request " + id
                        + ": debug capture was off for its project (bodies are kept only while it is on)."));
        ObjectNode n = UsageJson.MAPPER.createObjectNode();
        n.put("object", "request_bodies");
        n.put("request_id", kept.requestId());
        n.put("project_id", kept.projectId());
        n.put("created_at", seconds(kept.createdAt()));
        n.put("request_body", kept.request());
        n.put("response_body", kept.response());
        return ok(n);
    }

    /** The console's charts: the ledger per minute, hour or day (UsageSeries), scoped like the totals. */
    private Reply series(Map<String, String> query, AdminScope scope) {
        allowQuery(query, UsageSeries.QUERY);
        if (series == null) {
            throw new TenancyException(404, "not_found", null, "Usage series are not set up on this gateway.");
        }
        return ok(series.answer(query.get("bucket"), filter(query, scope), Instant.now()));
    }

    private UsageFilter filter(Map<String, String> query, AdminScope scope) {
        Instant from = time(query.get("from"), "from");
        Instant to = time(query.get("to"), "to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw TenancyException.invalid("to", "to must be after from");
        }
        return new UsageFilter(scopedTeam(query.get("team_id"), scope), query.get("project_id"), query.get("token_id"),
                query.get("session_id"), query.get("model"), from, to);
    }

    /** A team admin's queries are of its own team; naming another team is naming an unknown one. */
    private static String scopedTeam(String asked, AdminScope scope) {
        if (scope.global()) {
            return asked;
        }
        if (asked != null && !asked.equals(scope.teamId())) {
            throw TenancyException.notFound("team", asked);
        }
        return scope.teamId();
    }

    // ----------------------------------------------------------------------------------------------- shapes

    private static ObjectNode team(Team team, Map<String, String> query) {
        if (query != null) {
            noQuery(query);
        }
        ObjectNode n = UsageJson.MAPPER.createObjectNode();
        n.put("object", "team");
        n.put("id", team.id());
        n.put("name", team.name());
        n.put("created_at", seconds(team.createdAt()));
        return n;
    }

    private ObjectNode project(Project project) {
        ObjectNode n = UsageJson.MAPPER.createObjectNode();
        n.put("object", "project");
        n.put("id", project.id());
        n.put("team_id", project.teamId());
        n.put("name", project.name());
        n.put("created_at", seconds(project.createdAt()));
        CreditsAdmin.describe(n, project);
        if (debug != null) {
            n.put("debug_capture_until", seconds(debug.until(project.id()).orElse(null)));
        }
        return n;
    }

    private ObjectNode token(Token token) {
        ObjectNode n = UsageJson.MAPPER.createObjectNode();
        n.put("object", "token");
        n.put("id", token.id());
        n.put("name", token.name());
        n.put("project_id", token.projectId());
        n.put("team_id", token.teamId());
        n.put("prefix", token.prefix());
        n.put("role", token.role());
        ArrayNode models = n.putArray("models");
        token.models().forEach(models::add);
        n.put("expires_at", seconds(token.expiresAt()));
        n.put("created_at", seconds(token.createdAt()));
        n.put("last_used_at", seconds(token.lastUsedAt()));
        n.put("revoked_at", seconds(token.revokedAt()));
        CreditsAdmin.describe(n, token);
        return n;
    }

    private ObjectNode withSecret(IssuedToken issued) {
        ObjectNode n = token(issued.token());
        n.put("token", issued.secret());
        return n;
    }

    private static <T> ObjectNode list(Page<T> page, Function<T, ObjectNode> shape, Function<T, String> id) {
        ObjectNode n = UsageJson.MAPPER.createObjectNode();
        n.put("object", "list");
        ArrayNode data = n.putArray("data");
        page.data().forEach(item -> data.add(shape.apply(item)));
        n.put("first_id", page.data().isEmpty() ? null : id.apply(page.data().get(0)));
        n.put("last_id", page.data().isEmpty() ? null : id.apply(page.data().get(page.data().size() - 1)));
        n.put("has_more", page.hasMore());
        return n;
    }

    private static Long seconds(Instant time) {
        return time == null ? null : time.getEpochSecond();
    }

    private static Reply ok(JsonNode body) {
        return new Reply(200, body);
    }

    private static Reply created(JsonNode body) {
        return new Reply(201, body);
    }

    // ------------------------------------------------------------------------------------------- validation

    private static ObjectNode object(byte[] body, Set<String> allowed) {
        if (body == null || body.length == 0) {
            throw new TenancyException(400, "invalid_json", null, "Send a JSON object (Content-Type: application/json).");
        }
        JsonNode node;
        try {
            node = UsageJson.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new TenancyException(400, "invalid_json", null, "The body is not valid JSON.");
        }
        if (node == null || !node.isObject()) {
            throw new TenancyException(400, "invalid_json", null, "The body must be a JSON object.");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new TenancyException(400, "unknown_parameter", name, "Unknown field: " + name);
            }
        }
        return (ObjectNode) node;
    }

    private static ObjectNode optionalObject(byte[] body, Set<String> allowed) {
        if (body == null || body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return UsageJson.MAPPER.createObjectNode();
        }
        return object(body, allowed);
    }

    private static String requiredString(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw new TenancyException(422, "missing_required_parameter", field, field + " is required");
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw TenancyException.invalid(field, field + " must be a non-empty string");
        }
        return value.asText();
    }

    private static String name(ObjectNode body) {
        String name = requiredString(body, "name").strip();
        if (name.length() > 200 || name.chars().anyMatch(Character::isISOControl)) {
            throw TenancyException.invalid("name", "name must be 1 to 200 characters, without control characters");
        }
        return name;
    }

    private static List<String> models(JsonNode value) {
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray() || value.size() > 256) {
            throw TenancyException.invalid("models", "models must be a list of at most 256 model names");
        }
        Set<String> models = new LinkedHashSet<>();
        for (JsonNode model : value) {
            if (!model.isTextual() || model.asText().isBlank() || model.asText().length() > 200) {
                throw TenancyException.invalid("models", "every model must be a non-empty name of at most 200 characters");
            }
            models.add(model.asText());
        }
        return new ArrayList<>(models);
    }

    private static Instant expiresAt(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        Instant at;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            at = Instant.ofEpochSecond(value.asLong());
        } else if (value.isTextual()) {
            at = time(value.asText(), "expires_at");
        } else {
            throw TenancyException.invalid("expires_at", "expires_at must be Unix seconds or an ISO-8601 time");
        }
        if (!at.isAfter(Instant.now())) {
            throw TenancyException.invalid("expires_at", "expires_at must be in the future");
        }
        return at;
    }

    private static String role(JsonNode value) {
        if (value == null || value.isNull()) {
            return Token.CLIENT;
        }
        if (!value.isTextual() || !Set.of(Token.CLIENT, Token.ADMIN).contains(value.asText())) {
            throw TenancyException.invalid("role", "role must be client or admin");
        }
        return value.asText();
    }

    private static Instant time(String text, String param) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            if (text.chars().allMatch(Character::isDigit) && text.length() <= 12) {
                return Instant.ofEpochSecond(Long.parseLong(text));
            }
            return Instant.parse(text);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw TenancyException.invalid(param, param + " must be Unix seconds or an ISO-8601 time such as 2026-01-31T00:00:00Z");
        }
    }

    private static int limit(Map<String, String> query) {
        String text = query.get("limit");
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw TenancyException.invalid("limit", "limit must be an integer from 1 to " + MAX_LIMIT);
    }

    private static void noQuery(Map<String, String> query) {
        allowQuery(query);
    }

    private static void allowQuery(Map<String, String> query, String... allowed) {
        Set<String> names = Set.of(allowed);
        for (String name : query.keySet()) {
            if (!names.contains(name)) {
                throw new TenancyException(400, "unknown_parameter", name, "Unknown query parameter: " + name);
            }
        }
    }

    private static JsonNode loadOpenApi() {
        try (InputStream in = AdminApi.class.getResourceAsStream("/tenancy/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("tenancy/openapi.json is missing from the jar");
            }
            return UsageJson.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("tenancy/openapi.json is not JSON", e);
        }
    }
}
