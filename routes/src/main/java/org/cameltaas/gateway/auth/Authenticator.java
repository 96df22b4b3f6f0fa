package org.cameltaas.gateway.auth;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.cameltaas.gateway.GatewayHeaders;
import org.cameltaas.gateway.error.GatewayException;

/**
 * Accepts {@code Authorization: Bearer <token>} (OpenAI SDKs, newer Anthropic SDKs) or {@code x-api-key: <token>}
 * (older Anthropic SDKs); anything else is 401 {@code invalid_api_key}.
 */
public class Authenticator implements Processor {

    private final TokenStore tokens;

    public Authenticator(TokenStore tokens) {
        this.tokens = tokens;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        String token = presentedToken(message.getHeader("Authorization", String.class), message.getHeader("x-api-key", String.class));
        if (token == null || token.isBlank()) {
            throw new GatewayException(401, "invalid_request_error", "invalid_api_key", null,
                    "Missing API key: send Authorization: Bearer taas_... (or x-api-key).");
        }
        Principal principal = tokens.authenticate(token.trim())
                .orElseThrow(() -> new GatewayException(401, "invalid_request_error", "invalid_api_key", null,
                        "Invalid API key. Tokens start with taas_; check the token you sent."));
        exchange.setProperty(GatewayHeaders.PRINCIPAL, principal);
    }

    /** The token a request presents: its {@code Authorization: Bearer} value, else its {@code x-api-key}; null for none. */
    public static String presentedToken(String authorization, String apiKey) {
        String bearer = bearer(authorization);
        return bearer != null ? bearer : apiKey;
    }

    private static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        return value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).trim() : null;
    }
}
