package org.cameltaas.tenancy;

/**
 * A request the admin API refuses, with the status and the OpenAI error fields to answer with: 400 unknown fields,
 * 401/403 credentials, 404 unknown ids, 409 duplicate names, 422 invalid values.
 */
public class TenancyException extends RuntimeException {

    private final int status;
    private final String code;
    private final String param;

    public TenancyException(int status, String code, String param, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.param = param;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }

    /** The OpenAI error type for the status. */
    public String type() {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 409 -> "conflict_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    static TenancyException notFound(String what, String id) {
        return new TenancyException(404, what + "_not_found", null, "No " + what + " with id " + id + ".");
    }

    static TenancyException invalid(String param, String message) {
        return new TenancyException(422, "invalid_value", param, message);
    }
}
