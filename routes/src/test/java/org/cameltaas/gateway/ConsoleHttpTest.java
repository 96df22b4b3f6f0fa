package org.cameltaas.gateway;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console's static files over plain HTTP: types, security headers, the redirect, 404s and path traversal. */
class ConsoleHttpTest extends GatewayTestSupport {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private static HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).GET());
    }

    private static RawHttp.Reply raw(String target) throws Exception {
        try (RawHttp client = new RawHttp(port, 10_000)) {
            return client.send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").read();
        }
    }

    @Test
    void thePageAndItsFilesWithTheirTypesAndSecurityHeaders() throws Exception {
        HttpResponse<String> page = get("/console/");
        assertEquals(200, page.statusCode(), page.body());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("content-type").orElse(null));
        assertEquals(CSP, page.headers().firstValue("content-security-policy").orElse(null));
        assertEquals("nosniff", page.headers().firstValue("x-content-type-options").orElse(null));
        assertEquals("DENY", page.headers().firstValue("x-frame-options").orElse(null));
        assertEquals("no-referrer", page.headers().firstValue("referrer-policy").orElse(null));
        assertEquals("no-store", page.headers().firstValue("cache-control").orElse(null));
        assertTrue(page.body().contains("<script type=\"module\" src=\"app.js\"></script>"), page.body());
        assertFalse(page.body().contains("style="), "no inline styles: the CSP forbids them");
        assertEquals(page.body(), get("/console/index.html").body());

        HttpResponse<String> script = get("/console/app.js");
        assertEquals(200, script.statusCode());
        assertEquals("text/javascript; charset=utf-8", script.headers().firstValue("content-type").orElse(null));
        assertEquals("nosniff", script.headers().firstValue("x-content-type-options").orElse(null));
        assertFalse(script.body().contains("innerHTML"), "values are never written as HTML");
        HttpResponse<String> page2 = get("/console/pages/requests.js");
        assertEquals(200, page2.statusCode());
        assertFalse(page2.body().contains("innerHTML"));
        HttpResponse<String> css = get("/console/console.css");
        assertEquals("text/css; charset=utf-8", css.headers().firstValue("content-type").orElse(null));
        assertEquals("no-cache", css.headers().firstValue("cache-control").orElse(null), "revalidated, never stale");
        assertEquals("image/svg+xml", get("/console/favicon.svg").headers().firstValue("content-type").orElse(null));
        // the request's own headers are not echoed back
        HttpResponse<String> withKey = send(HttpRequest.newBuilder(URI.create(base() + "/console/"))
                .header("Authorization", "Bearer " + MASTER_KEY).GET());
        assertFalse(withKey.headers().map().toString().contains(MASTER_KEY));
    }

    @Test
    void consoleWithoutTheSlashRedirects() throws Exception {
        HttpResponse<String> moved = get("/console");
        assertEquals(308, moved.statusCode());
        assertEquals("/console/", moved.headers().firstValue("location").orElse(null));
    }

    @Test
    void unknownFilesAre404AndOtherMethods405() throws Exception {
        for (String path : new String[] {"/console/nope.js", "/console/pages/", "/console/pages", "/console/index.HTML",
                "/console/app.js.map", "/console/../pom.xml"}) {
            HttpResponse<String> missing = get(path);
            assertTrue(missing.statusCode() == 404 || missing.statusCode() == 400, path + ": " + missing.statusCode());
        }
        JsonNode error = assertError(get("/console/nope.js"), 404, "not_found");
        assertTrue(error.get("message").asText().contains("/console/nope.js"), error.toString());
        assertError(get("/consolex"), 404, "not_found");
        HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(base() + "/console/"))
                .POST(HttpRequest.BodyPublishers.ofString("x")));
        assertError(post, 405, "method_not_allowed");
    }

    @Test
    void pathTraversalIsRefused() throws Exception {
        for (String target : new String[] {"/console/../camel/surface.camel.yaml", "/console/..%2fcamel/surface.camel.yaml",
                "/console/%2e%2e/camel/surface.camel.yaml", "/console/%2E%2E%2Fcamel%2Fsurface.camel.yaml",
                "/console/pages/..%5c..%5ccamel/surface.camel.yaml", "/console/..\\camel\\surface.camel.yaml",
                "/console//etc/passwd", "/console/%2fetc%2fpasswd", "/console/app%2ejs",
                "/console/../../../../etc/passwd"}) {
            RawHttp.Reply reply = raw(target);
            assertTrue(reply.status() == 400 || reply.status() == 404, target + ": " + reply.statusLine());
            assertFalse(reply.text().contains("route:"), target + " leaked a route file");
            assertFalse(reply.text().contains("root:"), target + " leaked /etc/passwd");
        }
        assertEquals(400, raw("/console/%2e%2e/camel/surface.camel.yaml").status());
        assertEquals(200, raw("/console/app.js").status(), "a plain name still works");
    }

    @Test
    void theStaticFilesAreNotMetered() throws Exception {
        get("/console/");
        HttpResponse<String> requests = send(HttpRequest.newBuilder(URI.create(base() + "/admin/v1/requests?limit=100"))
                .header("Authorization", "Bearer " + MASTER_KEY).GET());
        assertEquals(200, requests.statusCode());
        assertFalse(requests.body().contains("\"surface\":\"/console/"), requests.body());
    }
}
