package org.cameltaas.gateway.error;

/** 400 for a native Codex request to a model no Codex-capable deployment serves. */
public class NotCodexCapableException extends GatewayException {

    public NotCodexCapableException(String message) {
        super(400, "invalid_request_error", "model_not_codex_capable", "model", message);
    }
}
