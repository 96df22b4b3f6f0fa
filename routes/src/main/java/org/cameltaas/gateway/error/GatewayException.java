package org.cameltaas.gateway.error;

/**
 * A request the gateway refuses itself, with everything its error envelope needs. Thrown from processors and
 * from YAML ({@code throwException}); turned into a reply by {@link ErrorResponder}.
 */
public class GatewayException extends RuntimeException {

    private final int status;
    private final String type;
    private final String code;
    private final String param;

    public GatewayException(int status, String type, String code, String param, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
    }

    public static GatewayException badRequest(String code, String param, String message) {
        return new GatewayException(400, "invalid_request_error", code, param, message);
    }

    public static GatewayException unprocessable(String param, String message) {
        return new GatewayException(422, "invalid_request_error", "invalid_value", param, message);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }
}
