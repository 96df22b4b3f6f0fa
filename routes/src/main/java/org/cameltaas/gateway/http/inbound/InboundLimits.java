package org.cameltaas.gateway.http.inbound;

import java.time.Duration;
import java.util.Map;

import org.cameltaas.gateway.cache.EmbeddingsCache;

/**
 * What one client connection may cost the gateway: body and header sizes, how long reading a request may take, how
 * long an idle keep-alive connection stays, and how many connections one address may hold. Read from the
 * environment (docs/hardening.md lists the variables).
 *
 * @param maxBodyBytes          largest request body, whatever its framing (Content-Length or chunked): 413 beyond
 * @param maxHeaderBytes        largest header block: 431 beyond
 * @param headerTimeout         from a request's first byte to the end of its headers: 408 beyond
 * @param bodyIdleTimeout       longest silence while a body is arriving: 408 beyond
 * @param bodyTimeout           the whole body, from the end of the headers: 408 beyond
 * @param keepAliveTimeout      an idle connection (nothing asked, nothing being answered) is closed after this
 * @param maxConnectionsPerIp   concurrent connections per client address (0: no cap)
 * @param maxUploadBytes        largest {@code POST /v1/files} body, spooled to disk ({@code TAAS_FILES_MAX_MB}): 413 beyond
 */
public record InboundLimits(int maxBodyBytes, int maxHeaderBytes, Duration headerTimeout, Duration bodyIdleTimeout,
                            Duration bodyTimeout, Duration keepAliveTimeout, int maxConnectionsPerIp,
                            long maxUploadBytes) {

    /** 25 MB uploads (OpenAI's audio limit) plus their multipart framing. */
    public static final int DEFAULT_MAX_BODY_MB = 26;

    public static InboundLimits defaults() {
        return fromEnv(Map.of());
    }

    public static InboundLimits fromEnv(Map<String, String> env) {
        long bodyMb = number(env, "TAAS_MAX_BODY_MB", DEFAULT_MAX_BODY_MB);
        if (bodyMb < 1 || bodyMb > 1024) {
            throw new IllegalArgumentException("TAAS_MAX_BODY_MB must be between 1 and 1024, not " + bodyMb);
        }
        long headerKb = number(env, "TAAS_MAX_HEADER_KB", 16);
        if (headerKb < 1 || headerKb > 1024) {
            throw new IllegalArgumentException("TAAS_MAX_HEADER_KB must be between 1 and 1024, not " + headerKb);
        }
        return new InboundLimits((int) (bodyMb * 1024 * 1024), (int) (headerKb * 1024),
                duration(env, "TAAS_HEADER_TIMEOUT", Duration.ofSeconds(10)),
                duration(env, "TAAS_BODY_IDLE_TIMEOUT", Duration.ofSeconds(30)),
                duration(env, "TAAS_BODY_TIMEOUT", Duration.ofSeconds(300)),
                duration(env, "TAAS_KEEPALIVE_TIMEOUT", Duration.ofSeconds(75)),
                (int) number(env, "TAAS_MAX_CONNECTIONS_PER_IP", 1000),
                number(env, "TAAS_FILES_MAX_MB", 512) * 1024 * 1024);
    }

    private static long number(Map<String, String> env, String name, long fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not " + value);
        }
    }

    private static Duration duration(Map<String, String> env, String name, Duration fallback) {
        String value = env.get(name);
        Duration d = value == null || value.isBlank() ? fallback : EmbeddingsCache.parseDuration(name, value);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, not " + value);
        }
        return d;
    }
}
