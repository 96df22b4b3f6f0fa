package org.cameltaas.gateway;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.http.MultipartForm;
import org.cameltaas.component.support.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Files API over HTTP: every call in OpenAI's shapes, the errors, two projects' isolation (the master key's
 * project and the file token's {@code p1}), and the per-project quota (1 MB here) with its headers.
 */
class FilesApiTest extends GatewayTestSupport {

    static final long QUOTA = 1024 * 1024;

    @BeforeAll
    static void startGateway() throws Exception {
        GatewayTestSupport.startGateway(Map.of("TAAS_FILES_QUOTA_MB", "1"));
    }

    static HttpResponse<String> upload(String token, MultipartForm form) throws Exception {
        MultipartForm.Encoded encoded = form.encode();
        return send(HttpRequest.newBuilder(URI.create(base() + "/v1/files")).header("Authorization", "Bearer " + token)
                .header("Content-Type", encoded.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(encoded.body())));
    }

    static HttpResponse<String> upload(String token, String filename, byte[] content, String purpose) throws Exception {
        return upload(token, new MultipartForm().field("purpose", purpose).file("file", filename, "text/plain", content));
    }

    static HttpResponse<String> call(String token, String method, String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }

    static long used(HttpResponse<?> response) {
        return Long.parseLong(response.headers().firstValue("x-storage-used-bytes").orElseThrow());
    }

    static void assertQuotaHeaders(HttpResponse<?> response) {
        assertTrue(response.headers().firstValue("x-storage-used-bytes").isPresent(), response.headers().map().toString());
        assertEquals(String.valueOf(QUOTA), response.headers().firstValue("x-storage-limit-bytes").orElseThrow());
    }

    @Test
    void uploadListRetrieveDownloadAndDeleteInOpenAisShapes() throws Exception {
        byte[] content = "hello files\n".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> created = upload(MASTER_KEY, "notes é.txt", content, "user_data");
        assertEquals(200, created.statusCode(), created.body());
        assertQuotaHeaders(created);
        JsonNode file = Json.parse(created.body());
        String id = file.get("id").asText();
        assertTrue(id.matches("file-[0-9a-z]+"), id);
        assertEquals("file", file.get("object").asText());
        assertEquals(content.length, file.get("bytes").asLong());
        assertEquals("notes é.txt", file.get("filename").asText());
        assertEquals("user_data", file.get("purpose").asText());
        assertEquals("processed", file.get("status").asText());
        assertTrue(Math.abs(file.get("created_at").asLong() - System.currentTimeMillis() / 1000) < 60);

        HttpResponse<String> retrieved = call(MASTER_KEY, "GET", "/v1/files/" + id);
        assertEquals(200, retrieved.statusCode(), retrieved.body());
        assertQuotaHeaders(retrieved);
        assertEquals(file, Json.parse(retrieved.body()));

        HttpResponse<byte[]> downloaded = http.send(HttpRequest.newBuilder(URI.create(base() + "/v1/files/" + id + "/content"))
                .header("Authorization", "Bearer " + MASTER_KEY).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, downloaded.statusCode());
        assertArrayEquals(content, downloaded.body());
        assertEquals("text/plain", downloaded.headers().firstValue("content-type").orElseThrow());
        assertEquals(String.valueOf(content.length), downloaded.headers().firstValue("content-length").orElseThrow());
        String disposition = downloaded.headers().firstValue("content-disposition").orElseThrow();
        assertTrue(disposition.startsWith("attachment; filename=\"notes _.txt\"; filename*=UTF-8''notes%20%C3%A9.txt"), disposition);
        assertQuotaHeaders(downloaded);

        HttpResponse<String> listed = call(MASTER_KEY, "GET", "/v1/files?purpose=user_data");
        assertEquals(200, listed.statusCode(), listed.body());
        assertQuotaHeaders(listed);
        JsonNode list = Json.parse(listed.body());
        assertEquals("list", list.get("object").asText());
        assertTrue(list.get("data").findValuesAsText("id").contains(id), listed.body());
        assertFalse(list.get("has_more").asBoolean());

        long before = used(listed);
        HttpResponse<String> deleted = call(MASTER_KEY, "DELETE", "/v1/files/" + id);
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertEquals(Json.parse("{\"id\":\"" + id + "\",\"object\":\"file\",\"deleted\":true}"), Json.parse(deleted.body()));
        assertEquals(before - content.length, used(deleted));
        assertError(call(MASTER_KEY, "GET", "/v1/files/" + id), 404, "file_not_found");
        assertError(call(MASTER_KEY, "GET", "/v1/files/" + id + "/content"), 404, "file_not_found");
        assertError(call(MASTER_KEY, "DELETE", "/v1/files/" + id), 404, "file_not_found");
    }

    @Test
    void listsPageWithLimitAfterAndOrder() throws Exception {
        String[] ids = new String[3];
        for (int i = 0; i < 3; i++) {
            ids[i] = Json.parse(upload(LIMITED_TOKEN, "page" + i + ".txt", new byte[] {'x'}, "batch").body()).get("id").asText();
        }
        JsonNode first = Json.parse(call(LIMITED_TOKEN, "GET", "/v1/files?purpose=batch&limit=2").body());
        assertEquals(2, first.get("data").size(), first.toString());
        assertEquals(ids[2], first.get("first_id").asText());
        assertEquals(ids[1], first.get("last_id").asText());
        assertTrue(first.get("has_more").asBoolean());
        JsonNode second = Json.parse(call(LIMITED_TOKEN, "GET", "/v1/files?purpose=batch&limit=2&after=" + ids[1]).body());
        assertEquals(ids[0], second.get("data").get(0).get("id").asText(), second.toString());
        JsonNode ascending = Json.parse(call(LIMITED_TOKEN, "GET", "/v1/files?purpose=batch&order=asc&limit=1").body());
        assertEquals(ids[0], ascending.get("data").get(0).get("id").asText());
        for (String id : ids) {
            assertEquals(200, call(LIMITED_TOKEN, "DELETE", "/v1/files/" + id).statusCode());
        }
    }

    @Test
    void anotherProjectsFileIsNotFoundNamingTheId() throws Exception {
        String id = Json.parse(upload(MASTER_KEY, "mine.txt", new byte[] {1, 2, 3}, "assistants").body()).get("id").asText();
        JsonNode error = assertError(call(LIMITED_TOKEN, "GET", "/v1/files/" + id), 404, "file_not_found");
        assertTrue(error.get("message").asText().contains(id), error.toString());
        assertError(call(LIMITED_TOKEN, "GET", "/v1/files/" + id + "/content"), 404, "file_not_found");
        assertError(call(LIMITED_TOKEN, "DELETE", "/v1/files/" + id), 404, "file_not_found");
        JsonNode theirs = Json.parse(call(LIMITED_TOKEN, "GET", "/v1/files").body());
        assertFalse(theirs.get("data").findValuesAsText("id").contains(id), theirs.toString());
        assertEquals(200, call(MASTER_KEY, "GET", "/v1/files/" + id).statusCode(), "still there for its owner");
        assertEquals(200, call(MASTER_KEY, "DELETE", "/v1/files/" + id).statusCode());
    }

    @Test
    void badInputGetsAClearErrorInTheEnvelope() throws Exception {
        assertError(upload(MASTER_KEY, new MultipartForm().field("purpose", "user_data")), 400, "missing_file");
        assertError(upload(MASTER_KEY, "empty.txt", new byte[0], "user_data"), 400, "empty_file");
        JsonNode purpose = assertError(upload(MASTER_KEY, "a.txt", new byte[] {1}, "pictures"), 400, "invalid_purpose");
        assertEquals("purpose", purpose.get("param").asText());
        assertError(upload(MASTER_KEY, new MultipartForm().file("file", "a.txt", "text/plain", new byte[] {1})), 400, "missing_purpose");
        assertError(send(HttpRequest.newBuilder(URI.create(base() + "/v1/files")).header("Authorization", "Bearer " + MASTER_KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))), 415, "unsupported_media_type");
        assertError(call(MASTER_KEY, "GET", "/v1/files/file%2E%2E%2Fetc"), 400, "invalid_file_id");
        assertError(call(MASTER_KEY, "GET", "/v1/files/file-doesnotexist"), 404, "file_not_found");
        assertError(call(MASTER_KEY, "GET", "/v1/files?limit=0"), 400, "invalid_limit");
        assertError(call(MASTER_KEY, "GET", "/v1/files?order=sideways"), 400, "invalid_order");
        assertError(call(MASTER_KEY, "GET", "/v1/files?purpose=nope"), 400, "invalid_purpose");
        assertError(call(MASTER_KEY, "PUT", "/v1/files/file-x"), 405, "method_not_allowed");
        assertError(call("taas_not_a_real_token_000", "GET", "/v1/files"), 401, null);
    }

    @Test
    void theQuotaIsExactAndReportedOnEveryResponse() throws Exception {
        String team = Json.parse(post("/admin/v1/teams", "{\"name\":\"files-quota\"}").body()).get("id").asText();
        String project = Json.parse(post("/admin/v1/projects", "{\"team_id\":\"" + team + "\",\"name\":\"q\"}").body()).get("id").asText();
        String token = Json.parse(post("/admin/v1/tokens", "{\"project_id\":\"" + project + "\",\"name\":\"q\"}").body()).get("token").asText();
        HttpResponse<String> empty = call(token, "GET", "/v1/files");
        for (int i = 0; i < 100 && empty.statusCode() == 401; i++) {
            Thread.sleep(50); // the new token reaches the cache within the refresh period
            empty = call(token, "GET", "/v1/files");
        }
        assertEquals(200, empty.statusCode(), empty.body());
        assertEquals(0, used(empty));
        assertQuotaHeaders(empty);

        HttpResponse<String> big = upload(token, "big.bin", new byte[(int) QUOTA - 10], "user_data");
        assertEquals(200, big.statusCode(), big.body());
        assertEquals(QUOTA - 10, used(big));
        HttpResponse<String> exact = upload(token, "ten.bin", new byte[10], "user_data");
        assertEquals(200, exact.statusCode(), "exactly the quota fits: " + exact.body());
        assertEquals(QUOTA, used(exact));
        HttpResponse<String> over = upload(token, "one.bin", new byte[1], "user_data");
        JsonNode error = assertError(over, 413, "storage_quota_exceeded");
        assertTrue(error.get("message").asText().contains(String.valueOf(QUOTA)), error.toString());
        assertQuotaHeaders(over);
        assertEquals(QUOTA, used(over));
        assertEquals(2, Json.parse(call(token, "GET", "/v1/files").body()).get("data").size(), "the refused file was not stored");

        String ten = Json.parse(exact.body()).get("id").asText();
        assertEquals(QUOTA - 10, used(call(token, "DELETE", "/v1/files/" + ten)));
        assertEquals(200, upload(token, "one.bin", new byte[1], "user_data").statusCode(), "deleting gave the bytes back");
    }
}
