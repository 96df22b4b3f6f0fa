package org.cameltaas.gateway.cache;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the embeddings cache keeps its vectors, one entry per input item. {@link CaffeineEmbeddingsStore} keeps them
 * in this process; a store shared by several gateways (Redis, ...) can implement the same few methods: keys have a
 * string form ({@link EmbeddingsCacheKey#asString()}) and values are bytes plus a token count.
 *
 * <p>Implementations must be thread-safe. Values are never modified after {@link #put}.
 */
public interface EmbeddingsStore {

    /** The cached embedding, or null when there is none (never stored, expired or evicted). */
    CachedEmbedding get(EmbeddingsCacheKey key);

    /**
     * The cached embeddings of several keys, in their order, null where there is none. One round trip for a whole
     * batch in a remote store (MGET); this default asks {@link #get} key by key.
     */
    default List<CachedEmbedding> getAll(List<EmbeddingsCacheKey> keys) {
        List<CachedEmbedding> values = new ArrayList<>(keys.size());
        for (EmbeddingsCacheKey key : keys) {
            values.add(get(key));
        }
        return values;
    }

    /** Keeps (or replaces) the embedding of one input item. */
    void put(EmbeddingsCacheKey key, CachedEmbedding value);

    /** Forgets every entry (after a change of the upstream model behind a catalog name, for instance). */
    void clear();

    /** Counters for metrics; per item, not per request. */
    Stats stats();

    /**
     * @param hits        items found
     * @param misses      items looked up and not found
     * @param evictions   entries dropped for size or expired
     * @param entries     entries held now (an estimate)
     * @param weightBytes bytes of the entries held now (keys and vectors, serialized), or -1 when unknown
     */
    record Stats(long hits, long misses, long evictions, long entries, long weightBytes) {
    }
}
