package org.cameltaas.local;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;

/**
 * The quantized all-MiniLM-L6-v2 sentence embedding model (384 dimensions, English), run in process by ONNX Runtime
 * from the copy inside langchain4j's jar: nothing is downloaded. Vectors are unit length (mean pooling, then L2
 * normalisation), so a dot product is their cosine similarity.
 * <p>
 * The model is loaded once per class loader (langchain4j keeps it in a static field) and is safe to use from several
 * threads: an ONNX Runtime session runs concurrent calls, and the tokenizer keeps no state between calls. Texts longer
 * than the model's 510-token window are split into windows whose vectors are averaged (langchain4j's behaviour).
 */
public final class LocalEmbeddings {

    /** The id clients use for this model. */
    public static final String MODEL_ID = "local/all-minilm-l6-v2";
    public static final int DIMENSIONS = 384;

    /**
     * Runs a batch's texts one after the other on the calling thread. langchain4j would otherwise fan a batch out to
     * a hidden pool of its own; here the caller's thread (the server's worker) does the work, and ONNX Runtime already
     * spreads each inference over the cores.
     */
    private static final Executor CALLING_THREAD = Runnable::run;

    private final EmbeddingModel model;

    public LocalEmbeddings() {
        this.model = load();
    }

    /** One text's vector. */
    public float[] embed(String text) {
        return embed(List.of(text)).vectors().get(0);
    }

    /**
     * The vectors of a batch, in the batch's order, and the number of tokens the model's own WordPiece tokenizer
     * counted (without the [CLS] and [SEP] markers it adds to every text).
     *
     * @throws IllegalArgumentException when the batch is empty or a text is blank (the model has nothing to embed)
     */
    public Batch embed(List<String> texts) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("nothing to embed: the batch is empty");
        }
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("text " + i + " is blank: there is nothing to embed");
            }
            segments.add(TextSegment.from(text));
        }
        Response<List<Embedding>> response = model.embedAll(segments);
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (Embedding embedding : response.content()) {
            vectors.add(embedding.vector());
        }
        TokenUsage usage = response.tokenUsage();
        int tokens = usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
        return new Batch(vectors, tokens);
    }

    /** The cosine similarity of two vectors: -1 (opposite) to 1 (same direction). */
    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            normA += a[i] * a[i];
            normB += b[i] * b[i];
        }
        // the model's vectors are unit length, but a caller's may not be
        return normA == 0 || normB == 0 ? 0 : dot / Math.sqrt(normA * normB);
    }

    /** A batch's vectors, in order, and its token count. */
    public record Batch(List<float[]> vectors, int tokens) {
    }

    private static EmbeddingModel load() {
        // langchain4j reads the model and tokenizer from the thread's context class loader, which in a container
        // or a test runner may not see this module's jars: point it at the loader that holds them while it loads
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(AllMiniLmL6V2QuantizedEmbeddingModel.class.getClassLoader());
        try {
            return new AllMiniLmL6V2QuantizedEmbeddingModel(CALLING_THREAD);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
