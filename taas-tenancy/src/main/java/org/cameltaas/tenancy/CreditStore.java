package org.cameltaas.tenancy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Balances, slices and the credits ledger in the tenancy database: the one truth every replica shares.
 * A replica admits requests against a <em>slice</em> of a project's balance that it holds (a row of
 * {@code credit_reservations}, counted in the project's {@code reserved}); it takes a slice with
 * {@link #grantAll}, one transaction with the project's row locked, so the slices of all replicas never add up to
 * more than the balance. A request's cost is charged when the usage ledger stores its event ({@link #charge}, in
 * the ledger's own transaction): the event's primary key makes the charge happen exactly once, and the event comes
 * from the replica's journal, so a kill loses no charge of a reply that was sent. Every balance change writes its
 * {@code credit_entries} row in the same transaction.
 */
public final class CreditStore {

    public static final String TOP_UP = "top_up";
    public static final String CORRECTION = "correction";
    public static final String CHARGE = "charge";
    /** The most grants one transaction takes (bounds its statement and its locks' time). */
    public static final int MAX_GROUP = 256;
    /** A slice never takes more than this share of what is free, unless one request needs more. */
    private static final BigDecimal SHARE = new BigDecimal("0.25");

    /** A slice asks for more: at least {@code need} (else nothing), up to {@code want}. */
    public record Grant(String sliceId, String projectId, BigDecimal need, BigDecimal want) {
    }

    /** What a grant got (zero: what is free does not cover {@code need}), and the balance and reserved it saw after. */
    public record Granted(BigDecimal amount, BigDecimal balance, BigDecimal reserved) {
    }

    /** What the ledger charged to one slice: the cost, and the part of it the slice held (the rest was overspent). */
    public record Charged(BigDecimal cost, BigDecimal fromSlice) {
    }

    /** A project's default limits and whether it is metered: what the request path keeps in memory. */
    public record ProjectSettings(String projectId, Integer defaultRpm, Integer defaultTpm, Integer defaultMaxConcurrent,
                                  boolean metered) {
    }

    private final Database db;
    private final String replica;
    private volatile Consumer<Map<String, Charged>> chargeListener = charged -> { };

    public CreditStore(Database db, String replica) {
        this.db = db;
        this.replica = replica;
    }

    public String replica() {
        return replica;
    }

    /** This replica's slice of the project's balance (its id in {@code credit_reservations}). */
    public String sliceId(String projectId) {
        return "slice:" + replica + ":" + projectId;
    }

    /** Told, after each ledger transaction that charged slices, what it charged to each: {@code sliceId: charged}. */
    public void onCharged(Consumer<Map<String, Charged>> listener) {
        this.chargeListener = listener;
    }

    /**
     * Grows each slice, in order, by what is free of its project's balance ({@code balance - reserved}): nothing when
     * that is less than the grant's need; else at least its need and at most its want, and no more than a quarter of
     * what is free (so other replicas find credits too) unless the need is more. One transaction for the group; each
     * project's row is locked ({@code FOR UPDATE}, in id order so two groups never deadlock) first.
     *
     * @return one answer per grant, in the grants' order
     */
    public List<Granted> grantAll(List<Grant> grants) {
        return db.inTransaction(c -> {
            Map<String, BigDecimal[]> projects = lock(c, grants.stream().map(Grant::projectId).toList());
            List<Granted> results = new ArrayList<>(grants.size());
            Map<String, BigDecimal> slices = new LinkedHashMap<>();
            Map<String, String> sliceProject = new HashMap<>();
            for (Grant grant : grants) {
                BigDecimal[] state = projects.get(grant.projectId());
                if (state == null || state[0] == null) {
                    results.add(new Granted(BigDecimal.ZERO, null, null));
                    continue;
                }
                BigDecimal free = state[0].subtract(state[1]);
                BigDecimal amount = BigDecimal.ZERO;
                if (free.compareTo(grant.need()) >= 0) {
                    // credits are NUMERIC(20, 6): a share is cut to that scale, so what is held here is what the row holds
                    amount = free.multiply(SHARE).setScale(6, RoundingMode.DOWN).min(grant.want()).max(grant.need()).min(free);
                }
                if (amount.signum() > 0) {
                    state[1] = state[1].add(amount);
                    slices.merge(grant.sliceId(), amount, BigDecimal::add);
                    sliceProject.put(grant.sliceId(), grant.projectId());
                }
                results.add(new Granted(amount, state[0], state[1]));
            }
            if (!slices.isEmpty()) {
                Instant now = Sql.now();
                for (Map.Entry<String, BigDecimal> slice : slices.entrySet()) {
                    try (PreparedStatement update = c.prepareStatement("UPDATE credit_reservations SET amount = amount + ? WHERE id = ?")) {
                        update.setBigDecimal(1, slice.getValue());
                        update.setString(2, slice.getKey());
                        if (update.executeUpdate() == 1) {
                            continue;
                        }
                    }
                    try (PreparedStatement insert = c.prepareStatement("INSERT INTO credit_reservations"
                            + " (id, project_id, amount, replica, created_at) VALUES (?, ?, ?, ?, ?)")) {
                        insert.setString(1, slice.getKey());
                        insert.setString(2, sliceProject.get(slice.getKey()));
                        insert.setBigDecimal(3, slice.getValue());
                        insert.setString(4, replica);
                        Sql.setTime(insert, 5, now);
                        insert.executeUpdate();
                    }
                }
                Map<String, BigDecimal> added = new TreeMap<>();
                slices.forEach((slice, amount) -> added.merge(sliceProject.get(slice), amount, BigDecimal::add));
                adjust(c, added, Map.of());
            }
            return results;
        });
    }

    /**
     * Gives back up to {@code amount} of the slice (an idle or stopping replica's unused credits).
     *
     * @return what was given back (no more than the slice held)
     */
    public BigDecimal giveBack(String sliceId, String projectId, BigDecimal amount) {
        return db.inTransaction(c -> {
            lock(c, List.of(projectId));
            BigDecimal held = sliceAmount(c, sliceId);
            BigDecimal back = held == null ? BigDecimal.ZERO : held.min(amount);
            if (back.signum() > 0) {
                shrink(c, sliceId, held, back);
                adjust(c, Map.of(projectId, back.negate()), Map.of());
            }
            return back;
        });
    }

    /**
     * Charges the events' costs, in the usage ledger's transaction {@code c} that stored them (only events it stored
     * now, so each is charged once): the balance goes down by the cost, the event's slice (and the project's
     * reserved) by as much as the slice still held. One {@code credit_entries} row per project and transaction.
     * Events without a slice or a cost are not charged.
     *
     * @return per slice, what was charged; the caller hands it to {@link #charged} once its transaction committed
     */
    public Map<String, Charged> charge(Connection c, List<UsageEvent> stored) throws SQLException {
        Map<String, BigDecimal> costs = new TreeMap<>(); // slice: cost
        Map<String, String> sliceProject = new HashMap<>();
        Map<String, Integer> requests = new HashMap<>();
        Map<String, String> lastRequest = new HashMap<>();
        for (UsageEvent event : stored) {
            if (event.creditLease() != null && event.projectId() != null && event.credits() != null && event.credits().signum() > 0) {
                costs.merge(event.creditLease(), event.credits(), BigDecimal::add);
                sliceProject.put(event.creditLease(), event.projectId());
                requests.merge(event.projectId(), 1, Integer::sum);
                lastRequest.put(event.projectId(), event.requestId());
            }
        }
        if (costs.isEmpty()) {
            return Map.of();
        }
        Map<String, BigDecimal[]> projects = lock(c, new ArrayList<>(sliceProject.values()));
        Map<String, Charged> charged = new LinkedHashMap<>();
        Map<String, BigDecimal> released = new TreeMap<>();
        Map<String, BigDecimal> spent = new TreeMap<>();
        for (Map.Entry<String, BigDecimal> cost : costs.entrySet()) {
            String project = sliceProject.get(cost.getKey());
            if (!projects.containsKey(project)) {
                continue; // the project is gone: nothing to charge
            }
            BigDecimal held = sliceAmount(c, cost.getKey());
            BigDecimal fromSlice = held == null ? BigDecimal.ZERO : held.min(cost.getValue());
            if (fromSlice.signum() > 0) {
                shrink(c, cost.getKey(), held, fromSlice);
            }
            released.merge(project, fromSlice.negate(), BigDecimal::add);
            spent.merge(project, cost.getValue().negate(), BigDecimal::add);
            charged.put(cost.getKey(), new Charged(cost.getValue(), fromSlice));
        }
        adjust(c, released, spent);
        Instant now = Sql.now();
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO credit_entries (id, project_id, kind, amount,"
                + " balance_after, request_id, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Map.Entry<String, BigDecimal> project : spent.entrySet()) {
                BigDecimal before = projects.get(project.getKey())[0];
                int count = requests.get(project.getKey());
                insert.setString(1, Ids.next("cred"));
                insert.setString(2, project.getKey());
                insert.setString(3, CHARGE);
                insert.setBigDecimal(4, project.getValue());
                insert.setBigDecimal(5, (before == null ? BigDecimal.ZERO : before).add(project.getValue()));
                Sql.setString(insert, 6, count == 1 ? lastRequest.get(project.getKey()) : null);
                insert.setString(7, count == 1 ? "1 request" : count + " requests");
                Sql.setTime(insert, 8, now);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return charged;
    }

    /** Tells the listener what a committed ledger transaction charged. */
    void charged(Map<String, Charged> charged) {
        if (!charged.isEmpty()) {
            chargeListener.accept(charged);
        }
    }

    private static BigDecimal sliceAmount(Connection c, String sliceId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT amount FROM credit_reservations WHERE id = ?")) {
            select.setString(1, sliceId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getBigDecimal(1) : null;
            }
        }
    }

    /** Takes {@code by} off a slice that holds {@code held}; an empty slice's row goes. */
    private static void shrink(Connection c, String sliceId, BigDecimal held, BigDecimal by) throws SQLException {
        boolean empty = held.compareTo(by) <= 0;
        try (PreparedStatement update = c.prepareStatement(empty ? "DELETE FROM credit_reservations WHERE id = ?"
                : "UPDATE credit_reservations SET amount = amount - ? WHERE id = ?")) {
            int i = 1;
            if (!empty) {
                update.setBigDecimal(i++, by);
            }
            update.setString(i, sliceId);
            update.executeUpdate();
        }
    }

    /** Adds to projects' reserved and balance (either map may be empty), one statement per project. */
    private static void adjust(Connection c, Map<String, BigDecimal> reserved, Map<String, BigDecimal> balance) throws SQLException {
        TreeSet<String> ids = new TreeSet<>(reserved.keySet());
        ids.addAll(balance.keySet());
        try (PreparedStatement update = c.prepareStatement("UPDATE projects SET reserved = reserved + ?, balance = balance + ?"
                + " WHERE id = ?")) {
            for (String id : ids) {
                update.setBigDecimal(1, reserved.getOrDefault(id, BigDecimal.ZERO));
                update.setBigDecimal(2, balance.getOrDefault(id, BigDecimal.ZERO));
                update.setString(3, id);
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    /** Locks the projects' rows in id order: {@code id: [balance, reserved]}, for those that exist. */
    private static Map<String, BigDecimal[]> lock(Connection c, List<String> projectIds) throws SQLException {
        Map<String, BigDecimal[]> states = new LinkedHashMap<>();
        try (PreparedStatement select = c.prepareStatement("SELECT balance, reserved FROM projects WHERE id = ? FOR UPDATE")) {
            for (String id : new TreeSet<>(projectIds)) {
                select.setString(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    if (rows.next()) {
                        states.put(id, new BigDecimal[] {rows.getBigDecimal(1), rows.getBigDecimal(2)});
                    }
                }
            }
        }
        return states;
    }

    /**
     * Adds {@code amount} to the balance (the first top-up starts metering); a negative amount is a correction,
     * refused (409) if it would take the balance below zero.
     *
     * @return the new balance
     */
    public BigDecimal topUp(String projectId, BigDecimal amount, String note) {
        return db.inTransaction(c -> {
            BigDecimal[] state = balance(c, projectId);
            if (state == null) {
                throw TenancyException.notFound("project", projectId);
            }
            BigDecimal current = state[0] == null ? BigDecimal.ZERO : state[0];
            BigDecimal after = current.add(amount);
            if (amount.signum() < 0 && after.signum() < 0) {
                throw new TenancyException(409, "balance_below_zero", "amount", "A correction of " + amount.toPlainString()
                        + " would take the balance of " + current.stripTrailingZeros().toPlainString() + " below zero.");
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE projects SET balance = COALESCE(balance, 0) + ?,"
                    + " updated_at = CURRENT_TIMESTAMP WHERE id = ? AND (? >= 0 OR balance + ? >= 0)")) {
                update.setBigDecimal(1, amount);
                update.setString(2, projectId);
                update.setBigDecimal(3, amount);
                update.setBigDecimal(4, amount);
                if (update.executeUpdate() == 0) {
                    throw new TenancyException(409, "balance_below_zero", "amount", "The correction would take the balance below zero.");
                }
            }
            entry(c, projectId, amount.signum() < 0 ? CORRECTION : TOP_UP, amount, null, note);
            return balance(c, projectId)[0];
        });
    }

    /** Sets the project's default limits named in {@code values} (a null value clears one). */
    public void setProjectDefaults(String projectId, Map<String, Integer> values) {
        update("projects", projectId, values, "project");
    }

    /** Sets the token's own limits named in {@code values} (null: the project's default). */
    public void setTokenLimits(String tokenId, Map<String, Integer> values) {
        update("tokens", tokenId, values, "token");
    }

    private void update(String table, String id, Map<String, Integer> values, String what) {
        db.inTransaction(c -> {
            StringBuilder sql = new StringBuilder("UPDATE ").append(table).append(" SET updated_at = CURRENT_TIMESTAMP");
            values.keySet().forEach(column -> sql.append(", ").append(column).append(" = ?"));
            try (PreparedStatement update = c.prepareStatement(sql.append(" WHERE id = ?").toString())) {
                int i = 1;
                for (Integer value : values.values()) {
                    Sql.setInteger(update, i++, value);
                }
                update.setString(i, id);
                if (update.executeUpdate() == 0) {
                    throw TenancyException.notFound(what, id);
                }
            }
            return null;
        });
    }

    /** The sum of a project's ledger amounts (equals its balance, for a project whose balance was only changed here). */
    public BigDecimal ledgerSum(String projectId, String kind) {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT COALESCE(SUM(amount), 0) FROM credit_entries"
                    + " WHERE project_id = ?" + (kind != null ? " AND kind = ?" : ""))) {
                select.setString(1, projectId);
                if (kind != null) {
                    select.setString(2, kind);
                }
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    return rows.getBigDecimal(1);
                }
            }
        });
    }

    /** Slices every replica holds now. */
    public int slices() {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM credit_reservations");
                 ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        });
    }

    /** Tells the other replicas this one is alive (its reservations are its own to settle). */
    public void heartbeat() {
        db.inTransaction(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE credit_replicas SET seen_at = CURRENT_TIMESTAMP WHERE id = ?")) {
                update.setString(1, replica);
                if (update.executeUpdate() == 1) {
                    return null;
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO credit_replicas (id, seen_at) VALUES (?, CURRENT_TIMESTAMP)")) {
                insert.setString(1, replica);
                insert.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Gives back the slices of replicas not seen for {@code silence} (every other replica's, when
     * {@code othersAreGone}: an embedded database has no other replica). What those replicas answered is charged by
     * their journals' events whenever they reach the ledger; a request they had not answered when they stopped is not
     * charged (its client got no reply).
     *
     * @return how many slices were given back
     */
    public int releaseOrphans(Duration silence, boolean othersAreGone) {
        return db.inTransaction(c -> {
            Instant now;
            try (PreparedStatement clock = c.prepareStatement("SELECT CURRENT_TIMESTAMP"); ResultSet rows = clock.executeQuery()) {
                rows.next();
                now = rows.getObject(1, java.time.OffsetDateTime.class).toInstant();
            }
            String sql = othersAreGone ? "SELECT id, project_id, amount FROM credit_reservations WHERE replica <> ?"
                    : "SELECT r.id, r.project_id, r.amount FROM credit_reservations r WHERE r.replica <> ? AND NOT EXISTS"
                      + " (SELECT 1 FROM credit_replicas p WHERE p.id = r.replica AND p.seen_at > ?)";
            Map<String, String> sliceProject = new LinkedHashMap<>();
            try (PreparedStatement select = c.prepareStatement(sql)) {
                select.setString(1, replica);
                if (!othersAreGone) {
                    Sql.setTime(select, 2, now.minus(silence));
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        sliceProject.put(rows.getString(1), rows.getString(2));
                    }
                }
            }
            if (sliceProject.isEmpty()) {
                return 0;
            }
            lock(c, new ArrayList<>(sliceProject.values()));
            Map<String, BigDecimal> released = new TreeMap<>();
            for (Map.Entry<String, String> slice : sliceProject.entrySet()) {
                BigDecimal held = sliceAmount(c, slice.getKey()); // read again under the project's lock
                if (held != null) {
                    shrink(c, slice.getKey(), held, held);
                    released.merge(slice.getValue(), held.negate(), BigDecimal::add);
                }
            }
            adjust(c, released, Map.of());
            return sliceProject.size();
        });
    }

    /** Projects whose defaults or metering changed at or after {@code since} (null: all). */
    public List<ProjectSettings> projectsChangedSince(Instant since) {
        return db.read(c -> {
            String sql = "SELECT id, default_rpm, default_tpm, default_max_concurrent, balance FROM projects"
                    + (since != null ? " WHERE updated_at >= ?" : "");
            try (PreparedStatement select = c.prepareStatement(sql)) {
                if (since != null) {
                    Sql.setTime(select, 1, since);
                }
                List<ProjectSettings> changed = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        changed.add(new ProjectSettings(rows.getString(1), Sql.integer(rows, "default_rpm"),
                                Sql.integer(rows, "default_tpm"), Sql.integer(rows, "default_max_concurrent"),
                                rows.getBigDecimal("balance") != null));
                    }
                }
                return changed;
            }
        });
    }

    /** {@code [balance, reserved]} of the project, null if there is none. */
    private static BigDecimal[] balance(Connection c, String projectId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT balance, reserved FROM projects WHERE id = ?")) {
            select.setString(1, projectId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? new BigDecimal[] {rows.getBigDecimal(1), rows.getBigDecimal(2)} : null;
            }
        }
    }

    private static void entry(Connection c, String projectId, String kind, BigDecimal amount, String requestId, String note)
            throws SQLException {
        BigDecimal after = balance(c, projectId)[0];
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO credit_entries (id, project_id, kind, amount,"
                + " balance_after, request_id, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, Ids.next("cred"));
            insert.setString(2, projectId);
            insert.setString(3, kind);
            insert.setBigDecimal(4, amount);
            insert.setBigDecimal(5, after);
            Sql.setString(insert, 6, requestId);
            Sql.setString(insert, 7, note);
            Sql.setTime(insert, 8, Sql.now());
            insert.executeUpdate();
        }
    }

    static Map<String, Integer> ordered() {
        return new LinkedHashMap<>();
    }
}
