package org.cameltaas.component.provider.bedrock;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for one request: signs the host, {@code x-amz-date}, the content type and the session
 * token (when present) and the hash of the exact body bytes, and adds the {@code Authorization} header. The secret never leaves this class; only the signature travels.
 */
final class SigV4Signer {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** An access key pair, with the session token of temporary credentials (or null). */
    record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {

        /** {@code <access key id>:<secret access key>[:<session token>]}; null when {@code key} is not of that form. */
        static Credentials parse(String key) {
            if (key == null) {
                return null;
            }
            String[] parts = key.split(":", 3);
            if (parts.length < 2 || parts[0].isBlank() || parts[1].isBlank()) {
                return null;
            }
            return new Credentials(parts[0].trim(), parts[1].trim(), parts.length == 3 && !parts[2].isBlank() ? parts[2].trim() : null);
        }

        @Override
        public String toString() {
            return "Credentials[" + accessKeyId + ", secret ***]";
        }
    }

    private SigV4Signer() {
    }

    /** Adds the signing headers to {@code headers} (which must hold every other header that will be sent). */
    static void sign(String method, URI uri, Map<String, String> headers, byte[] body, Credentials credentials,
                     String region, String service, Instant now) {
        String stamp = STAMP.format(now);
        String date = stamp.substring(0, 8);
        String payloadHash = hex(sha256(body == null ? new byte[0] : body));
        headers.put("x-amz-date", stamp);
        if (credentials.sessionToken() != null) {
            headers.put("x-amz-security-token", credentials.sessionToken());
        }
        TreeMap<String, String> signed = new TreeMap<>();
        signed.put("host", hostHeader(uri));
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("x-amz-") || lower.equals("content-type")) {
                signed.put(lower, value.trim().replaceAll(" +", " "));
            }
        });
        StringBuilder canonicalHeaders = new StringBuilder();
        signed.forEach((name, value) -> canonicalHeaders.append(name).append(':').append(value).append('\n'));
        String signedHeaders = String.join(";", signed.keySet());
        String canonicalRequest = method + '\n' + canonicalPath(uri) + '\n' + canonicalQuery(uri) + '\n'
                + canonicalHeaders + '\n' + signedHeaders + '\n' + payloadHash;
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + stamp + '\n' + scope + '\n' + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        String signature = hex(hmac(key, toSign));
        headers.put("Authorization", "AWS4-HMAC-SHA256 Credential=" + credentials.accessKeyId() + "/" + scope
                + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
    }

    /** What the HTTP client sends as Host: the port only when it is not the scheme's default. */
    static String hostHeader(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1 || ("https".equals(uri.getScheme()) && port == 443) || ("http".equals(uri.getScheme()) && port == 80);
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    /** The path as sent (already percent-encoded), each segment encoded once more, as every service but S3 wants. */
    private static String canonicalPath(URI uri) {
        String path = uri.getRawPath();
        if (path == null || path.isEmpty()) {
            return "/";
        }
        String[] segments = path.split("/", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                out.append('/');
            }
            out.append(encode(segments[i]));
        }
        return out.toString();
    }

    private static String canonicalQuery(URI uri) {
        String query = uri.getRawQuery();
        if (query == null || query.isEmpty()) {
            return "";
        }
        TreeMap<String, String> pairs = new TreeMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            pairs.put(encode(decode(name)), encode(decode(value)));
        }
        StringBuilder out = new StringBuilder();
        pairs.forEach((name, value) -> out.append(out.length() == 0 ? "" : "&").append(name).append('=').append(value));
        return out.toString();
    }

    /** RFC 3986 unreserved characters stay, everything else is %XX (upper case). */
    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static String decode(String text) {
        return java.net.URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
