package org.cameltaas.component.provider.anthropic;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;

import static org.cameltaas.component.protocol.Refusals.refuse;

/**
 * An OpenAI Chat Completions body as an Anthropic Messages body.
 * <p>
 * Anthropic rejects fields it does not know, so only fields with an Anthropic counterpart are carried over
 * (messages, tools, {@code max_tokens}/{@code max_completion_tokens}, {@code temperature}, {@code top_p},
 * {@code stop}, {@code user}, {@code response_format}, {@code reasoning_effort}); OpenAI-only fields such as
 * {@code seed}, {@code logprobs} or the penalties are dropped. Where the two APIs differ:
 * <ul>
 * <li>{@code max_tokens} is required by Anthropic: {@value #DEFAULT_MAX_TOKENS} when the caller sets none.</li>
 * <li>{@code temperature} goes up to 2 at OpenAI, 1 at Anthropic: higher values are sent as 1.</li>
 * <li>{@code response_format} (JSON mode) becomes a system prompt instruction, see {@link JsonModeInstruction}.</li>
 * <li>{@code reasoning_effort} becomes extended thinking with a token budget; {@code max_tokens}, which at
 * Anthropic includes the thinking, is raised by the budget when it would not leave room for an answer.</li>
 * <li>{@code n} above 1 is refused: Anthropic answers with one choice only.</li>
 * </ul>
 * Anthropic-only features are reached through an escape hatch: a top-level field {@code anthropic_<name>} is sent
 * as {@code <name>}, and the fields of an {@code "anthropic": {...}} object are sent as they are. Both are applied
 * last, so they replace translated fields of the same name (e.g. {@code "anthropic_thinking": {...}}). They reach
 * the body only; Anthropic headers such as {@code anthropic-beta} are set with the {@code upstreamHeader.*} options.
 * <p>
 * What cannot be translated (audio input, OpenAI file ids, invalid tool arguments, ...) is refused before anything
 * is sent, see {@link org.cameltaas.component.protocol.Refusals}.
 */
final class ChatRequestTranslator {

    static final int DEFAULT_MAX_TOKENS = 4096;
    static final String ESCAPE_PREFIX = "anthropic_";
    static final String ESCAPE_OBJECT = "anthropic";

    /** Thinking budgets for OpenAI's reasoning efforts; 1024 is Anthropic's minimum. */
    private static final Map<String, Integer> THINKING_BUDGETS =
            Map.of("minimal", 1024, "low", 1024, "medium", 4096, "high", 16384);

    private ChatRequestTranslator() {
    }

    /**
     * @param chat   the OpenAI body; read only
     * @param model  the model to call (the request's resolved model)
     * @param stream whether to ask for an event stream
     */
    static ObjectNode translate(JsonNode chat, String model, boolean stream) {
        refuseSeveralChoices(chat);
        ObjectNode body = Json.object();
        if (model != null) {
            body.put("model", model);
        }
        Integer thinkingBudget = thinkingBudget(chat.get("reasoning_effort"));
        body.put("max_tokens", maxTokens(chat, thinkingBudget));

        ConversationTranslator.Conversation conversation = ConversationTranslator.translate(chat.get("messages"));
        List<ObjectNode> system = new ArrayList<>(conversation.system());
        String jsonMode = JsonModeInstruction.of(chat.get("response_format"));
        if (jsonMode != null) {
            // a block of its own, so that cache_control breakpoints on the caller's blocks still match
            system.add(ContentBlocks.text(jsonMode));
        }
        if (!system.isEmpty()) {
            body.set("system", system.size() == 1 && Turns.isPlainText(system.get(0))
                    ? system.get(0).get("text") : Json.MAPPER.createArrayNode().addAll(system));
        }
        body.set("messages", conversation.messages());

        ToolTranslator.translate(chat, body);
        sampling(chat, body);
        metadata(chat, body);
        if (thinkingBudget != null) {
            body.putObject("thinking").put("type", "enabled").put("budget_tokens", thinkingBudget);
        }
        if (stream) {
            body.put("stream", true);
        }
        applyEscapeHatch(chat, body);
        return body;
    }

    private static void refuseSeveralChoices(JsonNode chat) {
        JsonNode n = chat.get("n");
        if (n != null && n.isNumber() && n.asInt() > 1) {
            throw refuse("n_not_supported", "n=" + n.asInt() + " asks for several choices; Anthropic answers with one");
        }
    }

    private static int maxTokens(JsonNode chat, Integer thinkingBudget) {
        JsonNode requested = chat.get("max_completion_tokens");
        if (requested == null || !requested.isNumber()) {
            requested = chat.get("max_tokens");
        }
        int maxTokens = requested != null && requested.isNumber() ? requested.asInt() : DEFAULT_MAX_TOKENS;
        if (thinkingBudget != null && maxTokens <= thinkingBudget) {
            maxTokens += thinkingBudget; // Anthropic requires max_tokens > budget_tokens; keep the caller's answer room
        }
        return maxTokens;
    }

    private static Integer thinkingBudget(JsonNode effort) {
        if (effort == null || effort.isNull() || "none".equals(effort.asText())) {
            return null;
        }
        Integer budget = THINKING_BUDGETS.get(effort.asText());
        if (budget == null) {
            throw refuse("invalid_reasoning_effort", "reasoning_effort '" + effort.asText()
                    + "' is not one of none, minimal, low, medium, high");
        }
        return budget;
    }

    private static void sampling(JsonNode chat, ObjectNode body) {
        JsonNode temperature = chat.get("temperature");
        if (temperature != null && !temperature.isNull()) {
            boolean aboveAnthropicMax = temperature.isNumber() && temperature.decimalValue().compareTo(BigDecimal.ONE) > 0;
            body.set("temperature", aboveAnthropicMax ? Json.MAPPER.getNodeFactory().numberNode(1) : temperature);
        }
        JsonNode topP = chat.get("top_p");
        if (topP != null && !topP.isNull()) {
            body.set("top_p", topP);
        }
        JsonNode stop = chat.get("stop");
        if (stop != null && stop.isTextual()) {
            body.putArray("stop_sequences").add(stop.asText());
        } else if (stop != null && stop.isArray() && !stop.isEmpty()) {
            body.set("stop_sequences", stop.deepCopy());
        }
    }

    /** Anthropic's metadata holds only user_id; OpenAI's metadata.user_id or its user field fill it. */
    private static void metadata(JsonNode chat, ObjectNode body) {
        String userId = Json.textOf(chat.get("metadata"), "user_id");
        if (userId == null) {
            userId = Json.textOf(chat, "user");
        }
        if (userId != null) {
            body.putObject("metadata").put("user_id", userId);
        }
    }

    private static void applyEscapeHatch(JsonNode chat, ObjectNode body) {
        JsonNode nested = chat.get(ESCAPE_OBJECT);
        if (nested != null && !nested.isNull()) {
            if (!nested.isObject()) {
                throw refuse("invalid_anthropic_fields", "\"" + ESCAPE_OBJECT + "\" must be an object of Anthropic fields");
            }
            body.setAll((ObjectNode) nested.deepCopy());
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = chat.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (name.startsWith(ESCAPE_PREFIX) && name.length() > ESCAPE_PREFIX.length()) {
                body.set(name.substring(ESCAPE_PREFIX.length()), field.getValue().deepCopy());
            }
        }
    }
}
