package org.cameltaas.connector.protocol;

/** The other side broke the tunnel protocol: the tunnel is closed. */
public final class TunnelProtocolException extends RuntimeException {

    public TunnelProtocolException(String message) {
        super(message);
    }
}
