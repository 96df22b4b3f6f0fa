package org.cameltaas.component;

import java.time.Duration;

import org.apache.camel.CamelException;
import org.cameltaas.component.support.Secrets;

/**
 * An upstream call failed. Carries what a gateway needs to answer its own client and to decide on fallback: the
 * upstream status and error body (never lost), the provider's error type and code, Retry-After, and whether trying
 * another deployment makes sense ({@link TaasRetryableException}) or not ({@link TaasNonRetryableException}).
 * Messages never contain the API key.
 */
public abstract class TaasUpstreamException extends CamelException {

    /** What went wrong, independent of the provider. */
    public enum Failure {
        /** The upstream answered with an error status. */
        HTTP_STATUS,
        /** The upstream could not be reached (refused, reset, DNS, TLS, connect time-out). */
        CONNECT,
        /** No response headers (or, for a stream, no first event) within the first-token time-out. */
        FIRST_TOKEN_TIMEOUT,
        /** A stream or body went quiet for longer than the idle time-out. */
        IDLE_TIMEOUT,
        /** The whole call took longer than the total time-out. */
        TOTAL_TIMEOUT,
        /** The upstream reported an error inside its event stream. */
        STREAM_ERROR,
        /** The upstream closed the stream before its terminator. */
        STREAM_CUT,
        /** The upstream sent something that is not valid for its protocol. */
        MALFORMED,
        /** Any other I/O failure after the call began. */
        IO,
        /** The deployment's circuit breaker is open: the call was not sent. */
        CIRCUIT_OPEN
    }

    private final Failure failure;
    private final String provider;
    private final int statusCode;
    private final String errorBody;
    private final String errorType;
    private final String errorCode;
    private final String errorParam;
    private final String upstreamMessage;
    private final Duration retryAfter;
    private final String upstreamRequestId;

    protected TaasUpstreamException(String message, Throwable cause, Failure failure, String provider, int statusCode,
                                    UpstreamError error, Duration retryAfter, String upstreamRequestId) {
        super(Secrets.redact(message), cause);
        this.failure = failure;
        this.provider = provider;
        this.statusCode = statusCode;
        this.errorBody = error != null ? Secrets.redact(error.body()) : null;
        this.errorType = error != null ? error.type() : null;
        this.errorCode = error != null ? error.code() : null;
        this.errorParam = error != null ? error.param() : null;
        this.upstreamMessage = error != null ? Secrets.redact(error.message()) : null;
        this.retryAfter = retryAfter;
        this.upstreamRequestId = upstreamRequestId;
    }

    /** Whether another attempt (on this or another deployment) may succeed. */
    public abstract boolean isRetryable();

    public Failure getFailure() {
        return failure;
    }

    public String getProvider() {
        return provider;
    }

    /** The upstream HTTP status, or 0 when no response arrived. */
    public int getStatusCode() {
        return statusCode;
    }

    /** The upstream's error body as received (API key redacted), or null. */
    public String getErrorBody() {
        return errorBody;
    }

    /** The provider's error type (e.g. {@code rate_limit_error}), or null. */
    public String getErrorType() {
        return errorType;
    }

    /** The provider's error code (e.g. {@code context_length_exceeded}), or null. */
    public String getErrorCode() {
        return errorCode;
    }

    public String getErrorParam() {
        return errorParam;
    }

    /** The provider's own error message, or null. */
    public String getUpstreamMessage() {
        return upstreamMessage;
    }

    /** The upstream's Retry-After, or null. */
    public Duration getRetryAfter() {
        return retryAfter;
    }

    public String getUpstreamRequestId() {
        return upstreamRequestId;
    }

    /**
     * The status a gateway should answer its own client with: upstream 4xx pass through, upstream 5xx and broken
     * streams are 502, unreachable upstreams 503, time-outs 504.
     */
    public int getGatewayStatus() {
        return switch (failure) {
            case HTTP_STATUS -> statusCode >= 400 && statusCode < 500 ? statusCode : 502;
            case CONNECT, CIRCUIT_OPEN -> 503;
            case FIRST_TOKEN_TIMEOUT, IDLE_TIMEOUT, TOTAL_TIMEOUT -> 504;
            default -> 502;
        };
    }
}
