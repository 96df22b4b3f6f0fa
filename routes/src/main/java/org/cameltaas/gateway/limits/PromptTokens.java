package org.cameltaas.gateway.limits;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Tokenizer;

/**
 * An up-front estimate of a request's prompt tokens for tokens-per-minute limits: the text of the request JSON
 * (messages, system, input, tools, ...; not the model name or numbers) counted with OpenAI's o200k tokenizer.
 * Other providers' tokenizers differ by some percent; the estimate is corrected with the reported usage after
 * the reply, so it only has to be close. Inline images ({@code data:} URLs) count as a small image, not as base64.
 */
public final class PromptTokens {

    static final int INLINE_IMAGE_TOKENS = 85;

    private PromptTokens() {
    }

    static final String PROPERTY = "TaasPromptTokens";

    /** The estimate of the exchange's request, counted once for the rate limits and the credits. */
    public static long of(org.apache.camel.Exchange exchange) {
        Long known = exchange.getProperty(PROPERTY, Long.class);
        if (known != null) {
            return known;
        }
        long estimate = estimate(exchange.getProperty(org.cameltaas.gateway.GatewayHeaders.REQUEST_JSON, JsonNode.class));
        exchange.setProperty(PROPERTY, estimate);
        return estimate;
    }

    /** The estimate for a parsed request body; 1 for a body without text (a request is never free). */
    public static long estimate(JsonNode request) {
        if (request == null) {
            return 1;
        }
        long[] count = {0};
        walk(request, "", count);
        return Math.max(1, count[0]);
    }

    private static void walk(JsonNode node, String field, long[] count) {
        if (node.isTextual()) {
            String text = node.textValue();
            if (text.startsWith("data:")) {
                count[0] += INLINE_IMAGE_TOKENS;
            } else {
                count[0] += Tokenizer.count(text);
            }
        } else if (node.isArray()) {
            node.forEach(item -> walk(item, field, count));
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                if (!"model".equals(entry.getKey()) || !field.isEmpty()) {
                    walk(entry.getValue(), entry.getKey(), count);
                }
            }
        }
    }
}
