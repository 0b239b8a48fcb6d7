package dev.triagerules.ledger;

import dev.triagerules.base.Unsigned128;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code ledger_incident} row as the ledger's code reads and writes it: its 26 columns in
 * one order, the record a selected row becomes, and the text parameter that may be SQL
 * NULL. Both the recording of a run (which reads the incidents as they were, then inserts
 * and updates them) and the read commands use these, so they live here once: the column
 * list and the record's components must stay in step, and here they sit side by side.
 */
final class IncidentRows {
    static final String INCIDENT_COLUMNS = "incident_id, crash_class, severity, owner_hint, packet_id,"
            + " suite_id, scenario_id, mode, env_fingerprint, reason_code, key_hash, status, is_open,"
            + " status_changed_unix_ms, opened_unix_ms, first_seen_run, first_seen_unix_ms, last_seen_run,"
            + " last_seen_unix_ms, runs_seen, occurrences, previous_status, status_changed_run, runs_since_seen,"
            + " passing_runs_since_seen, incident_no";

    private IncidentRows() {
    }

    /** An incident row as it was before this run. */
    record StoredIncident(RunFacts.SeenIncident descriptor, long keyHash, String status, boolean open,
            long statusChangedUnixMs, long openedUnixMs, long firstSeenRun, long firstSeenUnixMs, long lastSeenRun,
            long lastSeenUnixMs, int runsSeen, long occurrences, String previousStatus, long statusChangedRun,
            int runsSinceSeen, int passingRunsSinceSeen, long incidentNo) {
    }

    static List<StoredIncident> selectIncidents(Connection connection, String where, List<String> parameters)
            throws SQLException {
        List<StoredIncident> incidents = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + INCIDENT_COLUMNS + " FROM ledger_incident WHERE " + where)) {
            for (int i = 0; i < parameters.size(); i++) {
                setText(select, i + 1, parameters.get(i));
            }
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    RunFacts.SeenIncident descriptor = new RunFacts.SeenIncident(row.getString(1), row.getString(2),
                            row.getString(3), row.getString(4), row.getString(5), row.getString(6),
                            row.getString(7), row.getString(8), row.getString(9), row.getString(10), 0, Unsigned128.ZERO);
                    incidents.add(new StoredIncident(descriptor, row.getLong(11), row.getString(12),
                            row.getInt(13) == 1, row.getLong(14), row.getLong(15), row.getLong(16), row.getLong(17),
                            row.getLong(18), row.getLong(19), row.getInt(20), row.getLong(21), row.getString(22),
                            row.getLong(23), row.getInt(24), row.getInt(25), row.getLong(26)));
                }
            }
        }
        return incidents;
    }

    static void setText(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }
}
