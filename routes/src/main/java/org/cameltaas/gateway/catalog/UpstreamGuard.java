package org.cameltaas.gateway.catalog;

import org.apache.camel.Exchange;
import org.cameltaas.gateway.GatewayHeaders;
import org.cameltaas.gateway.error.GatewayException;
import org.cameltaas.gateway.error.UpstreamNotConfiguredException;

/** Stops a request for a model whose upstream has no key or base URL yet, naming what to set. */
public class UpstreamGuard {

    public void check(Exchange exchange, String configured, String setupHint) {
        if (!"false".equalsIgnoreCase(configured)) {
            return;
        }
        throw new UpstreamNotConfiguredException("No upstream is configured for model "
                + exchange.getProperty(GatewayHeaders.MODEL) + ": set " + setupHint + " and restart the gateway");
    }

    /** The native Codex surface reaches only deployments marked Codex-capable. */
    public void checkCodex(Exchange exchange, String codexCapable) {
        if (Boolean.TRUE.equals(exchange.getProperty(GatewayHeaders.CODEX, Boolean.class)) && !"true".equalsIgnoreCase(codexCapable)) {
            throw new GatewayException(400, "invalid_request_error", "model_not_codex_capable", "model",
                    "The model " + exchange.getProperty(GatewayHeaders.MODEL)
                    + " is not served by a Codex-capable deployment; use /v1/responses instead");
        }
    }
}
