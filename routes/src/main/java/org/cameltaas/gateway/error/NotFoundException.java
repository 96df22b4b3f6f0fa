package org.cameltaas.gateway.error;

/** 404 for a path the gateway does not serve; YAML routes throw it with the message of their choice. */
public class NotFoundException extends GatewayException {

    public NotFoundException(String message) {
        super(404, "invalid_request_error", "not_found", null, message);
    }
}
