package org.cameltaas.gateway.catalog;

import org.apache.camel.Exchange;
import org.cameltaas.gateway.GatewayHeaders;
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
}
