package org.cameltaas.gateway.credits;

import java.math.BigDecimal;
import java.util.Map;

/**
 * What a model costs, in credits: per million input, output and cached input tokens, per request, per image, per
 * second of audio and per character of speech. Any subset; a price not given is zero.
 */
public record ModelPrice(BigDecimal inputPerMillion, BigDecimal outputPerMillion, BigDecimal cachedInputPerMillion,
                         BigDecimal perRequest, BigDecimal perImage, BigDecimal perAudioSecond, BigDecimal perSpeechCharacter) {

    static final java.util.Set<String> FIELDS = java.util.Set.of("input_per_million", "output_per_million",
            "cached_input_per_million", "per_request", "per_image", "per_audio_second", "per_speech_character");

    /** Cached input is charged at the input price unless the table says otherwise. */
    public BigDecimal cachedPerMillion() {
        return cachedInputPerMillion.signum() != 0 || inputPerMillion.signum() == 0 ? cachedInputPerMillion : inputPerMillion;
    }

    /** A price from its YAML map; throws naming the field for a wrong one. */
    static ModelPrice of(String model, Map<?, ?> fields) {
        for (Object name : fields.keySet()) {
            if (!FIELDS.contains(String.valueOf(name))) {
                throw new IllegalArgumentException("models." + model + ": unknown price " + name + " (known: " + new java.util.TreeSet<>(FIELDS) + ")");
            }
        }
        return new ModelPrice(amount(model, fields, "input_per_million"), amount(model, fields, "output_per_million"),
                fields.containsKey("cached_input_per_million") ? amount(model, fields, "cached_input_per_million") : BigDecimal.ZERO,
                amount(model, fields, "per_request"), amount(model, fields, "per_image"),
                amount(model, fields, "per_audio_second"), amount(model, fields, "per_speech_character"));
    }

    private static BigDecimal amount(String model, Map<?, ?> fields, String name) {
        Object value = fields.get(name);
        if (value == null) {
            return BigDecimal.ZERO;
        }
        BigDecimal amount;
        try {
            amount = new BigDecimal(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("models." + model + "." + name + " must be a number of credits, not " + value);
        }
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("models." + model + "." + name + " must not be negative");
        }
        return amount;
    }
}
