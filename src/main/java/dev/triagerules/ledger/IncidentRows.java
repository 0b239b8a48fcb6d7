package dev.triagerules.ledger;

import dev.triagerules.base.Unsigned128;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code ledger_incident} row as the ledger's code reads and writes it: its 29 columns in
 * one order, the record a selected row becomes, and the text parameter that may be SQL
 * NULL. Both the recording of a run (which reads the incidents as they were, then inserts
 * and updates them) and the read commands use these, so they live here once: the column
 * list and the record's components must stay in step, and here they sit side by side.
 */
final class IncidentRows {
    /** The incident's own fields, after its id: what a run that does not see it needs to judge it. */
    private static final String DESCRIPTOR_COLUMNS = "crash_class, severity, owner_hint, packet_id,"
            + " suite_id, scenario_id, mode, env_fingerprint, reason_code";
    /** Its state across runs: what a run that sees it needs. */
    private static final String STATE_COLUMNS = "key_hash, status, is_open,"
            + " status_changed_unix_ms, opened_unix_ms, first_seen_run, first_seen_unix_ms, last_seen_run,"
            + " last_seen_unix_ms, runs_seen, occurrences, previous_status, status_changed_run, runs_since_seen,"
            + " passing_runs_since_seen, incident_no, regressions, last_verdict, passing_runs_to_resolve";
    static final String INCIDENT_COLUMNS = "incident_id, " + DESCRIPTOR_COLUMNS + ", " + STATE_COLUMNS;

    private IncidentRows() {
    }

    /**
     * An incident row as it was before this run. Read by {@link #selectStates}, its
     * descriptor holds only the incident id.
     */
    record StoredIncident(RunFacts.SeenIncident descriptor, long keyHash, String status, boolean open,
            long statusChangedUnixMs, long openedUnixMs, long firstSeenRun, long firstSeenUnixMs, long lastSeenRun,
            long lastSeenUnixMs, int runsSeen, long occurrences, String previousStatus, long statusChangedRun,
            int runsSinceSeen, int passingRunsSinceSeen, long incidentNo, int regressions, String lastVerdict,
            Integer passingRunsToResolve) {
    }

    static List<StoredIncident> selectIncidents(Connection connection, String where, List<String> parameters)
            throws SQLException {
        return select(connection, true, where, parameters);
    }

    /**
     * As {@link #selectIncidents}, with only the id of each incident's own fields: its
     * descriptor holds the id and nulls. For recording a run, which needs the descriptor only
     * of open incidents the run did not see: reading the nine texts of each of ~2,700 seen
     * incidents through the driver was most of the 80-200 ms the bench run spent reading
     * incidents, on the critical path.
     */
    static List<StoredIncident> selectStates(Connection connection, String where, List<String> parameters)
            throws SQLException {
        return select(connection, false, where, parameters);
    }

    private static List<StoredIncident> select(Connection connection, boolean descriptors, String where,
            List<String> parameters) throws SQLException {
        List<StoredIncident> incidents = new ArrayList<>();
        String columns = descriptors ? INCIDENT_COLUMNS : "incident_id, " + STATE_COLUMNS;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + columns + " FROM ledger_incident WHERE " + where)) {
            for (int i = 0; i < parameters.size(); i++) {
                setText(select, i + 1, parameters.get(i));
            }
            try (ResultSet row = select.executeQuery()) {
                int s = descriptors ? 11 : 2; // the first state column
                while (row.next()) {
                    RunFacts.SeenIncident descriptor = descriptors
                            ? new RunFacts.SeenIncident(row.getString(1), row.getString(2), row.getString(3),
                                    row.getString(4), row.getString(5), row.getString(6), row.getString(7),
                                    row.getString(8), row.getString(9), row.getString(10), 0, Unsigned128.ZERO)
                            : new RunFacts.SeenIncident(row.getString(1), null, null, null, null, null, null, null,
                                    null, null, 0, Unsigned128.ZERO);
                    incidents.add(new StoredIncident(descriptor, row.getLong(s), row.getString(s + 1),
                            row.getInt(s + 2) == 1, row.getLong(s + 3), row.getLong(s + 4), row.getLong(s + 5),
                            row.getLong(s + 6), row.getLong(s + 7), row.getLong(s + 8), row.getInt(s + 9),
                            row.getLong(s + 10), row.getString(s + 11), row.getLong(s + 12), row.getInt(s + 13),
                            row.getInt(s + 14), row.getLong(s + 15), row.getInt(s + 16), row.getString(s + 17),
                            nullableInt(row, s + 18)));
                }
            }
        }
        return incidents;
    }

    /**
     * Per scenario key, the passing runs in a row on an environment after which a failure
     * restarts its flake history: the largest {@code passing_runs_to_resolve} of the
     * incidents it last failed with (those last seen in the newest run that saw any of its
     * incidents), {@code otherwise} where the lifecycle rules set none. So the history
     * restarts only after a streak long enough to resolve those incidents: a fix, not a flake
     * that needs more passing runs to be resolved. Read before the run changes any incident,
     * by the recording of a run and by the verdicts' evidence alike, so both restart the same keys.
     */
    static Map<Long, Integer> restartThresholds(Connection connection, int otherwise) throws SQLException {
        Map<Long, long[]> newest = new HashMap<>(); // key -> {last seen run, threshold}
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(
                "SELECT key_hash, last_seen_run, passing_runs_to_resolve FROM ledger_incident")) {
            while (row.next()) {
                long key = row.getLong(1);
                long lastSeen = row.getLong(2);
                Integer stored = nullableInt(row, 3);
                int threshold = stored == null || stored < 1 ? otherwise : stored; // a rule's is at least 1
                long[] found = newest.get(key);
                if (found == null || lastSeen > found[0]) {
                    newest.put(key, new long[] {lastSeen, threshold});
                } else if (lastSeen == found[0]) {
                    found[1] = Math.max(found[1], threshold);
                }
            }
        }
        Map<Long, Integer> thresholds = new HashMap<>(newest.size() * 2);
        newest.forEach((key, found) -> thresholds.put(key, (int) found[1]));
        return thresholds;
    }

    /** An INTEGER column that may be NULL. */
    static Integer nullableInt(ResultSet row, int column) throws SQLException {
        int value = row.getInt(column);
        return row.wasNull() ? null : value;
    }

    static void setText(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }
}
