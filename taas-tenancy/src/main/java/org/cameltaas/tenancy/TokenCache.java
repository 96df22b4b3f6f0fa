package org.cameltaas.tenancy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every token of the store, in memory, so authenticating a request never waits on the database. A thread of its own
 * reads what changed since its last read every {@code refresh} (by the database's clock, with an overlap so a
 * transaction that committed late is not missed): a revocation, rotation or new token made on any replica is seen
 * here within one refresh. Changes made through this replica apply at once. Expiry is checked per request.
 */
public final class TokenCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TokenCache.class);
    /** Re-read this much before the last read's time: covers transactions that committed after it began. */
    private static final Duration OVERLAP = Duration.ofSeconds(10);
    private static final Duration TOUCH_EVERY = Duration.ofSeconds(15);

    private final Tokens tokens;
    private final Duration refresh;
    private final Map<String, TokenEntry> byHash = new ConcurrentHashMap<>();
    private final Map<String, TokenEntry> byId = new ConcurrentHashMap<>();
    private final Map<String, Long> lastUsed = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private Instant readUpTo;
    private volatile boolean failing;

    public TokenCache(Tokens tokens, Duration refresh) {
        this.tokens = tokens;
        this.refresh = refresh;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "TaasTokenCache");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Loads every token, then keeps up with changes. */
    public TokenCache start() {
        refresh();
        timer.scheduleWithFixedDelay(this::refreshQuietly, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::touchQuietly, TOUCH_EVERY.toMillis(), TOUCH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** The token a presented secret belongs to, if it is valid now (not revoked, not expired, not a stale rotation). */
    public Optional<Token> authenticate(String presented) {
        if (presented == null || !presented.startsWith(Secrets.TOKEN_PREFIX)) {
            return Optional.empty();
        }
        String hash = Secrets.hash(presented);
        TokenEntry entry = byHash.get(hash);
        if (entry == null) {
            return Optional.empty();
        }
        long now = System.currentTimeMillis();
        Token token = entry.token();
        boolean current = Secrets.sameHash(hash, entry.hash());
        boolean previous = !current && entry.previousHash() != null && Secrets.sameHash(hash, entry.previousHash())
                && entry.previousValidUntil() != null && now < entry.previousValidUntil().toEpochMilli();
        if (!current && !previous || token.revokedAt() != null
                || token.expiresAt() != null && now >= token.expiresAt().toEpochMilli()) {
            return Optional.empty();
        }
        lastUsed.put(token.id(), now);
        return Optional.of(token);
    }

    /** The cached token of an id (for the admin API's scope check: no database read). */
    public Optional<Token> byId(String id) {
        TokenEntry entry = byId.get(id);
        return entry == null ? Optional.empty() : Optional.of(entry.token());
    }

    private synchronized void apply(TokenEntry entry) {
        TokenEntry old = byId.put(entry.token().id(), entry);
        if (old != null) {
            byHash.remove(old.hash(), old);
            if (old.previousHash() != null) {
                byHash.remove(old.previousHash(), old);
            }
        }
        byHash.put(entry.hash(), entry);
        if (entry.previousHash() != null) {
            byHash.put(entry.previousHash(), entry);
        }
    }

    public int size() {
        return byId.size();
    }

    /** False while the last read of changes failed (the cache serves what it had). */
    public boolean healthy() {
        return !failing;
    }

    /** Reads the changes since the last read. */
    public synchronized void refresh() {
        Instant now = tokens.now();
        Instant since = readUpTo == null ? null : readUpTo.minus(OVERLAP);
        for (TokenEntry entry : tokens.changedSince(since)) {
            apply(entry);
        }
        readUpTo = now;
    }

    private void refreshQuietly() {
        try {
            refresh();
            if (failing) {
                LOG.info("token changes are read again");
            }
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("cannot read token changes; serving the cached tokens until the database answers: {}", e.toString());
            }
            failing = true;
        }
    }

    private void touchQuietly() {
        Map<String, Instant> batch = new HashMap<>();
        for (String id : lastUsed.keySet()) {
            Long millis = lastUsed.remove(id);
            if (millis != null) {
                batch.put(id, Instant.ofEpochMilli(millis));
            }
        }
        try {
            tokens.touch(batch);
        } catch (RuntimeException e) {
            LOG.debug("cannot record when tokens were last used", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        touchQuietly();
    }
}
