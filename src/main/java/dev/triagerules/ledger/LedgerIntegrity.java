package dev.triagerules.ledger;

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
 * statuses this code writes. PostgreSQL enforces the types itself; the statuses are
 * checked on both. A failed check is a {@link LedgerError}: the run writes its outputs and
 * records nothing.
 */
final class LedgerIntegrity {
    /** The columns of {@code ledger_incident} that hold integers; every other one but previous_status holds text. */
    private static final List<String> INTEGER_COLUMNS = List.of("incident_no", "key_hash", "status_changed_run",
            "status_changed_unix_ms", "is_open", "opened_unix_ms", "first_seen_run", "first_seen_unix_ms",
            "last_seen_run", "last_seen_unix_ms", "runs_seen", "occurrences", "runs_since_seen",
            "passing_runs_since_seen");
    private static final List<String> TEXT_COLUMNS = List.of("incident_id", "crash_class", "severity", "owner_hint",
            "packet_id", "suite_id", "scenario_id", "mode", "env_fingerprint", "reason_code", "status");
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

    /** Every incident row holds this code's types (SQLite) and a known status (both). */
    static void checkIncidents(LedgerLocation location, Connection connection) {
        boolean sqlite = location.kind() == LedgerLocation.Kind.SQLITE;
        String statuses = LifecycleStatus.ALL.stream().map(s -> "?").collect(Collectors.joining(", "));
        String badStatus = "status NOT IN (" + statuses + ") OR previous_status NOT IN (" + statuses + ")";
        String sql;
        if (sqlite) {
            String types = INTEGER_COLUMNS.stream().map(c -> "typeof(" + c + ")").collect(Collectors.joining(", "))
                    + ", " + TEXT_COLUMNS.stream().map(c -> "typeof(" + c + ")").collect(Collectors.joining(", "))
                    + ", typeof(previous_status)";
            String badType = INTEGER_COLUMNS.stream().map(c -> "typeof(" + c + ") <> 'integer'")
                    .collect(Collectors.joining(" OR ")) + " OR "
                    + TEXT_COLUMNS.stream().map(c -> "typeof(" + c + ") <> 'text'").collect(Collectors.joining(" OR "))
                    + " OR typeof(previous_status) NOT IN ('text', 'null')";
            sql = "SELECT " + String.join(", ", INTEGER_COLUMNS) + ", " + String.join(", ", TEXT_COLUMNS)
                    + ", previous_status, " + types + " FROM ledger_incident WHERE " + badType + " OR " + badStatus
                    + " LIMIT 1";
        } else {
            sql = "SELECT incident_id, status, previous_status FROM ledger_incident WHERE " + badStatus + " LIMIT 1";
        }
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            int p = 1;
            for (int round = 0; round < 2; round++) {
                for (String status : LifecycleStatus.ALL) {
                    select.setString(p++, status);
                }
            }
            try (ResultSet row = select.executeQuery()) {
                if (row.next()) {
                    throw new LedgerError(location.display() + ": " + (sqlite ? sqliteProblem(row) : statusProblem(
                            row.getString(1), row.getString(2), row.getString(3))), HINT, null);
                }
            }
        } catch (SQLException e) {
            throw new LedgerError(location.display() + ": cannot read the ledger: " + location.causeOf(e), e);
        }
    }

    /** The first column of the row that is wrong, as a sentence. */
    private static String sqliteProblem(ResultSet row) throws SQLException {
        int columns = INTEGER_COLUMNS.size() + TEXT_COLUMNS.size() + 1;
        int idColumn = INTEGER_COLUMNS.size() + 1;
        String id = row.getString(idColumn);
        for (int c = 1; c <= columns; c++) {
            String type = row.getString(columns + c);
            String expected = c <= INTEGER_COLUMNS.size() ? "integer" : "text";
            boolean nullable = c == columns;
            if (!type.equals(expected) && !(nullable && type.equals("null"))) {
                String name = c <= INTEGER_COLUMNS.size() ? INTEGER_COLUMNS.get(c - 1)
                        : c < columns ? TEXT_COLUMNS.get(c - 1 - INTEGER_COLUMNS.size()) : "previous_status";
                return "incident " + quoted(id) + " has " + name + " " + quoted(row.getString(c)) + " (" + type
                        + "), not " + (expected.equals("integer") ? "an integer" : "a text");
            }
        }
        return statusProblem(id, row.getString(columns - 1), row.getString(columns));
    }

    private static String statusProblem(String id, String status, String previous) {
        boolean current = !LifecycleStatus.known(status);
        return "incident " + quoted(id) + " has " + (current ? "status " + quoted(status) : "previous_status "
                + quoted(previous)) + ", not one of " + String.join(", ", LifecycleStatus.ALL);
    }

    /** A value from the file, quoted, escaped and cut to a length a message can show. */
    private static String quoted(String value) {
        if (value == null) {
            return "NULL";
        }
        String visible = VisibleText.of(value);
        return "'" + (visible.length() > 60 ? visible.substring(0, 60) + "..." : visible) + "'";
    }
}
