package org.cameltaas.gateway.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Uploads the HTTP layer spooled to disk ({@code POST /v1/files}, see the pipeline's upload spooler), handed to the
 * Files API by a random key in the {@link #HEADER} header. The key is 128 random bits and the header is stripped from
 * every client request, so a client can neither name a spooled file nor another client's upload.
 */
public final class SpooledUploads {

    /** The request header that carries the key; removed from whatever a client sends. */
    public static final String HEADER = "x-taas-spooled-upload";

    /** One spooled upload: its file part on disk, or why the body could not be read ({@code problem} non-null). */
    public record Upload(Path file, String filename, String contentType, String purpose, boolean hasFile, String problem) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
    private final Path spoolDir;
    private final long maxUploadBytes;

    public SpooledUploads(Path spoolDir, long maxUploadBytes) {
        this.spoolDir = spoolDir;
        this.maxUploadBytes = maxUploadBytes;
    }

    /** Where uploads are spooled: the content store's spool directory, so keeping one is a move. */
    public Path spoolDir() {
        return spoolDir;
    }

    public long maxUploadBytes() {
        return maxUploadBytes;
    }

    /** Whether a presented token is one the gateway knows; null (every upload is spooled) until the gateway says. */
    private volatile java.util.function.Predicate<String> knownToken;

    /**
     * How to tell a known token (the gateway's token store). An upload whose token is unknown or missing is read
     * and dropped, never written to disk; the route then answers it 401 like any request. Called on the upload
     * threads, never on Netty's: a token store may read through to its database once.
     */
    public void checkTokensWith(java.util.function.Predicate<String> known) {
        this.knownToken = known;
    }

    /** The token of the request's Authorization (Bearer) or x-api-key header, if the gateway knows it. */
    public boolean knowsTokenOf(io.netty.handler.codec.http.HttpHeaders headers) {
        java.util.function.Predicate<String> known = knownToken;
        if (known == null) {
            return true;
        }
        String token = org.cameltaas.gateway.auth.Authenticator.presentedToken(headers.get("Authorization"), headers.get("x-api-key"));
        return token != null && !token.isBlank() && known.test(token.trim());
    }

    /** @return the key naming it */
    public String put(Upload upload) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String key = HexFormat.of().formatHex(random);
        uploads.put(key, upload);
        return key;
    }

    /** The upload of {@code key}, now the caller's; null when there is none. */
    public Upload take(String key) {
        return key == null ? null : uploads.remove(key);
    }

    /** Drops the upload of {@code key} and its file if nobody took it (the request failed before the Files API). */
    public void discard(String key) {
        Upload upload = take(key);
        if (upload != null && upload.file() != null) {
            try {
                Files.deleteIfExists(upload.file());
            } catch (IOException e) {
                // removed at the next start with the rest of the spool directory
            }
        }
    }
}
