package org.cameltaas.gateway.responses;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.cameltaas.component.support.Json;

/**
 * The in-process store: Caffeine caches bounded by the serialized size of what they hold, entries expiring a fixed
 * time after they were written.
 */
public final class CaffeineResponseStore implements ResponseStore {

    public static final long DEFAULT_MAX_MEGABYTES = 64;
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);

    private record Key(String scope, String id) {
    }

    private final Cache<Key, Stored> responses;
    private final Cache<Key, JsonNode> items;

    public CaffeineResponseStore(long maxMegabytes, Duration ttl) {
        if (maxMegabytes <= 0) {
            throw new IllegalArgumentException("the responses store needs a positive size, not " + maxMegabytes + " MB");
        }
        long bytes = maxMegabytes * 1024 * 1024;
        // responses hold their output items too: three quarters for them, the rest for the item index
        Caffeine<Object, Object> responseCache = Caffeine.newBuilder().maximumWeight(bytes / 4 * 3);
        Caffeine<Object, Object> itemCache = Caffeine.newBuilder().maximumWeight(bytes / 4);
        if (ttl != null && !ttl.isZero() && !ttl.isNegative()) {
            responseCache.expireAfterWrite(ttl);
            itemCache.expireAfterWrite(ttl);
        }
        this.responses = responseCache.<Key, Stored>weigher((key, value) -> weight(key, value.response(), value.input()))
                .build();
        this.items = itemCache.<Key, JsonNode>weigher((key, value) -> weight(key, value)).build();
    }

    private static int weight(Key key, JsonNode... values) {
        long bytes = 64L + key.scope().length() + key.id().length();
        for (JsonNode value : values) {
            bytes += Json.bytes(value).length;
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    @Override
    public void put(String scope, Stored stored) {
        responses.put(new Key(scope, stored.id()), stored);
        for (JsonNode item : stored.response().path("output")) {
            String id = Json.textOf(item, "id");
            if (id != null) {
                items.put(new Key(scope, id), item);
            }
        }
    }

    @Override
    public Stored get(String scope, String responseId) {
        return responses.getIfPresent(new Key(scope, responseId));
    }

    @Override
    public JsonNode item(String scope, String itemId) {
        return items.getIfPresent(new Key(scope, itemId));
    }
}
