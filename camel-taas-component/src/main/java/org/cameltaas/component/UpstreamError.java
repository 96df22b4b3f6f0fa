package org.cameltaas.component;

/**
 * An upstream error as the provider described it.
 *
 * @param message the provider's message
 * @param type    the provider's error type ({@code rate_limit_error}, {@code RESOURCE_EXHAUSTED}, ...)
 * @param code    the provider's error code, if any
 * @param param   the offending parameter, if any
 * @param body    the raw error body (API key redacted)
 */
public record UpstreamError(String message, String type, String code, String param, String body) {
}
