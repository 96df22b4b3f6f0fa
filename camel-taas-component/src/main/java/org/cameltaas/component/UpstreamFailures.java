package org.cameltaas.component;

import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;

import javax.net.ssl.SSLException;

import org.cameltaas.component.TaasUpstreamException.Failure;

/** Builds the typed failures, with the one rule of what is worth retrying. */
public final class UpstreamFailures {

    private UpstreamFailures() {
    }

    /** 408, 429 and 5xx (Anthropic's 529 included) may succeed elsewhere; other statuses would fail again. */
    public static boolean isRetryableStatus(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    public static TaasUpstreamException httpStatus(String provider, int status, UpstreamError error, Duration retryAfter,
                                                   String requestId) {
        String detail = error != null && error.message() != null ? error.message() : "no error message";
        String message = provider + " upstream answered " + status + ": " + detail;
        return isRetryableStatus(status)
                ? new TaasRetryableException(message, null, Failure.HTTP_STATUS, provider, status, error, retryAfter, requestId)
                : new TaasNonRetryableException(message, null, Failure.HTTP_STATUS, provider, status, error, retryAfter, requestId);
    }

    /** A failure before any response: connection problems are retryable, so is an I/O error before the headers. */
    public static TaasUpstreamException beforeResponse(String provider, String baseUrl, Throwable cause) {
        Throwable root = unwrap(cause);
        boolean connect = root instanceof ConnectException || root instanceof HttpConnectTimeoutException
                || root instanceof UnresolvedAddressException || root instanceof SSLException;
        Failure failure = connect ? Failure.CONNECT : Failure.IO;
        String message = provider + " upstream " + baseUrl + (connect ? " is unreachable: " : " failed before responding: ")
                + describe(root);
        return new TaasRetryableException(message, root, failure, provider, 0, null, null, null);
    }

    public static TaasUpstreamException timeout(String provider, Failure failure, Duration limit, boolean contentDelivered) {
        String what = switch (failure) {
            case FIRST_TOKEN_TIMEOUT -> "sent nothing within the first-token time-out";
            case IDLE_TIMEOUT -> "went quiet for longer than the idle time-out";
            default -> "did not finish within the total time-out";
        };
        String message = provider + " upstream " + what + " (" + limit.toMillis() + " ms)";
        return contentDelivered
                ? new TaasNonRetryableException(message, null, failure, provider, 0, null, null, null)
                : new TaasRetryableException(message, null, failure, provider, 0, null, null, null);
    }

    /** An error inside a 2xx stream: retryable only while nothing has been delivered and the error type allows. */
    public static TaasUpstreamException streamError(String provider, UpstreamError error, boolean retryableKind,
                                                    boolean contentDelivered, String requestId) {
        String message = provider + " upstream reported an error in its stream: "
                + (error.message() != null ? error.message() : error.type());
        return retryableKind && !contentDelivered
                ? new TaasRetryableException(message, null, Failure.STREAM_ERROR, provider, 0, error, null, requestId)
                : new TaasNonRetryableException(message, null, Failure.STREAM_ERROR, provider, 0, error, null, requestId);
    }

    public static TaasUpstreamException streamBroken(String provider, Failure failure, String detail, Throwable cause,
                                                     boolean contentDelivered, String requestId) {
        String message = provider + " upstream stream " + detail;
        return contentDelivered
                ? new TaasNonRetryableException(message, cause, failure, provider, 0, null, null, requestId)
                : new TaasRetryableException(message, cause, failure, provider, 0, null, null, requestId);
    }

    static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof java.util.concurrent.CompletionException
                || current instanceof java.util.concurrent.ExecutionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static String describe(Throwable t) {
        String msg = t.getMessage();
        return t.getClass().getSimpleName() + (msg != null ? " (" + msg + ")" : "");
    }
}
