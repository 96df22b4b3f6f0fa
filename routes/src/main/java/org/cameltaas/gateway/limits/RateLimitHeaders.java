package org.cameltaas.gateway.limits;

import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * OpenAI's rate-limit reply headers for one request: {@code x-ratelimit-limit-requests},
 * {@code -remaining-requests}, {@code -reset-requests} and the {@code -tokens} trio. The requests trio describes the
 * tightest request limit that applied (the token's rpm or the client IP's net); the tokens trio the token's tpm.
 * Kept in an exchange property until the reply's headers are written.
 */
public final class RateLimitHeaders {

    /** The exchange property holding this request's headers. */
    public static final String PROPERTY = "TaasRateLimitHeaders";

    private Trio requests;
    private Trio tokens;

    private record Trio(long limit, long remaining, long resetNanos) {
    }

    static RateLimitHeaders of(Exchange exchange) {
        RateLimitHeaders headers = exchange.getProperty(PROPERTY, RateLimitHeaders.class);
        if (headers == null) {
            headers = new RateLimitHeaders();
            exchange.setProperty(PROPERTY, headers);
        }
        return headers;
    }

    synchronized void requests(long limit, RateLimiter.Probe probe) {
        Trio trio = new Trio(limit, probe.remaining(), probe.nanosToReset());
        if (requests == null || trio.remaining < requests.remaining) {
            requests = trio;
        }
    }

    synchronized void tokens(long limit, RateLimiter.Probe probe) {
        tokens = new Trio(limit, probe.remaining(), probe.nanosToReset());
    }

    /** Puts the headers on a reply (called where every reply gets its headers, streams before their first byte). */
    public static void write(Exchange exchange, Message message) {
        RateLimitHeaders headers = exchange.getProperty(PROPERTY, RateLimitHeaders.class);
        if (headers != null) {
            headers.write(message);
        }
    }

    private synchronized void write(Message message) {
        if (requests != null) {
            message.setHeader("x-ratelimit-limit-requests", String.valueOf(requests.limit));
            message.setHeader("x-ratelimit-remaining-requests", String.valueOf(requests.remaining));
            message.setHeader("x-ratelimit-reset-requests", duration(requests.resetNanos));
        }
        if (tokens != null) {
            message.setHeader("x-ratelimit-limit-tokens", String.valueOf(tokens.limit));
            message.setHeader("x-ratelimit-remaining-tokens", String.valueOf(tokens.remaining));
            message.setHeader("x-ratelimit-reset-tokens", duration(tokens.resetNanos));
        }
    }

    /** OpenAI's (Go's) duration format, to the millisecond: {@code 20ms}, {@code 1s}, {@code 1.5s}, {@code 6m0s}, {@code 1h0m0s}. */
    static String duration(long nanos) {
        long millis = Math.max(0, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
        if (millis < 1000) {
            return millis + "ms";
        }
        long hours = millis / 3_600_000;
        long minutes = millis / 60_000 % 60;
        String seconds = BigDecimal.valueOf(millis % 60_000, 3).stripTrailingZeros().toPlainString() + "s";
        if (hours > 0) {
            return hours + "h" + minutes + "m" + seconds;
        }
        return minutes > 0 ? minutes + "m" + seconds : seconds;
    }

    /** Whole seconds for {@code Retry-After}: rounded up, at least 1. */
    static long retryAfterSeconds(long nanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanos + 999_999_999));
    }
}
