package org.cameltaas.gateway;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;
import org.cameltaas.tenancy.AdminApi;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin API end to end on the real gateway (embedded H2): the contract's shapes and every refusal. */
class TenancyAdminApiTest extends GatewayTestSupport {

    static HttpResponse<String> admin(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/admin/v1" + path))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return send(request);
    }

    static JsonNode created(HttpResponse<String> response) throws Exception {
        assertEquals(201, response.statusCode(), response.body());
        return Json.parse(response.body());
    }

    static String unique(String name) {
        return name + "-" + System.nanoTime();
    }

    static HttpResponse<String> chat(String token, String model) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")));
    }

    @Test
    void aTeamAProjectAndATokenThatCallsTheModelApi() throws Exception {
        JsonNode team = created(admin("POST", "/teams", "{\"name\":\"" + unique("acme") + "\"}", MASTER_KEY));
        assertTrue(team.get("id").asText().startsWith("team_") && team.has("created_at"), team.toString());
        JsonNode project = created(admin("POST", "/projects",
                "{\"team_id\":\"" + team.get("id").asText() + "\",\"name\":\"web\"}", MASTER_KEY));
        assertEquals(team.get("id"), project.get("team_id"));
        JsonNode token = created(admin("POST", "/tokens", "{\"project_id\":\"" + project.get("id").asText()
                + "\",\"name\":\"ci\",\"models\":[\"gpt-4o\"]}", MASTER_KEY));
        String secret = token.get("token").asText();
        assertTrue(secret.startsWith("taas_") && secret.length() >= 37);
        assertEquals(secret.substring(0, 9), token.get("prefix").asText());
        for (String field : new String[] {"id", "name", "project_id", "prefix", "role", "models", "expires_at", "created_at",
                "last_used_at", "revoked_at"}) {
            assertTrue(token.has(field), field + " in " + token);
        }
        assertEquals("client", token.get("role").asText());

        assertEquals(200, chat(secret, "gpt-4o").statusCode());
        HttpResponse<String> other = chat(secret, "claude-sonnet-4");
        assertEquals(403, other.statusCode(), "models limit the token: " + other.body());

        HttpResponse<String> shown = admin("GET", "/tokens/" + token.get("id").asText(), null, MASTER_KEY);
        assertEquals(200, shown.statusCode());
        assertFalse(Json.parse(shown.body()).has("token"), "the secret is shown once");
        assertFalse(shown.body().contains(secret.substring(9)));
        HttpResponse<String> bearerByApiKey = send(HttpRequest.newBuilder(URI.create(base() + "/v1/models"))
                .header("x-api-key", secret).GET());
        assertEquals(200, bearerByApiKey.statusCode(), "x-api-key works as well");
    }

    @Test
    void revokeAndRotateTakeEffectAtOnceHere() throws Exception {
        String project = newProject();
        JsonNode token = created(admin("POST", "/tokens", "{\"project_id\":\"" + project + "\",\"name\":\"r\"}", MASTER_KEY));
        String id = token.get("id").asText();
        String first = token.get("token").asText();
        assertEquals(200, chat(first, "gpt-4o").statusCode());

        JsonNode rotated = created(admin("POST", "/tokens/" + id + "/rotate", null, MASTER_KEY));
        String second = rotated.get("token").asText();
        assertNotEquals(first, second);
        assertEquals(200, chat(second, "gpt-4o").statusCode());
        assertEquals(200, chat(first, "gpt-4o").statusCode(), "the old secret keeps working for the grace period");
        String third = created(admin("POST", "/tokens/" + id + "/rotate", "{\"grace_seconds\":0}", MASTER_KEY)).get("token").asText();
        assertEquals(401, chat(second, "gpt-4o").statusCode(), "no grace asked: the old secret stops at once");
        assertEquals(200, chat(third, "gpt-4o").statusCode());

        HttpResponse<String> revoked = admin("POST", "/tokens/" + id + "/revoke", null, MASTER_KEY);
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertTrue(Json.parse(revoked.body()).get("revoked_at").isNumber());
        assertError(chat(third, "gpt-4o"), 401, "invalid_api_key");
        assertError(admin("POST", "/tokens/" + id + "/rotate", null, MASTER_KEY), 409, "token_revoked");
    }

    @Test
    void everyRefusalHasItsStatusAndTheEnvelope() throws Exception {
        String team = created(admin("POST", "/teams", "{\"name\":\"" + unique("errors") + "\"}", MASTER_KEY)).get("id").asText();
        String name = Json.parse(admin("GET", "/teams/" + team, null, MASTER_KEY).body()).get("name").asText();
        String project = created(admin("POST", "/projects", "{\"team_id\":\"" + team + "\",\"name\":\"p\"}", MASTER_KEY)).get("id").asText();
        String client = created(admin("POST", "/tokens", "{\"project_id\":\"" + project + "\",\"name\":\"c\"}", MASTER_KEY))
                .get("token").asText();

        assertEquals("color", assertError(admin("POST", "/teams", "{\"name\":\"x\",\"color\":\"red\"}", MASTER_KEY),
                400, "unknown_parameter").get("param").asText());
        assertError(admin("POST", "/teams", "not json", MASTER_KEY), 400, "invalid_json");
        assertError(admin("POST", "/teams", "[1]", MASTER_KEY), 400, "invalid_json");
        assertError(admin("GET", "/teams?colour=red", null, MASTER_KEY), 400, "unknown_parameter");
        assertError(admin("POST", "/teams", "{\"name\":\"\"}", MASTER_KEY), 422, "invalid_value");
        assertError(admin("POST", "/teams", "{\"name\":7}", MASTER_KEY), 422, "invalid_value");
        assertError(admin("POST", "/teams", "{}", MASTER_KEY), 422, "missing_required_parameter");
        assertError(admin("POST", "/tokens", "{\"project_id\":\"" + project + "\",\"name\":\"x\",\"role\":\"root\"}", MASTER_KEY),
                422, "invalid_value");
        assertError(admin("POST", "/tokens", "{\"project_id\":\"" + project + "\",\"name\":\"x\",\"expires_at\":1}", MASTER_KEY),
                422, "invalid_value");
        assertError(admin("POST", "/tokens", "{\"project_id\":\"" + project + "\",\"name\":\"x\",\"models\":\"gpt-4o\"}", MASTER_KEY),
                422, "invalid_value");
        assertError(admin("GET", "/tokens?limit=0", null, MASTER_KEY), 422, "invalid_value");
        assertError(admin("GET", "/requests?from=yesterday", null, MASTER_KEY), 422, "invalid_value");
        assertError(admin("POST", "/teams", "{\"name\":\"" + name + "\"}", MASTER_KEY), 409, "duplicate_name");
        assertError(admin("POST", "/projects", "{\"team_id\":\"" + team + "\",\"name\":\"p\"}", MASTER_KEY), 409, "duplicate_name");
        assertError(admin("GET", "/teams/team_nope", null, MASTER_KEY), 404, "team_not_found");
        assertError(admin("GET", "/tokens/tok_nope", null, MASTER_KEY), 404, "token_not_found");
        assertError(admin("POST", "/tokens/tok_nope/revoke", null, MASTER_KEY), 404, "token_not_found");
        assertError(admin("GET", "/requests/req_nope", null, MASTER_KEY), 404, "request_not_found");
        assertError(admin("POST", "/projects", "{\"team_id\":\"team_nope\",\"name\":\"p\"}", MASTER_KEY), 404, "team_not_found");
        assertError(admin("POST", "/tokens", "{\"project_id\":\"proj_nope\",\"name\":\"p\"}", MASTER_KEY), 404, "project_not_found");
        assertError(admin("GET", "/nothing-here", null, MASTER_KEY), 404, "not_found");
        assertError(admin("DELETE", "/teams", null, MASTER_KEY), 405, "method_not_allowed");
        assertError(admin("GET", "/teams", null, client), 403, "insufficient_permissions");
        assertError(admin("GET", "/teams", null, LIMITED_TOKEN), 403, "insufficient_permissions");
        assertError(admin("GET", "/teams", null, null), 401, "invalid_api_key");
        assertError(admin("GET", "/teams", null, "taas_not_a_token_at_all_000000000"), 401, "invalid_api_key");

        // nothing half-written: the refused token creations left no token behind
        JsonNode tokens = Json.parse(admin("GET", "/tokens?project_id=" + project, null, MASTER_KEY).body());
        assertEquals(1, tokens.get("data").size(), tokens.toString());
    }

    @Test
    void aTeamAdminSeesItsOwnTeamOnly() throws Exception {
        String teamA = created(admin("POST", "/teams", "{\"name\":\"" + unique("a") + "\"}", MASTER_KEY)).get("id").asText();
        String teamB = created(admin("POST", "/teams", "{\"name\":\"" + unique("b") + "\"}", MASTER_KEY)).get("id").asText();
        String projectA = created(admin("POST", "/projects", "{\"team_id\":\"" + teamA + "\",\"name\":\"a\"}", MASTER_KEY)).get("id").asText();
        String projectB = created(admin("POST", "/projects", "{\"team_id\":\"" + teamB + "\",\"name\":\"b\"}", MASTER_KEY)).get("id").asText();
        String adminA = created(admin("POST", "/tokens", "{\"project_id\":\"" + projectA + "\",\"name\":\"boss\",\"role\":\"admin\"}",
                MASTER_KEY)).get("token").asText();
        String tokenB = created(admin("POST", "/tokens", "{\"project_id\":\"" + projectB + "\",\"name\":\"x\"}", MASTER_KEY)).get("id").asText();

        assertError(admin("POST", "/teams", "{\"name\":\"" + unique("c") + "\"}", adminA), 403, "insufficient_permissions");
        JsonNode teams = Json.parse(admin("GET", "/teams", null, adminA).body());
        assertEquals(1, teams.get("data").size());
        assertEquals(teamA, teams.get("data").get(0).get("id").asText());
        created(admin("POST", "/projects", "{\"team_id\":\"" + teamA + "\",\"name\":\"more\"}", adminA));
        assertError(admin("POST", "/projects", "{\"team_id\":\"" + teamB + "\",\"name\":\"mine\"}", adminA), 404, "team_not_found");
        assertError(admin("GET", "/tokens/" + tokenB, null, adminA), 404, "token_not_found");
        assertError(admin("POST", "/tokens/" + tokenB + "/revoke", null, adminA), 404, "token_not_found");
        assertError(admin("POST", "/tokens", "{\"project_id\":\"" + projectB + "\",\"name\":\"y\"}", adminA), 404, "project_not_found");
        assertError(admin("GET", "/usage?team_id=" + teamB, null, adminA), 404, "team_not_found");
        JsonNode usage = Json.parse(admin("GET", "/usage", null, adminA).body());
        assertEquals(teamA, usage.at("/filter/team_id").asText());
        assertEquals(200, chat(adminA, "gpt-4o").statusCode(), "an admin token calls the model API too");
    }

    @Test
    void listsHaveOpenAisShapeAndPage() throws Exception {
        String project = newProject();
        for (int i = 0; i < 3; i++) {
            created(admin("POST", "/tokens", "{\"project_id\":\"" + project + "\",\"name\":\"t" + i + "\"}", MASTER_KEY));
        }
        JsonNode first = Json.parse(admin("GET", "/tokens?project_id=" + project + "&limit=2", null, MASTER_KEY).body());
        assertEquals("list", first.get("object").asText());
        assertEquals(2, first.get("data").size());
        assertTrue(first.get("has_more").asBoolean());
        assertEquals(first.get("data").get(0).get("id"), first.get("first_id"));
        assertEquals(first.get("data").get(1).get("id"), first.get("last_id"));
        JsonNode rest = Json.parse(admin("GET", "/tokens?project_id=" + project + "&limit=2&after=" + first.get("last_id").asText(),
                null, MASTER_KEY).body());
        assertEquals(1, rest.get("data").size());
        assertFalse(rest.get("has_more").asBoolean());
        assertEquals("t2", rest.get("data").get(0).get("name").asText());
        JsonNode empty = Json.parse(admin("GET", "/tokens?project_id=proj_none", null, MASTER_KEY).body());
        assertEquals(0, empty.get("data").size());
        assertTrue(empty.get("first_id").isNull() && empty.get("last_id").isNull());
    }

    @Test
    void theOpenApiDocumentDescribesExactlyTheCallsServed() throws Exception {
        HttpResponse<String> response = admin("GET", "/openapi.json", null, MASTER_KEY);
        assertEquals(200, response.statusCode());
        JsonNode doc = Json.parse(response.body());
        assertTrue(doc.get("openapi").asText().startsWith("3."));
        Set<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase() + " " + path.getKey()));
        }
        Set<String> served = new TreeSet<>();
        AdminApi.CALLS.forEach((path, methods) -> methods.forEach(m -> served.add(m + " " + path)));
        assertEquals(served, documented);
    }

    @Test
    void expiredTokensAreRefused() throws Exception {
        String project = newProject();
        long soon = Instant.now().getEpochSecond() + 2;
        String secret = created(admin("POST", "/tokens", "{\"project_id\":\"" + project + "\",\"name\":\"e\",\"expires_at\":"
                + soon + "}", MASTER_KEY)).get("token").asText();
        assertEquals(200, chat(secret, "gpt-4o").statusCode());
        Thread.sleep(Math.max(0, (soon + 1) * 1000 - System.currentTimeMillis())); // past the expiry, once
        assertError(chat(secret, "gpt-4o"), 401, "invalid_api_key");
    }

    static String newProject() throws Exception {
        String team = created(admin("POST", "/teams", "{\"name\":\"" + unique("team") + "\"}", MASTER_KEY)).get("id").asText();
        return created(admin("POST", "/projects", "{\"team_id\":\"" + team + "\",\"name\":\"p\"}", MASTER_KEY)).get("id").asText();
    }
}
