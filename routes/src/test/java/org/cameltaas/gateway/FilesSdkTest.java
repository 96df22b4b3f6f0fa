package org.cameltaas.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real openai npm SDK's {@code files} calls, unmodified, against the gateway (a 3 MB file from a read stream). */
class FilesSdkTest extends GatewayTestSupport {

    @Test
    void theOpenAiNodeSdkUploadsListsRetrievesDownloadsAndDeletes() throws Exception {
        NodeClients.requirePackage("openai");
        byte[] content = new byte[3 * 1024 * 1024];
        new Random(7).nextBytes(content);
        Path upload = Files.createTempDirectory("taas-files-sdk").resolve("data.bin");
        Files.write(upload, content);
        Map<String, String> env = new HashMap<>();
        env.put("TAAS_BASE_URL", base() + "/v1");
        env.put("TAAS_KEY", MASTER_KEY);
        env.put("TAAS_UPLOAD", upload.toString());
        NodeClients.Run run = NodeClients.node("files-sdk.mjs", env, 120);
        assertTrue(run.finished(), run.output());
        assertEquals(0, run.exitCode(), run.output());
        Map<String, JsonNode> checks = new HashMap<>();
        for (String line : run.output().split("\n")) {
            if (line.startsWith("{\"check\"")) {
                JsonNode json = Json.parse(line);
                checks.put(json.get("check").asText(), json);
            }
        }
        JsonNode created = checks.get("create").get("file");
        String id = created.get("id").asText();
        assertEquals("data.bin", created.get("filename").asText(), created.toString());
        assertEquals(content.length, created.get("bytes").asLong());
        assertEquals("user_data", created.get("purpose").asText());
        assertTrue(checks.get("list").get("ids").toString().contains("\"" + id + "\""), checks.get("list").toString());
        assertEquals(created, checks.get("retrieve").get("file"));
        assertEquals(content.length, checks.get("content").get("length").asInt());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)),
                checks.get("content").get("sha256").asText());
        assertEquals(Json.parse("{\"id\":\"" + id + "\",\"object\":\"file\",\"deleted\":true}"), checks.get("delete").get("deleted"));
        assertEquals(404, checks.get("gone").get("status").asInt(), checks.get("gone").toString());
        assertTrue(checks.get("gone").get("message").asText().contains(id), checks.get("gone").toString());
    }
}
