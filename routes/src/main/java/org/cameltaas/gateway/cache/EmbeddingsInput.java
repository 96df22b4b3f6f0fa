package org.cameltaas.gateway.cache;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** The input items of an embeddings request, and the share of the prompt tokens each one cost. */
final class EmbeddingsInput {

    private EmbeddingsInput() {
    }

    /**
     * The items OpenAI embeds one vector each for: a string; an array of strings; one token array (an array of
     * integers); an array of token arrays. Null for any other shape (mixed arrays, objects, empty arrays): such a
     * request is not cached and reaches the upstream as it is, which answers it (usually with an error).
     */
    static List<JsonNode> items(JsonNode input) {
        if (input == null) {
            return null;
        }
        if (input.isTextual()) {
            return List.of(input);
        }
        if (!input.isArray() || input.isEmpty()) {
            return null;
        }
        if (isTokenArray(input)) {
            return List.of(input);
        }
        List<JsonNode> items = new ArrayList<>(input.size());
        for (JsonNode element : input) {
            if (!element.isTextual() && !isTokenArray(element)) {
                return null;
            }
            items.add(element);
        }
        return items;
    }

    private static boolean isTokenArray(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            return false;
        }
        for (JsonNode token : node) {
            if (!token.isIntegralNumber()) {
                return false;
            }
        }
        return true;
    }

    /**
     * How many of {@code promptTokens} each item cost. A token array costs its length, exactly. The rest is shared
     * among the strings in proportion to their length in code points, rounded by largest remainder so the shares add
     * up to {@code promptTokens}: exact for a string sent alone, an estimate for a string in a batch. With no usage
     * reported ({@code promptTokens < 0}) strings cost 0.
     */
    static int[] tokenShares(List<JsonNode> items, int promptTokens) {
        int n = items.size();
        int[] shares = new int[n];
        long[] weights = new long[n];
        long exact = 0;
        long textWeight = 0;
        for (int i = 0; i < n; i++) {
            JsonNode item = items.get(i);
            if (item.isArray()) {
                shares[i] = item.size();
                exact += item.size();
            } else {
                String text = item.asText();
                weights[i] = Math.max(1, text.codePointCount(0, text.length()));
                textWeight += weights[i];
            }
        }
        if (promptTokens < 0 || textWeight == 0) {
            return shares;
        }
        long remaining = Math.max(0, promptTokens - exact);
        long[] remainders = new long[n];
        long assigned = 0;
        for (int i = 0; i < n; i++) {
            if (weights[i] > 0) {
                long product = remaining * weights[i];
                shares[i] = (int) (product / textWeight);
                remainders[i] = product % textWeight;
                assigned += shares[i];
            }
        }
        long left = remaining - assigned; // fewer than the number of strings
        if (left > 0) {
            Integer[] order = new Integer[n];
            Arrays.setAll(order, i -> i);
            Arrays.sort(order, Comparator.<Integer>comparingLong(i -> -remainders[i]).thenComparingInt(i -> i));
            for (int k = 0; k < n && left > 0; k++) {
                int i = order[k];
                if (weights[i] > 0) {
                    shares[i]++;
                    left--;
                }
            }
        }
        return shares;
    }
}
