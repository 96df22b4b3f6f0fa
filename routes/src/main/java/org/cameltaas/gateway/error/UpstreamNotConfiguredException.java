package org.cameltaas.gateway.error;

/** 503 for a model whose upstream has no base URL or key yet; the message names the variable to set. */
public class UpstreamNotConfiguredException extends GatewayException {

    public UpstreamNotConfiguredException(String message) {
        super(503, "service_unavailable", "upstream_not_configured", "model", message);
    }
}
