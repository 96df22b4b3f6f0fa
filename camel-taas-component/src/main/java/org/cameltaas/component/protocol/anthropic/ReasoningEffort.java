package org.cameltaas.component.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;

/**
 * Anthropic's extended thinking budget as chat's {@code reasoning_effort}: up to 2048 tokens is low, up to 8192
 * medium, more is high.
 */
final class ReasoningEffort {

    static final int LOW_MAX_BUDGET = 2048;
    static final int MEDIUM_MAX_BUDGET = 8192;

    private ReasoningEffort() {
    }

    /** The effort for a {@code thinking} object, or null when thinking is absent or not enabled. */
    static String of(JsonNode thinking) {
        if (!"enabled".equals(Json.textOf(thinking, "type"))) {
            return null;
        }
        JsonNode budget = thinking.get("budget_tokens");
        // Anthropic requires the budget; should a client leave it out, the middle is the least surprising guess
        return budget != null && budget.isNumber() ? forBudget(budget.asLong()) : "medium";
    }

    static String forBudget(long budgetTokens) {
        if (budgetTokens <= LOW_MAX_BUDGET) {
            return "low";
        }
        return budgetTokens <= MEDIUM_MAX_BUDGET ? "medium" : "high";
    }
}
