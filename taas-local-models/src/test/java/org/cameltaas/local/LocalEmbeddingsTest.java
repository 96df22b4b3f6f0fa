package org.cameltaas.local;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class LocalEmbeddingsTest {

    static final String QUESTION = "How do I reset my password?";

    static LocalEmbeddings embeddings;

    @BeforeAll
    static void load() {
        embeddings = new LocalEmbeddings();
    }

    @Test
    void paraphrasesScoreHighAndUnrelatedTextsLow() {
        float[] question = embeddings.embed(QUESTION);
        // measured with the quantized model: 0.839, 0.601, 0.038, 0.037
        double paraphrase = LocalEmbeddings.cosine(question, embeddings.embed("I forgot my password and need to change it"));
        double related = LocalEmbeddings.cosine(question, embeddings.embed("How can I change my login credentials?"));
        double stocks = LocalEmbeddings.cosine(question, embeddings.embed("The stock market fell sharply today"));
        double weather = LocalEmbeddings.cosine(question, embeddings.embed("What is the weather like in Paris?"));
        assertTrue(paraphrase > 0.6, "paraphrase " + paraphrase);
        assertTrue(related > 0.45, "related " + related);
        assertTrue(stocks < 0.3, "unrelated " + stocks);
        assertTrue(weather < 0.3, "unrelated " + weather);
    }

    @Test
    void vectorsHave384DimensionsAndUnitLength() {
        float[] vector = embeddings.embed("unit length");
        assertEquals(384, vector.length);
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        assertEquals(1.0, Math.sqrt(norm), 1e-4);
    }

    @Test
    void aBatchKeepsItsOrderAndMatchesSingleTexts() {
        List<String> texts = List.of("first text", "a second, different one", QUESTION);
        LocalEmbeddings.Batch batch = embeddings.embed(texts);
        assertEquals(3, batch.vectors().size());
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(embeddings.embed(texts.get(i)), batch.vectors().get(i), 1e-5f, "text " + i);
        }
        // WordPiece tokens without [CLS]/[SEP]: first|text, a|second|,|different|one, how|do|i|reset|my|password|?
        assertEquals(2 + 5 + 7, batch.tokens());
    }

    @Test
    void blankTextsAndEmptyBatchesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> embeddings.embed(List.of("ok", " ")));
        assertThrows(IllegalArgumentException.class, () -> embeddings.embed(List.of()));
    }
}
