package dev.triagerules.ledger;

import dev.triagerules.base.TextLimit;
import dev.triagerules.base.VisibleText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Checks of a ledger's contents that its schema does not enforce, made when it is opened. A
 * SQLite ledger is a file, and a file restored from a CI cache or handed over may come from
 * elsewhere: SQLite keeps whatever a column is given (a text in a BIGINT column reads as 0)
 * and runs, on this code's own writes, whatever triggers the file defines. So a run refuses
 * a file with a trigger before it writes, and the incidents' rows (the state every run's
 * lifecycle is judged from, and what the read commands show) must hold the types and
 * statuses this code writes (one scan of the table here: every run reads thousands of them).
 * The other tables' values are checked as they are read ({@link CheckedRow}), with the same
 * error ({@link #wrongValue}). PostgreSQL enforces the types itself; the statuses are
 * checked on both. A failed check is a {@link LedgerError}: the run writes its outputs and
 * records nothing.
 */
final class LedgerIntegrity {
    /**
     * A column of {@code ledger_incident} and the SQLite types this code writes in it; {@code int32}: an INTEGER
     * column, read as an int (a larger value would be cut).
     */
    private record Column(String name, List<String> types, boolean int32) {
        Column(String name, List<String> types) {
            this(name, types, false);
        }

        static Column integer(String name) {
            return new Column(name, List.of("integer"));
        }

        static Column int32(String name) {
            return new Column(name, List.of("integer"), true);
        }

        static Column text(String name) {
            return new Column(name, List.of("text"));
        }
    }

    private static final List<Column> COLUMNS = List.of(Column.text("incident_id"), Column.integer("incident_no"),
            Column.text("crash_class"), Column.text("severity"), Column.text("owner_hint"), Column.text("packet_id"),
            Column.text("suite_id"), Column.text("scenario_id"), Column.text("mode"), Column.text("env_fingerprint"),
            Column.text("reason_code"), Column.integer("key_hash"), Column.text("status"),
            new Column("previous_status", List.of("text", "null")), Column.integer("status_changed_run"),
            Column.integer("status_changed_unix_ms"), Column.int32("is_open"), Column.integer("opened_unix_ms"),
            Column.integer("first_seen_run"), Column.integer("first_seen_unix_ms"), Column.integer("last_seen_run"),
            Column.integer("last_seen_unix_ms"), Column.int32("runs_seen"), Column.integer("occurrences"),
            Column.int32("runs_since_seen"), Column.int32("passing_runs_since_seen"),
            Column.int32("regressions"), new Column("last_verdict", List.of("text", "null")),
            new Column("passing_runs_to_resolve", List.of("integer", "null"), true));
    private static final String HINT = "a ledger written by something else, or changed by hand: restore it from a"
            + " backup or start a new one";

    private LedgerIntegrity() {
    }

    /**
     * For a SQLite file a run is about to write: functions with side effects are kept out of
     * the file's schema ({@code trusted_schema=OFF}), and a file defining any trigger is
     * refused (this code creates none; one would change what a run records).
     */
    static void beforeWriting(LedgerLocation location, Connection connection) {
        if (location.kind() != LedgerLocation.Kind.SQLITE) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA trusted_schema=OFF");
            try (ResultSet trigger = statement.executeQuery(
                    "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' ORDER BY name LIMIT 1")) {
                if (trigger.next()) {
                    throw new LedgerError(location.display() + ": the ledger defines a trigger triage-rules did not"
                            + " create (" + quoted(trigger.getString(1)) + " on " + quoted(trigger.getString(2))
                            + "); it is not used", HINT, null);
                }
            }
        } catch (SQLException e) {
            throw new LedgerError(location.display() + ": cannot read the ledger: " + location.causeOf(e), e);
        }
    }

    /**
     * Every incident row holds this code's types (SQLite) and a known status (both): one
     * scan of the table, for the first row that does not.
     */
    static void checkIncidents(LedgerLocation location, Connection connection) {
        boolean sqlite = location.kind() == LedgerLocation.Kind.SQLITE;
        String statuses = LifecycleStatus.ALL.stream().map(s -> "?").collect(Collectors.joining(", "));
        String where = "status NOT IN (" + statuses + ") OR previous_status NOT IN (" + statuses + ")";
        String selected = COLUMNS.stream().map(Column::name).collect(Collectors.joining(", "));
        if (sqlite) {
            selected += ", " + COLUMNS.stream().map(c -> "typeof(" + c.name() + ")").collect(Collectors.joining(", "));
            where += " OR " + COLUMNS.stream().map(c -> "typeof(" + c.name() + ") NOT IN ("
                    + c.types().stream().map(t -> "'" + t + "'").collect(Collectors.joining(", ")) + ")")
                    .collect(Collectors.joining(" OR "));
            where += COLUMNS.stream().filter(Column::int32).map(c -> " OR (typeof(" + c.name() + ") = 'integer' AND "
                    + c.name() + " NOT BETWEEN " + Integer.MIN_VALUE + " AND " + Integer.MAX_VALUE + ")")
                    .collect(Collectors.joining());
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + selected + " FROM ledger_incident WHERE " + where + " LIMIT 1")) {
            int parameter = 1;
            for (int list = 0; list < 2; list++) {
                for (String status : LifecycleStatus.ALL) {
                    select.setString(parameter++, status);
                }
            }
            try (ResultSet row = select.executeQuery()) {
                if (row.next()) {
                    throw new LedgerError(location.display() + ": " + problem(row, sqlite), HINT, null);
                }
            }
        } catch (SQLException e) {
            throw new LedgerError(location.display() + ": cannot read the ledger: " + location.causeOf(e), e);
        }
    }

    /** What is wrong with a row the check selected: its first column of a wrong type, else its status. */
    private static String problem(ResultSet row, boolean sqlite) throws SQLException {
        String id = row.getString("incident_id");
        for (int c = 0; sqlite && c < COLUMNS.size(); c++) {
            Column column = COLUMNS.get(c);
            String type = row.getString(COLUMNS.size() + c + 1);
            boolean cut = column.int32() && "integer".equals(type) && row.getLong(c + 1) != (int) row.getLong(c + 1);
            if (!column.types().contains(type) || cut) {
                return wrongValueText("incident " + quoted(id), column.name(), row.getString(c + 1), type, cut
                        ? "a 32-bit integer" : column.types().get(0).equals("integer") ? "an integer" : "a text");
            }
        }
        String status = row.getString("status");
        return "incident " + quoted(id) + " has " + (LifecycleStatus.known(status) ? "previous_status "
                + quoted(row.getString("previous_status")) : "status " + quoted(status)) + ", not one of "
                + String.join(", ", LifecycleStatus.ALL);
    }

    /**
     * A value of the wrong type in any table, as every check says it: {@code row} names the row (an incident by its
     * id, another table's row by its key), {@code type} is SQLite's name of the value's type.
     */
    static LedgerError wrongValue(LedgerLocation location, String row, String column, String value, String type,
            String expected) {
        return new LedgerError(location.display() + ": " + wrongValueText(row, column, value, type, expected), HINT,
                null);
    }

    /**
     * A count that, plus what this code adds to it, is beyond the {@code bits} it is kept in: Java's {@code +}
     * would wrap it round to a negative number, shown, counted or recorded as such. {@code addend} and
     * {@code to} say what is added ("1", "this run").
     */
    static LedgerError overflow(LedgerLocation location, String row, String column, long value, long addend,
            String to, int bits) {
        return new LedgerError(location.display() + ": " + row + " has " + column + " " + quoted(Long.toString(value))
                + " (integer), which plus " + addend + " (" + to + ") is beyond a " + bits + "-bit integer", HINT,
                null);
    }

    private static String wrongValueText(String row, String column, String value, String type, String expected) {
        return row + " has " + column + " " + quoted(value) + " (" + type + "), not " + expected;
    }

    /** A value from the file, quoted, escaped and cut to a length a message can show. */
    static String quoted(String value) {
        if (value == null) {
            return "NULL";
        }
        String visible = VisibleText.inMessage(value);
        return "'" + (visible.length() > 60 ? TextLimit.cut(visible, 60) + "..." : visible) + "'";
    }
}
