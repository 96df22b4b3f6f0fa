package org.cameltaas.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Tokens are kept as {@code sha256:<hex>} only. */
public final class TokenHashes {

    public static final String PREFIX = "sha256:";

    private TokenHashes() {
    }

    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Compares two hashes in time independent of where they differ. */
    public static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code java -cp camel-taas-gateway.jar org.cameltaas.gateway.auth.TokenHashes taas_...} prints the hash to store. */
    public static void main(String[] args) {
        if (args.length != 1 || !args[0].startsWith("taas_")) {
            System.err.println("usage: TokenHashes taas_<token>");
            System.exit(2);
        }
        System.out.println(hash(args[0]));
    }
}
