package org.cameltaas.gateway;

import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Uploads are spooled to disk by the HTTP layer, not aggregated: a 40 MB file (above TAAS_MAX_BODY_MB, 26 MB) is
 * stored and comes back byte for byte; past TAAS_FILES_MAX_MB (48 here) is a 413; the internal header that names a
 * spooled upload cannot be forged.
 */
class FilesUploadStreamingTest extends GatewayTestSupport {

    static final String BOUNDARY = "taas-test-boundary-7f3a";

    static Path dataDir;

    @BeforeAll
    static void startGateway() throws Exception {
        dataDir = Files.createTempDirectory("taas-files-data");
        GatewayTestSupport.startGateway(Map.of("TAAS_FILES_QUOTA_MB", "200", "TAAS_FILES_MAX_MB", "48",
                "TAAS_DATA_DIR", dataDir.toString()));
    }

    /** A multipart body streamed from a file, never built in memory by the test either. */
    static HttpRequest.BodyPublisher multipart(Path file, String purpose) {
        String head = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n" + purpose + "\r\n"
                + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + file.getFileName()
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
        String tail = "\r\n--" + BOUNDARY + "--\r\n";
        return HttpRequest.BodyPublishers.ofInputStream(() -> {
            try {
                InputStream body = Files.newInputStream(file);
                return new SequenceInputStream(Collections.enumeration(List.of(
                        new java.io.ByteArrayInputStream(head.getBytes(StandardCharsets.UTF_8)), body,
                        new java.io.ByteArrayInputStream(tail.getBytes(StandardCharsets.UTF_8)))));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    static Path randomFile(long bytes) throws Exception {
        Path file = Files.createTempDirectory("taas-files-big").resolve("big.bin");
        Random random = new Random(42);
        byte[] block = new byte[1024 * 1024];
        try (var out = Files.newOutputStream(file)) {
            for (long written = 0; written < bytes; written += block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, bytes - written));
            }
        }
        return file;
    }

    static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (DigestInputStream digesting = new DigestInputStream(in, digest)) {
            digesting.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static HttpRequest.Builder upload(HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(URI.create(base() + "/v1/files")).header("Authorization", "Bearer " + MASTER_KEY)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY).POST(body);
    }

    @Test
    void aFortyMegabyteUploadIsSpooledToDiskAndComesBackByteForByte() throws Exception {
        long size = 40L * 1024 * 1024;
        Path file = randomFile(size);
        HttpResponse<String> created = send(upload(multipart(file, "user_data")));
        assertEquals(200, created.statusCode(), created.body());
        JsonNode stored = Json.parse(created.body());
        assertEquals(size, stored.get("bytes").asLong());
        assertEquals("big.bin", stored.get("filename").asText());
        assertEquals(String.valueOf(size), created.headers().firstValue("x-storage-used-bytes").orElseThrow());
        String id = stored.get("id").asText();

        HttpResponse<InputStream> content = http.send(HttpRequest.newBuilder(URI.create(base() + "/v1/files/" + id + "/content"))
                .header("Authorization", "Bearer " + MASTER_KEY).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, content.statusCode());
        assertEquals(String.valueOf(size), content.headers().firstValue("content-length").orElseThrow());
        assertEquals("application/octet-stream", content.headers().firstValue("content-type").orElseThrow());
        assertEquals(sha256(Files.newInputStream(file)), sha256(content.body()));

        HttpResponse<String> deleted = send(HttpRequest.newBuilder(URI.create(base() + "/v1/files/" + id))
                .header("Authorization", "Bearer " + MASTER_KEY).DELETE());
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertEquals("0", deleted.headers().firstValue("x-storage-used-bytes").orElseThrow());
        Files.delete(file);
    }

    @Test
    void anUploadWithAnUnknownTokenWritesNothingToDiskAndGets401() throws Exception {
        Path spool = dataDir.resolve("files").resolve("tmp");
        Path file = randomFile(8L * 1024 * 1024);
        try (java.nio.file.WatchService watch = spool.getFileSystem().newWatchService()) {
            spool.register(watch, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE);
            // a client of its own: the refused upload's connection is not one the other tests reuse
            HttpResponse<String> refused = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                    .build().send(HttpRequest.newBuilder(URI.create(base() + "/v1/files"))
                    .header("Authorization", "Bearer taas_not_a_known_token_0000000000")
                    .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY).POST(multipart(file, "user_data"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertError(refused, 401, "invalid_api_key");
            java.nio.file.WatchKey key = watch.poll(500, java.util.concurrent.TimeUnit.MILLISECONDS);
            assertTrue(key == null || key.pollEvents().isEmpty(), "an unknown token's upload reached the disk");
        }
        Files.delete(file);
    }

    @Test
    void anUploadPastTheFilesLimitIsRefusedWith413() throws Exception {
        Path file = randomFile(50L * 1024 * 1024);
        HttpResponse<String> refused = send(upload(HttpRequest.BodyPublishers.ofFile(file)));
        assertError(refused, 413, "request_too_large");
        assertTrue(refused.body().contains("48 MB"), refused.body());
        Files.delete(file);
    }

    @Test
    void spooledUploadsAnswerBadInputInTheEnvelope() throws Exception {
        Path empty = Files.createTempDirectory("taas-files-empty").resolve("empty.txt");
        Files.write(empty, new byte[0]);
        assertError(send(upload(multipart(empty, "user_data"))), 400, "empty_file");
        Path one = Files.createTempDirectory("taas-files-one").resolve("one.txt");
        Files.write(one, new byte[] {1});
        assertError(send(upload(multipart(one, "nonsense"))), 400, "invalid_purpose");
        String noFile = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--" + BOUNDARY + "--\r\n";
        assertError(send(upload(HttpRequest.BodyPublishers.ofString(noFile))), 400, "missing_file");
        assertError(send(HttpRequest.newBuilder(URI.create(base() + "/v1/files")).header("Authorization", "Bearer " + MASTER_KEY)
                .header("Content-Type", "multipart/form-data").POST(HttpRequest.BodyPublishers.ofString("x"))), 400, "invalid_multipart");
        // no spool file is left behind by refused uploads
        Path spool = dataDir.resolve("files/tmp");
        for (int i = 0; i < 50 && Files.list(spool).findAny().isPresent(); i++) {
            Thread.sleep(100);
        }
        try (var left = Files.list(spool)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void aClientCannotForgeTheSpooledUploadHeader() throws Exception {
        HttpResponse<String> forged = send(HttpRequest.newBuilder(URI.create(base() + "/v1/files"))
                .header("Authorization", "Bearer " + MASTER_KEY).header("x-taas-spooled-upload", "00112233445566778899aabbccddeeff")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertError(forged, 415, "unsupported_media_type");
    }
}
