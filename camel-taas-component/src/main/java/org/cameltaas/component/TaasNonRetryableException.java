package org.cameltaas.component;

import java.time.Duration;

/**
 * A failure that another attempt would repeat (a client error such as 400, 401, 403, 404, 422) or that happened
 * after content was already delivered (a stream cut or errored mid-way).
 */
public class TaasNonRetryableException extends TaasUpstreamException {

    public TaasNonRetryableException(String message, Throwable cause, Failure failure, String provider, int statusCode,
                                     UpstreamError error, Duration retryAfter, String upstreamRequestId) {
        super(message, cause, failure, provider, statusCode, error, retryAfter, upstreamRequestId);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
