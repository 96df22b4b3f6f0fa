package org.cameltaas.local;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a gateway starts: the local models, loaded and warmed up, behind their loopback OpenAI-compatible server.
 * Point the taas component's {@code openai} provider at {@link #baseUrl()} with {@link #embeddingModel()} or
 * {@link #rerankModel()}:
 *
 * <pre>
 * try (LocalModels local = LocalModels.start()) {
 *     template.requestBody("taas:embeddings?baseUrl=" + local.baseUrl() + "&amp;model=" + local.embeddingModel(), texts);
 * }
 * </pre>
 */
public final class LocalModels implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalModels.class);

    private final LocalEmbeddings embeddings;
    private final LocalModelServer server;
    private final String baseUrl;

    private LocalModels(LocalEmbeddings embeddings, LocalModelServer server, String baseUrl) {
        this.embeddings = embeddings;
        this.server = server;
        this.baseUrl = baseUrl;
    }

    /** Loads the model and serves it on a free loopback port. */
    public static LocalModels start() throws IOException {
        return start(0);
    }

    /** Loads the model and serves it on that loopback port (0: a free one). */
    public static LocalModels start(int port) throws IOException {
        long started = System.nanoTime();
        LocalEmbeddings embeddings = new LocalEmbeddings();
        // the first inference sets up ONNX Runtime's threads and buffers: pay for it now, not in the first request
        embeddings.embed("warm-up");
        LocalModelServer server = new LocalModelServer(embeddings, port, LocalModelServer.DEFAULT_THREADS);
        String baseUrl = server.start();
        LOG.info("Local models {} and {} ready in {} ms", LocalEmbeddings.MODEL_ID, LocalRerank.MODEL_ID,
                (System.nanoTime() - started) / 1_000_000);
        return new LocalModels(embeddings, server, baseUrl);
    }

    /** The OpenAI-style base URL, with {@code /v1}: the {@code baseUrl} of a taas endpoint. */
    public String baseUrl() {
        return baseUrl;
    }

    public String embeddingModel() {
        return LocalEmbeddings.MODEL_ID;
    }

    public String rerankModel() {
        return LocalRerank.MODEL_ID;
    }

    /** The model itself, for in-process use without HTTP. */
    public LocalEmbeddings embeddings() {
        return embeddings;
    }

    @Override
    public void close() {
        server.close();
    }
}
