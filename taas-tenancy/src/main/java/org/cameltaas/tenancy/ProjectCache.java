package org.cameltaas.tenancy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every project's default limits and whether it is metered, in memory, so the request path never reads the
 * database for a project that has no balance. Polls what changed (by the database's clock, with an overlap) every
 * {@code refresh}, like {@link TokenCache}; changes made through this replica apply at once.
 */
public final class ProjectCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectCache.class);
    private static final Duration OVERLAP = Duration.ofSeconds(10);

    private final CreditStore store;
    private final Tokens clock;
    private final Duration refresh;
    private final Map<String, CreditStore.ProjectSettings> byId = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private Instant readUpTo;
    private volatile boolean failing;

    public ProjectCache(CreditStore store, Tokens clock, Duration refresh) {
        this.store = store;
        this.clock = clock;
        this.refresh = refresh;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "TaasProjectCache");
            thread.setDaemon(true);
            return thread;
        });
    }

    public ProjectCache start() {
        refresh();
        timer.scheduleWithFixedDelay(this::refreshQuietly, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** The project's settings; null for a project this replica does not know (a file token's, or none). */
    public CreditStore.ProjectSettings get(String projectId) {
        return projectId == null ? null : byId.get(projectId);
    }

    public boolean metered(String projectId) {
        CreditStore.ProjectSettings settings = get(projectId);
        return settings != null && settings.metered();
    }

    public synchronized void refresh() {
        Instant now = clock.now();
        Instant since = readUpTo == null ? null : readUpTo.minus(OVERLAP);
        for (CreditStore.ProjectSettings settings : store.projectsChangedSince(since)) {
            CreditStore.ProjectSettings old = byId.get(settings.projectId());
            if (!settings.equals(old)) {
                byId.put(settings.projectId(), settings); // a new object only on a change: principals are cached by it
            }
        }
        readUpTo = now;
    }

    private void refreshQuietly() {
        try {
            refresh();
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("cannot read project changes; serving the cached ones until the database answers: {}", e.toString());
            }
            failing = true;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
