package org.cameltaas.gateway.credits;

import java.math.BigDecimal;
import java.math.RoundingMode;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.TaasUsage;

/**
 * The arithmetic of credits: a request's worst case before it goes upstream, and its actual cost after. Amounts
 * have 6 decimals (the ledger's NUMERIC(20, 6)); a worst case is rounded up, a cost to the nearest.
 */
final class CreditCosts {

    static final int SCALE = 6;
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private CreditCosts() {
    }

    /**
     * The most the request can cost: its prompt estimate at the input price, the output it may ask for
     * ({@code max_tokens}, {@code max_completion_tokens}, {@code max_output_tokens}, else {@code outputCap}) at the
     * output price, the request price, the images it asks for and the characters it wants spoken.
     */
    static BigDecimal worstCase(ModelPrice price, String operation, JsonNode request, long promptTokens, long outputCap) {
        if (price == null) {
            return BigDecimal.ZERO;
        }
        BigDecimal cost = perMillion(promptTokens, price.inputPerMillion())
                .add(perMillion(maxOutput(operation, request, outputCap), price.outputPerMillion()))
                .add(price.perRequest())
                .add(price.perImage().multiply(BigDecimal.valueOf(images(operation, request))))
                .add(price.perSpeechCharacter().multiply(BigDecimal.valueOf(speechCharacters(operation, request))));
        return cost.setScale(SCALE, RoundingMode.CEILING);
    }

    /**
     * What the request cost: its reported usage (cached input at the cached price), else {@code promptTokens} of
     * input (a reply without usage: a cache hit, an upstream that reports none); plus the per-request, per-image,
     * per-character and per-second prices that apply.
     */
    static BigDecimal actual(ModelPrice price, String operation, JsonNode request, TaasUsage usage, long promptTokens,
                             long deliveredTokens, double audioSeconds, int imagesMade) {
        if (price == null) {
            return BigDecimal.ZERO;
        }
        BigDecimal tokens;
        if (usage != null && usage.totalTokens() > 0) {
            long cached = Math.min(usage.cachedTokens(), usage.promptTokens());
            tokens = perMillion(usage.promptTokens() - cached, price.inputPerMillion())
                    .add(perMillion(cached, price.cachedPerMillion()))
                    .add(perMillion(usage.completionTokens(), price.outputPerMillion()));
        } else {
            tokens = perMillion(promptTokens, price.inputPerMillion()).add(perMillion(deliveredTokens, price.outputPerMillion()));
        }
        int images = imagesMade >= 0 ? imagesMade : images(operation, request);
        return tokens.add(price.perRequest())
                .add(price.perImage().multiply(BigDecimal.valueOf(images)))
                .add(price.perSpeechCharacter().multiply(BigDecimal.valueOf(speechCharacters(operation, request))))
                .add(price.perAudioSecond().multiply(BigDecimal.valueOf(Math.max(0, audioSeconds))))
                .setScale(SCALE, RoundingMode.HALF_UP);
    }

    static long maxOutput(String operation, JsonNode request, long cap) {
        if (!generates(operation)) {
            return 0;
        }
        if (request != null) {
            for (String field : new String[] {"max_completion_tokens", "max_output_tokens", "max_tokens"}) {
                JsonNode value = request.get(field);
                if (value != null && value.canConvertToLong() && value.asLong() > 0) {
                    return value.asLong();
                }
            }
        }
        return cap;
    }

    /** Operations whose reply is generated text (priced per output token). */
    private static boolean generates(String operation) {
        return operation == null || switch (operation) {
            case "chatCompletions", "responses", "messages", "completions" -> true;
            default -> false;
        };
    }

    private static int images(String operation, JsonNode request) {
        if (operation == null || !operation.startsWith("images")) {
            return 0;
        }
        JsonNode n = request == null ? null : request.get("n");
        return n != null && n.canConvertToInt() && n.asInt() > 0 ? Math.min(n.asInt(), 100) : 1;
    }

    private static long speechCharacters(String operation, JsonNode request) {
        if (!"audioSpeech".equals(operation) || request == null) {
            return 0;
        }
        JsonNode input = request.get("input");
        return input != null && input.isTextual() ? input.textValue().codePointCount(0, input.textValue().length()) : 0;
    }

    private static BigDecimal perMillion(long tokens, BigDecimal price) {
        if (tokens <= 0 || price.signum() == 0) {
            return BigDecimal.ZERO;
        }
        return price.multiply(BigDecimal.valueOf(tokens)).divide(MILLION, SCALE + 4, RoundingMode.HALF_UP);
    }
}
