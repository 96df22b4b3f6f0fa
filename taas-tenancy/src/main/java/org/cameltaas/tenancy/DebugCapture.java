package org.cameltaas.tenancy;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debug capture: the bodies of a project's requests, kept only while an operator has turned it on for that project
 * and only until the time they chose (at most a day). Off by default; the ledger never holds bodies.
 * <p>
 * The request path asks {@link #capturing(String)}, an in-memory look-up refreshed from the database every
 * {@code refresh} (changes through this replica apply at once), and hands bodies to {@link #keep}, which only queues
 * them: one daemon thread writes them. A full queue drops bodies (counted) rather than slow a request. Bodies older
 * than {@link #RETENTION} are deleted.
 */
public final class DebugCapture implements AutoCloseable {

    public static final int MAX_BODY_CHARS = 65_536;
    public static final Duration MAX_WINDOW = Duration.ofDays(1);
    static final Duration RETENTION = Duration.ofDays(7);
    private static final int QUEUE = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(DebugCapture.class);

    /** What was kept of one request. */
    public record Bodies(String requestId, String projectId, Instant createdAt, String request, String response) {
    }

    private final Database db;
    private final Map<String, Instant> until = new ConcurrentHashMap<>();
    private final BlockingQueue<Bodies> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    /** Queued or being written: flush waits for 0. */
    private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
    private final ScheduledExecutorService timer;
    private final Duration refresh;
    private final Thread writer;
    private volatile boolean closed;
    private volatile Instant lastPurge = Instant.EPOCH;

    DebugCapture(Database db, Duration refresh) {
        this.db = db;
        this.refresh = refresh;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "TaasDebugCapture");
            thread.setDaemon(true);
            return thread;
        });
        this.writer = new Thread(this::write, "TaasDebugCaptureWriter");
        writer.setDaemon(true);
    }

    DebugCapture start() {
        refresh();
        timer.scheduleWithFixedDelay(this::refreshQuietly, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
        writer.start();
        return this;
    }

    /** Whether the bodies of this project's requests are kept now. A map look-up: fit for the request path. */
    public boolean capturing(String projectId) {
        if (projectId == null) {
            return false;
        }
        Instant end = until.get(projectId);
        return end != null && Instant.now().isBefore(end);
    }

    /** Until when capture is on for the project; empty when off. */
    public Optional<Instant> until(String projectId) {
        return Optional.ofNullable(until.get(projectId)).filter(Instant.now()::isBefore);
    }

    /** Queues one request's bodies (each cut at {@link #MAX_BODY_CHARS}); never blocks. */
    public void keep(String requestId, String projectId, String request, String response) {
        pending.incrementAndGet();
        if (closed || !queue.offer(new Bodies(requestId, projectId, Sql.now(), cut(request), cut(response)))) {
            pending.decrementAndGet();
            dropped.incrementAndGet();
        }
    }

    /** Bodies dropped because the writer was a whole queue behind. */
    public long dropped() {
        return dropped.get();
    }

    Instant enable(String projectId, Duration window) {
        Instant now = Sql.now();
        Instant end = now.plus(window);
        db.inTransaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM debug_captures WHERE project_id = ?");
                 PreparedStatement insert = c.prepareStatement(
                         "INSERT INTO debug_captures (project_id, until, enabled_at) VALUES (?, ?, ?)")) {
                delete.setString(1, projectId);
                delete.executeUpdate();
                insert.setString(1, projectId);
                Sql.setTime(insert, 2, end);
                Sql.setTime(insert, 3, now);
                insert.executeUpdate();
            }
            return null;
        });
        until.put(projectId, end);
        return end;
    }

    void disable(String projectId) {
        db.inTransaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM debug_captures WHERE project_id = ?")) {
                delete.setString(1, projectId);
                delete.executeUpdate();
            }
            return null;
        });
        until.remove(projectId);
    }

    Optional<Bodies> find(String requestId) {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT request_id, project_id, created_at, request_body,"
                    + " response_body FROM debug_bodies WHERE request_id = ?")) {
                select.setString(1, requestId);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Bodies(rows.getString(1), rows.getString(2), Sql.time(rows, "created_at"),
                            rows.getString(4), rows.getString(5)));
                }
            }
        });
    }

    /** Reads every project's window; forgets ended ones; deletes bodies past their retention once a minute. */
    synchronized void refresh() {
        Map<String, Instant> read = new ConcurrentHashMap<>();
        Instant now = Sql.now();
        db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT project_id, until FROM debug_captures WHERE until > ?")) {
                Sql.setTime(select, 1, now);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        read.put(rows.getString(1), Sql.time(rows, "until"));
                    }
                }
            }
            return null;
        });
        until.keySet().retainAll(read.keySet());
        until.putAll(read);
        if (now.isAfter(lastPurge.plusSeconds(60))) {
            lastPurge = now;
            db.inTransaction(c -> {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM debug_bodies WHERE created_at < ?");
                     PreparedStatement ended = c.prepareStatement("DELETE FROM debug_captures WHERE until <= ?")) {
                    Sql.setTime(delete, 1, now.minus(RETENTION));
                    delete.executeUpdate();
                    Sql.setTime(ended, 1, now);
                    ended.executeUpdate();
                }
                return null;
            });
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("cannot read the debug capture settings; keeping the last ones: {}", e.toString());
        }
    }

    private void write() {
        List<Bodies> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Bodies first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 99);
                insert(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                dropped.addAndGet(batch.size());
                LOG.warn("cannot store {} captured bodies: {}", batch.size(), e.toString());
            }
            pending.addAndGet(-batch.size());
            batch.clear();
        }
    }

    private void insert(List<Bodies> batch) {
        db.inTransaction(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO debug_bodies (request_id, project_id, created_at,"
                    + " request_body, response_body) VALUES (?, ?, ?, ?, ?)")) {
                for (Bodies b : batch) {
                    insert.setString(1, b.requestId());
                    insert.setString(2, b.projectId());
                    Sql.setTime(insert, 3, b.createdAt());
                    insert.setString(4, b.request());
                    insert.setString(5, b.response());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    /** Waits (bounded) until what was queued is written: for tests and for close. */
    void flush(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (pending.get() > 0 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
    }

    private static String cut(String body) {
        return body == null || body.length() <= MAX_BODY_CHARS ? body : body.substring(0, MAX_BODY_CHARS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            flush(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed = true;
        if (pending.get() == 0) {
            writer.interrupt(); // everything is written, it waits on the queue: wake it (never while it writes to H2)
        }
        try {
            writer.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
