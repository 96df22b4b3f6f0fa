package org.cameltaas.gateway.http.inbound;

import java.io.File;
import java.util.Map;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

/**
 * HTTPS on the gateway itself: {@code TAAS_TLS_CERT_FILE} (a PEM certificate chain) and {@code TAAS_TLS_KEY_FILE}
 * (its PKCS#8 PEM private key), both or neither. Without them the gateway speaks plain HTTP (behind a proxy that
 * terminates TLS, the usual set-up).
 */
public final class GatewayTls {

    private GatewayTls() {
    }

    /** The server context, or null when TLS is not configured; a start with only one of the two files fails. */
    public static SslContext fromEnv(Map<String, String> env) {
        String cert = env.getOrDefault("TAAS_TLS_CERT_FILE", "").trim();
        String key = env.getOrDefault("TAAS_TLS_KEY_FILE", "").trim();
        if (cert.isEmpty() && key.isEmpty()) {
            return null;
        }
        if (cert.isEmpty() || key.isEmpty()) {
            throw new IllegalArgumentException("TAAS_TLS_CERT_FILE and TAAS_TLS_KEY_FILE go together: set both or neither");
        }
        try {
            return SslContextBuilder.forServer(new File(cert), new File(key)).build();
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot read the TLS certificate " + cert + " and key " + key + ": "
                    + e.getMessage(), e);
        }
    }
}
