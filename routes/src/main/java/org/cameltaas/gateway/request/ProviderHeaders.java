package org.cameltaas.gateway.request;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Message;
import org.cameltaas.component.TaasConstants;

/**
 * The client request headers the gateway offers to the upstream, by allow-list: the providers' own request headers
 * (Claude Code refuses to work without its {@code anthropic-beta}s). The component forwards each to its own
 * provider only (anthropic-* to Anthropic, OpenAI-* to OpenAI-compatible servers, x-goog-user-project to Gemini)
 * and drops it on a path translated to another provider, which has no counterpart for it. Credentials are never
 * among them.
 */
final class ProviderHeaders {

    /** Documented in docs/gateway.md ("Provider headers"). */
    static final List<String> ALLOWED = List.of("anthropic-beta", "anthropic-version", "openai-beta",
            "openai-organization", "openai-project", "x-goog-user-project");
    private static final int MAX_VALUE_CHARS = 2048;

    private ProviderHeaders() {
    }

    static void offer(Message message) {
        Map<String, Object> offered = null;
        for (String name : ALLOWED) {
            String value = message.getHeader(name, String.class);
            if (value != null && !value.isBlank() && value.length() <= MAX_VALUE_CHARS) {
                if (offered == null) {
                    offered = new LinkedHashMap<>();
                }
                offered.put(name, value.trim());
            }
        }
        if (offered != null) {
            message.setHeader(TaasConstants.CLIENT_HEADERS, offered);
        }
    }
}
