package org.cameltaas.local;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Ranks documents against a query by the cosine similarity of their {@link LocalEmbeddings} vectors.
 * <p>
 * Be aware of what this is: a <em>bi-encoder</em> embeds the query and each document separately and compares the
 * vectors, so it judges topical closeness, not whether a document answers the query. A cross-encoder reranker (which
 * reads query and document together) is clearly better at ordering close candidates, negations and questions whose
 * answer shares few words with them. This one needs no extra model and is good for putting the clearly relevant
 * documents first; scores are cosines (-1..1, in practice about -0.2..1), not calibrated probabilities, so compare them
 * within one query only.
 */
public final class LocalRerank {

    /** The id clients use for this reranker. */
    public static final String MODEL_ID = "local/minilm-rerank";

    private final LocalEmbeddings embeddings;

    public LocalRerank(LocalEmbeddings embeddings) {
        this.embeddings = embeddings;
    }

    /**
     * The documents ranked best first (equal scores keep the documents' order), at most {@code topN} of them.
     *
     * @param topN how many results to keep; null or more than there are documents keeps all
     * @throws IllegalArgumentException when there are no documents, or the query or a document is blank
     */
    public Ranking rank(String query, List<String> documents, Integer topN) {
        if (documents.isEmpty()) {
            throw new IllegalArgumentException("there are no documents to rank");
        }
        if (topN != null && topN < 1) {
            throw new IllegalArgumentException("topN must be at least 1");
        }
        // one batch: the query first, then the documents
        List<String> texts = new ArrayList<>(documents.size() + 1);
        texts.add(query);
        texts.addAll(documents);
        LocalEmbeddings.Batch batch = embeddings.embed(texts);
        float[] queryVector = batch.vectors().get(0);

        List<Ranked> ranked = new ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            double score = LocalEmbeddings.cosine(queryVector, batch.vectors().get(i + 1));
            ranked.add(new Ranked(i, score, documents.get(i)));
        }
        ranked.sort(Comparator.comparingDouble(Ranked::relevanceScore).reversed().thenComparingInt(Ranked::index));
        int keep = topN == null ? ranked.size() : Math.min(topN, ranked.size());
        return new Ranking(List.copyOf(ranked.subList(0, keep)), batch.tokens());
    }

    /** One document's place: its index in the request, its score and its text. */
    public record Ranked(int index, double relevanceScore, String document) {
    }

    /** The ranked documents, best first, and the tokens embedded (query and documents). */
    public record Ranking(List<Ranked> results, int tokens) {
    }
}
