package org.cameltaas.component;

import java.time.Duration;

/**
 * A failure before any content reached the caller that another attempt may get past: 408, 429, 5xx, connect
 * errors, time-outs before the first token, an error event before the first content. Fallback targets this type.
 */
public class TaasRetryableException extends TaasUpstreamException {

    public TaasRetryableException(String message, Throwable cause, Failure failure, String provider, int statusCode,
                                  UpstreamError error, Duration retryAfter, String upstreamRequestId) {
        super(message, cause, failure, provider, statusCode, error, retryAfter, upstreamRequestId);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
