package org.cameltaas.tenancy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Token secrets: {@code taas_} and 40 base62 characters (about 238 bits) from a CSPRNG, shown once and kept only as
 * {@code sha256:<hex>} (the same form TAAS_TOKENS_FILE uses), with a short non-secret prefix for display.
 */
public final class Secrets {

    public static final String TOKEN_PREFIX = "taas_";
    private static final String HASH_PREFIX = "sha256:";
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    public static String newToken() {
        StringBuilder token = new StringBuilder(TOKEN_PREFIX);
        for (int i = 0; i < 40; i++) {
            token.append(BASE62[RANDOM.nextInt(BASE62.length)]);
        }
        return token.toString();
    }

    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HASH_PREFIX + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** {@code taas_} and the first four characters of the secret: enough to tell tokens apart in a list. */
    public static String displayPrefix(String token) {
        return token.substring(0, Math.min(token.length(), TOKEN_PREFIX.length() + 4));
    }

    /** Compares two hashes in time independent of where they differ. */
    public static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
