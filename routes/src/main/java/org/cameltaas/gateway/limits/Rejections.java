package org.cameltaas.gateway.limits;

import org.apache.camel.Exchange;
import org.cameltaas.gateway.error.GatewayException;
import org.cameltaas.gateway.metrics.GatewayMetrics;

/** A request over a limit: 429 {@code rate_limit_exceeded} with {@code Retry-After}, counted by limit kind. */
final class Rejections {

    private Rejections() {
    }

    /**
     * @param kind   the limit: {@code rpm}, {@code tpm}, {@code concurrency} or {@code ip}
     * @param type   OpenAI's error type for it: {@code requests} or {@code tokens}
     */
    static GatewayException tooMany(Exchange exchange, GatewayMetrics metrics, String kind, String type, String message,
                                    long retryNanos) {
        long seconds = RateLimitHeaders.retryAfterSeconds(retryNanos);
        exchange.getMessage().setHeader("Retry-After", String.valueOf(seconds));
        metrics.rateLimited(kind);
        return new GatewayException(429, type, "rate_limit_exceeded", null,
                message + " Please try again in " + RateLimitHeaders.duration(retryNanos) + ".");
    }
}
