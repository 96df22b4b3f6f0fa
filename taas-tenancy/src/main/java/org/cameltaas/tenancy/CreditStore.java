package org.cameltaas.tenancy;

import java.math.BigDecimal;
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

/**
 * Balances, reservations and the credits ledger in the tenancy database: the one truth every replica shares.
 * A reservation is one conditional update ({@code balance - reserved >= amount}), so two requests on any replicas
 * never both take the last credits; a settlement deletes the reservation first, so settling twice is a no-op.
 * Every balance change writes its {@code credit_entries} row in the same transaction.
 */
public final class CreditStore {

    public static final String TOP_UP = "top_up";
    public static final String CORRECTION = "correction";
    public static final String CHARGE = "charge";
    /** The most holds or settlements one transaction takes (bounds its statement and its locks' time). */
    public static final int MAX_GROUP = 256;

    /** What a reservation attempt found: whether it holds, and the balance and reserved amount it saw. */
    public record Reservation(boolean held, BigDecimal balance, BigDecimal reserved) {
    }

    /** A project's default limits and whether it is metered: what the request path keeps in memory. */
    public record ProjectSettings(String projectId, Integer defaultRpm, Integer defaultTpm, Integer defaultMaxConcurrent,
                                  boolean metered) {
    }

    private final Database db;
    private final String replica;

    public CreditStore(Database db, String replica) {
        this.db = db;
        this.replica = replica;
    }

    public String replica() {
        return replica;
    }

    /** One request's claim on its project's balance. */
    public record Hold(String requestId, String projectId, BigDecimal amount) {
    }

    /** One request's end: its actual cost (more or less than it held). */
    public record Settlement(String requestId, BigDecimal cost, String note) {
    }

    /** Holds {@code amount} of the project's balance for the request, if what is left covers it. */
    public Reservation reserve(String requestId, String projectId, BigDecimal amount) {
        return reserveAll(List.of(new Hold(requestId, projectId, amount))).get(0);
    }

    /**
     * Holds each request's amount, in order, while what is left of its project's balance covers it: one transaction
     * for the whole group (group commit). Each project's row is locked ({@code FOR UPDATE}, in id order so two
     * groups never deadlock) before what is left is computed, so no request on any replica takes credits another
     * one holds.
     *
     * @return one reservation per hold, in the holds' order
     */
    public List<Reservation> reserveAll(List<Hold> holds) {
        return db.inTransaction(c -> {
            Map<String, BigDecimal[]> projects = lock(c, holds.stream().map(Hold::projectId).toList());
            List<Reservation> results = new ArrayList<>(holds.size());
            Map<String, BigDecimal> added = new TreeMap<>();
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO credit_reservations"
                    + " (id, project_id, amount, replica, created_at) VALUES (?, ?, ?, ?, ?)")) {
                Instant now = Sql.now();
                for (Hold hold : holds) {
                    BigDecimal[] state = projects.get(hold.projectId());
                    boolean held = state != null && state[0] != null
                            && state[0].subtract(state[1]).compareTo(hold.amount()) >= 0;
                    if (held) {
                        state[1] = state[1].add(hold.amount());
                        added.merge(hold.projectId(), hold.amount(), BigDecimal::add);
                        insert.setString(1, hold.requestId());
                        insert.setString(2, hold.projectId());
                        insert.setBigDecimal(3, hold.amount());
                        insert.setString(4, replica);
                        Sql.setTime(insert, 5, now);
                        insert.addBatch();
                    }
                    results.add(state == null ? new Reservation(false, null, null)
                            : new Reservation(held, state[0], state[1]));
                }
                if (!added.isEmpty()) {
                    insert.executeBatch();
                }
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE projects SET reserved = reserved + ? WHERE id = ?")) {
                for (Map.Entry<String, BigDecimal> project : added.entrySet()) {
                    update.setBigDecimal(1, project.getValue());
                    update.setString(2, project.getKey());
                    update.addBatch();
                }
                if (!added.isEmpty()) {
                    update.executeBatch();
                }
            }
            return results;
        });
    }

    /**
     * Ends the request's reservation and charges {@code cost} (which may be more or less than was reserved).
     *
     * @return false when the reservation was not open (settled already, or never made)
     */
    public boolean settle(String requestId, BigDecimal cost, String note) {
        return settleAll(List.of(new Settlement(requestId, cost, note))) == 1;
    }

    /**
     * Ends each request's reservation and charges its cost, in one transaction (group commit); every charge writes
     * its {@code credit_entries} row with the balance after it. A reservation no longer open (settled already, by
     * this replica or another) is skipped, so settling twice is a no-op.
     *
     * @return how many reservations were open and are now settled
     */
    public int settleAll(List<Settlement> settlements) {
        return db.inTransaction(c -> {
            Map<String, String[]> open = openReservations(c, settlements);
            if (open.isEmpty()) {
                return 0;
            }
            Map<String, BigDecimal[]> projects = lock(c, open.values().stream().map(row -> row[0]).toList());
            List<Settlement> ending = new ArrayList<>();
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM credit_reservations WHERE id = ?")) {
                for (Settlement settlement : settlements) {
                    if (open.containsKey(settlement.requestId())) {
                        delete.setString(1, settlement.requestId());
                        delete.addBatch();
                        ending.add(settlement);
                    }
                }
                int[] deleted = delete.executeBatch();
                for (int i = deleted.length - 1; i >= 0; i--) {
                    if (deleted[i] == 0) {
                        ending.remove(i); // another transaction settled it first
                    }
                }
            }
            Map<String, BigDecimal[]> changes = new TreeMap<>(); // project: [released, charged]
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO credit_entries (id, project_id, kind, amount,"
                    + " balance_after, request_id, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                Instant now = Sql.now();
                boolean entries = false;
                for (Settlement settlement : ending) {
                    String[] row = open.get(settlement.requestId());
                    BigDecimal[] change = changes.computeIfAbsent(row[0], id -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
                    change[0] = change[0].add(new BigDecimal(row[1]));
                    change[1] = change[1].add(settlement.cost());
                    if (settlement.cost().signum() != 0) {
                        BigDecimal[] state = projects.get(row[0]);
                        state[0] = state[0].subtract(settlement.cost());
                        insert.setString(1, Ids.next("cred"));
                        insert.setString(2, row[0]);
                        insert.setString(3, CHARGE);
                        insert.setBigDecimal(4, settlement.cost().negate());
                        insert.setBigDecimal(5, state[0]);
                        insert.setString(6, settlement.requestId());
                        Sql.setString(insert, 7, settlement.note());
                        Sql.setTime(insert, 8, now);
                        insert.addBatch();
                        entries = true;
                    }
                }
                if (entries) {
                    insert.executeBatch();
                }
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE projects SET reserved = reserved - ?, balance = balance - ?"
                    + " WHERE id = ?")) {
                for (Map.Entry<String, BigDecimal[]> change : changes.entrySet()) {
                    update.setBigDecimal(1, change.getValue()[0]);
                    update.setBigDecimal(2, change.getValue()[1]);
                    update.setString(3, change.getKey());
                    update.addBatch();
                }
                if (!changes.isEmpty()) {
                    update.executeBatch();
                }
            }
            return ending.size();
        });
    }

    /** {@code id: [project_id, amount]} of the settlements' reservations still open. */
    private static Map<String, String[]> openReservations(Connection c, List<Settlement> settlements) throws SQLException {
        Map<String, String[]> open = new HashMap<>();
        String marks = String.join(", ", java.util.Collections.nCopies(settlements.size(), "?"));
        try (PreparedStatement select = c.prepareStatement("SELECT id, project_id, amount FROM credit_reservations"
                + " WHERE id IN (" + marks + ")")) {
            for (int i = 0; i < settlements.size(); i++) {
                select.setString(i + 1, settlements.get(i).requestId());
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    open.put(rows.getString(1), new String[] {rows.getString(2), rows.getBigDecimal(3).toPlainString()});
                }
            }
        }
        return open;
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

    /** Open reservations of every replica. */
    public int openReservations() {
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
     * Settles, by their reserved amount, the reservations of replicas not seen for {@code silence} (every other
     * replica's, when {@code othersAreGone}: an embedded database has no other replica). They belong to requests
     * a crash or a kill cut short; their actual cost is unknown, the estimate is the most they could have cost.
     *
     * @return how many were settled
     */
    public int settleOrphans(Duration silence, boolean othersAreGone) {
        List<Settlement> orphans = db.read(c -> {
            Instant now;
            try (PreparedStatement clock = c.prepareStatement("SELECT CURRENT_TIMESTAMP"); ResultSet rows = clock.executeQuery()) {
                rows.next();
                now = rows.getObject(1, java.time.OffsetDateTime.class).toInstant();
            }
            String sql = othersAreGone ? "SELECT id, amount FROM credit_reservations WHERE replica <> ?"
                    : "SELECT r.id, r.amount FROM credit_reservations r WHERE r.replica <> ? AND NOT EXISTS"
                      + " (SELECT 1 FROM credit_replicas p WHERE p.id = r.replica AND p.seen_at > ?)";
            try (PreparedStatement select = c.prepareStatement(sql)) {
                select.setString(1, replica);
                if (!othersAreGone) {
                    Sql.setTime(select, 2, now.minus(silence));
                }
                List<Settlement> found = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        found.add(new Settlement(rows.getString(1), rows.getBigDecimal(2),
                                "settled by its estimate: its replica stopped before the request ended"));
                    }
                }
                return found;
            }
        });
        int settled = 0;
        for (int from = 0; from < orphans.size(); from += MAX_GROUP) {
            settled += settleAll(orphans.subList(from, Math.min(orphans.size(), from + MAX_GROUP)));
        }
        return settled;
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
