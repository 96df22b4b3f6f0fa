package org.cameltaas.component.provider;

import org.cameltaas.component.TaasUsage;

/**
 * A provider's answer to a non-streamed call.
 *
 * @param body        a Jackson tree for JSON replies, {@code byte[]} for binary ones, a String for text ones
 * @param contentType the content type of binary or text bodies, else application/json
 * @param usage       token usage, {@link TaasUsage#NONE} when the reply has none
 * @param model       the model the upstream reports, or null
 */
public record ProviderResult(Object body, String contentType, TaasUsage usage, String model) {
}
