package org.cameltaas.tenancy;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** JDBC helpers both databases agree on: times as OffsetDateTime, SQL states mapped to API errors. */
final class Sql {

    private Sql() {
    }

    /** Now, to the microsecond: what both databases store, so a written object equals the one read back. */
    static Instant now() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    static void setTime(PreparedStatement statement, int index, Instant time) throws SQLException {
        if (time == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, OffsetDateTime.ofInstant(time, ZoneOffset.UTC));
        }
    }

    static Instant time(ResultSet rows, String column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static Integer integer(ResultSet rows, String column) throws SQLException {
        int value = rows.getInt(column);
        return rows.wasNull() ? null : value;
    }

    static void setInteger(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }

    static void setString(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }

    /** Unique violations are duplicate names (409); anything else is the store failing. */
    static RuntimeException translate(SQLException e) {
        if ("23505".equals(e.getSQLState())) {
            return new TenancyException(409, "duplicate_name", "name", "An object with this name already exists here.");
        }
        return new TenancyStoreException(e);
    }

    /** The store itself failed (down, full, misconfigured): a 5xx, with no SQL or credentials in the reply. */
    static final class TenancyStoreException extends RuntimeException {
        TenancyStoreException(SQLException cause) {
            super("the tenancy database failed: SQL state " + cause.getSQLState(), cause);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** A list of names as the JSON text a column keeps (null: an empty list). */
    static String jsonList(java.util.List<String> names) {
        try {
            return JSON.writeValueAsString(names == null ? java.util.List.of() : names);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The list a column's JSON text holds; {@code column} names it when the text is not a JSON list. */
    static java.util.List<String> stringList(String json, String column) {
        try {
            return java.util.List.copyOf(JSON.readValue(json, new com.fasterxml.jackson.core.type.TypeReference<java.util.List<String>>() { }));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(column + " is not a JSON list", e);
        }
    }
}
