package org.cameltaas.tenancy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Debug capture through the admin API and the store, run against each database (H2 and PostgreSQL subclasses). */
abstract class DebugCaptureContract {

    Tenancy tenancy;
    Project project;

    abstract TenancySettings settings() throws Exception;

    @BeforeEach
    void open() throws Exception {
        tenancy = Tenancy.open(settings());
        project = tenancy.projects().create(tenancy.teams().create("debug-team").id(), "web");
    }

    @AfterEach
    void close() {
        tenancy.close();
    }

    private AdminApi.Reply call(String method, String path, String body, AdminScope scope) {
        return tenancy.admin().handle(method, path, Map.of(), body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), scope);
    }

    @Test
    void offByDefaultOnForAWhileThenOff() throws Exception {
        DebugCapture capture = tenancy.debugCapture();
        String path = "/projects/" + project.id() + "/debug";
        assertFalse(capture.capturing(project.id()), "off by default");
        JsonNode off = call("GET", path, null, AdminScope.GLOBAL).body();
        assertFalse(off.get("enabled").asBoolean());
        assertTrue(off.get("until").isNull());
        capture.keep("req-off", project.id(), "{}", "{}"); // the gateway never calls this while off; the store keeps what it is given

        JsonNode on = call("POST", path, "{\"minutes\":15}", AdminScope.GLOBAL).body();
        assertTrue(on.get("enabled").asBoolean());
        long until = on.get("until").asLong();
        assertTrue(Math.abs(until - Instant.now().plusSeconds(900).getEpochSecond()) <= 2, on.toString());
        assertTrue(capture.capturing(project.id()));
        assertEquals(until, call("GET", "/projects/" + project.id(), null, AdminScope.GLOBAL).body()
                .get("debug_capture_until").asLong(), "the project shows it");

        capture.keep("req-1", project.id(), "{\"model\":\"gpt-4o\"}", "{\"id\":\"chatcmpl-1\"}");
        capture.keep("req-big", project.id(), "x".repeat(DebugCapture.MAX_BODY_CHARS + 10), null);
        capture.flush(Duration.ofSeconds(5));
        JsonNode kept = call("GET", "/requests/req-1/bodies", null, AdminScope.GLOBAL).body();
        assertEquals("{\"model\":\"gpt-4o\"}", kept.get("request_body").asText());
        assertEquals("{\"id\":\"chatcmpl-1\"}", kept.get("response_body").asText());
        assertEquals(project.id(), kept.get("project_id").asText());
        JsonNode big = call("GET", "/requests/req-big/bodies", null, AdminScope.GLOBAL).body();
        assertEquals(DebugCapture.MAX_BODY_CHARS, big.get("request_body").asText().length(), "cut at 64 KB");
        assertTrue(big.get("response_body").isNull());

        // a new replica reads the setting from the database
        capture.refresh();
        assertTrue(capture.capturing(project.id()));

        assertFalse(call("POST", path, "{\"minutes\":0}", AdminScope.GLOBAL).body().get("enabled").asBoolean());
        assertFalse(capture.capturing(project.id()));
        capture.refresh();
        assertFalse(capture.capturing(project.id()), "off in the database too");
    }

    @Test
    void scopedLikeTheRestAndValidated() throws Exception {
        String path = "/projects/" + project.id() + "/debug";
        AdminScope otherTeam = new AdminScope(tenancy.teams().create("other-team").id());
        assertEquals(404, assertThrows(TenancyException.class, () -> call("POST", path, "{\"minutes\":5}", otherTeam)).status());
        assertEquals(200, call("POST", path, "{\"minutes\":5}", new AdminScope(project.teamId())).status(), "its own team admin");
        tenancy.debugCapture().keep("req-scoped", project.id(), "{}", "{}");
        tenancy.debugCapture().flush(Duration.ofSeconds(5));
        assertEquals(404, assertThrows(TenancyException.class,
                () -> call("GET", "/requests/req-scoped/bodies", null, otherTeam)).status(), "another team's bodies do not exist");
        assertEquals(200, call("GET", "/requests/req-scoped/bodies", null, new AdminScope(project.teamId())).status());
        TenancyException none = assertThrows(TenancyException.class, () -> call("GET", "/requests/req-never/bodies", null,
                AdminScope.GLOBAL));
        assertEquals(404, none.status());
        assertTrue(none.getMessage().contains("debug capture was off"), none.getMessage());

        for (String bad : new String[] {"{\"minutes\":1441}", "{\"minutes\":-1}", "{\"minutes\":1.5}", "{\"minutes\":\"5\"}", "{}"}) {
            TenancyException e = assertThrows(TenancyException.class, () -> call("POST", path, bad, AdminScope.GLOBAL), bad);
            assertEquals(422, e.status(), bad);
            assertEquals("minutes", e.param(), bad);
        }
        assertEquals(400, assertThrows(TenancyException.class, () -> call("POST", path, "{\"minutes\":5,\"x\":1}",
                AdminScope.GLOBAL)).status());
        assertEquals(404, assertThrows(TenancyException.class, () -> call("GET", "/projects/proj_nope/debug", null,
                AdminScope.GLOBAL)).status());
    }
}
