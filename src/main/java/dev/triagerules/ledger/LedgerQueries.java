package dev.triagerules.ledger;

import static dev.triagerules.ledger.IncidentRows.selectIncidents;

import dev.triagerules.history.RecordedRuns;
import dev.triagerules.history.ReplayEvidence;
import dev.triagerules.input.EntryOutcome;
import dev.triagerules.ledger.IncidentRows.StoredIncident;
import dev.triagerules.policy.LifecyclePolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ledger's read-only queries: the evidence of recorded runs for the flake rules, and
 * what the read commands and the HTML report show (incidents, an incident's timeline,
 * runs, trends). They only select, so they are kept apart from the recording of a run
 * ({@link RunRecorder}), with which they share only the incident row ({@link IncidentRows}).
 *
 * <p>Each method is plain JDBC and lets its {@link SQLException} go: {@link Ledger}, whose
 * methods of the same names every caller uses, turns it into a {@link LedgerError} that
 * names the ledger.
 */
final class LedgerQueries {
    private final Connection connection;

    LedgerQueries(Connection connection) {
        this.connection = connection;
    }

    /**
     * For {@link Ledger#recordedRuns}: the counts as recorded, with this run's tallies added.
     * A failing run after as many passing runs in a row as resolve the key's incidents
     * ({@link IncidentRows#restartThresholds}; {@code resolveAfterPassingRuns} for a key without
     * one) restarts them, as {@link RunRecorder} restarts the recorded counts (its {@code RESTART}).
     * Each count says where it starts: the key's first failure, or the restart it last had.
     */
    RecordedRuns recordedRuns(ScenarioTallies thisRun, LifecyclePolicy policy) throws SQLException {
        int otherwise = policy.resolveAfterPassingRuns();
        Map<Long, Integer> restartAfterPassingRuns = IncidentRows.restartThresholds(connection, otherwise);
        Map<List<Long>, RecordedRuns.Counts> recorded = new HashMap<>();
        Map<List<Long>, Integer> passingStreaks = new HashMap<>();
        Map<Long, Long> firstFailedRuns = new HashMap<>();
        // From the keys: one that failed before but never ran on this run's env still has its first failure.
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT s.key_hash, s.first_failed_run, e.env_hash, e.runs,"
                        + " e.passing_runs, e.failing_runs, e.mixed_runs, e.passing_streak, e.restarted_run"
                        + " FROM ledger_scenario s LEFT JOIN ledger_scenario_env e ON e.key_hash = s.key_hash")) {
            while (rows.next()) {
                long keyHash = rows.getLong(1);
                long firstFailed = rows.getLong(2);
                firstFailedRuns.put(keyHash, firstFailed);
                long envHash = rows.getLong(3);
                if (rows.wasNull()) {
                    continue;
                }
                long restartedRun = rows.getLong(9);
                boolean restarted = !rows.wasNull();
                List<Long> key = List.of(keyHash, envHash);
                recorded.put(key, new RecordedRuns.Counts(rows.getInt(4), rows.getInt(5), rows.getInt(6),
                        rows.getInt(7), restarted, restarted ? restartedRun : firstFailed));
                passingStreaks.put(key, rows.getInt(8));
            }
        }
        return (key, envFingerprint) -> {
            long keyHash = EntryOutcome.keyHash(key.packetId(), key.suiteId(), key.scenarioId(), key.mode());
            long envHash = EntryOutcome.textHash(envFingerprint);
            List<Long> pair = List.of(keyHash, envHash);
            RecordedRuns.Counts before = recorded.get(pair);
            RunFacts.ScenarioTally now = thisRun == null ? null : thisRun.get(keyHash, envHash);
            if (now == null) {
                return before;
            }
            boolean failed = now.failures() > 0;
            boolean restart = failed && passingStreaks.getOrDefault(pair, 0)
                    >= restartAfterPassingRuns.getOrDefault(keyHash, otherwise);
            RecordedRuns.Counts base;
            if (restart) {
                base = new RecordedRuns.Counts(0, 0, 0, 0, true, RecordedRuns.Counts.THIS_RUN);
            } else if (before == null) { // first failed in an earlier run (on another env), or in this one
                base = new RecordedRuns.Counts(0, 0, 0, 0, false,
                        firstFailedRuns.getOrDefault(keyHash, RecordedRuns.Counts.THIS_RUN));
            } else {
                base = before;
            }
            return new RecordedRuns.Counts(base.runs() + 1, base.passingRuns() + (failed ? 0 : 1),
                    base.failingRuns() + (failed ? 1 : 0), base.mixedRuns() + (failed && now.passes() > 0 ? 1 : 0),
                    base.restarted(), base.sinceRun());
        };
    }

    /** For {@link Ledger#incidents}: latest seen first. */
    List<LedgerView.Incident> incidents(LedgerView.IncidentFilter filter) throws SQLException {
        List<String> conditions = new ArrayList<>();
        List<String> parameters = new ArrayList<>();
        if (!filter.statuses().isEmpty()) {
            conditions.add("status IN (" + String.join(", ", Collections.nCopies(filter.statuses().size(), "?")) + ")");
            parameters.addAll(filter.statuses());
        }
        if (filter.openOnly()) {
            conditions.add("is_open = 1");
        }
        equalTo("crash_class", filter.crashClass(), conditions, parameters);
        equalTo("severity", filter.severity(), conditions, parameters);
        equalTo("owner_hint", filter.ownerHint(), conditions, parameters);
        List<StoredIncident> rows = selectIncidents(connection,
                conditions.isEmpty() ? "1 = 1" : String.join(" AND ", conditions), parameters);
        return rows.stream().sorted((a, b) -> a.lastSeenRun() != b.lastSeenRun()
                ? Long.compare(b.lastSeenRun(), a.lastSeenRun())
                : a.descriptor().incidentId().compareTo(b.descriptor().incidentId()))
                .map(this::view).toList();
    }

    /** Adds "column = ?" and its value, unless the value is null (any). */
    private static void equalTo(String column, String value, List<String> conditions, List<String> parameters) {
        if (value != null) {
            conditions.add(column + " = ?");
            parameters.add(value);
        }
    }

    private LedgerView.Incident view(StoredIncident row) {
        RunFacts.SeenIncident d = row.descriptor();
        return new LedgerView.Incident(d.incidentId(), row.status(), row.previousStatus(),
                d.crashClass(), d.severity(), d.ownerHint(), d.packetId(), d.suiteId(), d.scenarioId(), d.mode(),
                d.envFingerprint(), d.reasonCode(), row.firstSeenUnixMs(), row.lastSeenUnixMs(),
                row.statusChangedUnixMs(), row.openedUnixMs(), row.runsSeen(), row.occurrences(), row.open(),
                row.regressions(), row.lastVerdict());
    }

    /** For {@link Ledger#timeline}: null when the ledger does not know the incident. */
    LedgerView.Timeline timeline(String incidentId) throws SQLException {
        List<StoredIncident> rows = selectIncidents(connection, "incident_id = ?", List.of(incidentId));
        if (rows.isEmpty()) {
            return null;
        }
        StoredIncident incident = rows.get(0);
        TreeMap<Long, TimelineBuilder> runs = new TreeMap<>();
        eachRow("SELECT run_id, occurrences FROM ledger_sighting WHERE incident_no = ?", row -> {
            TimelineBuilder entry = runs.computeIfAbsent(row.getLong(1), TimelineBuilder::new);
            entry.seen = true;
            entry.occurrences = row.getLong(2);
        }, incident.incidentNo());
        eachRow("SELECT run_id, status, previous_status, rule_name, reason FROM ledger_status_change"
                + " WHERE incident_no = ?", row -> {
                    TimelineBuilder entry = runs.computeIfAbsent(row.getLong(1), TimelineBuilder::new);
                    entry.status = row.getString(2);
                    entry.previousStatus = row.getString(3);
                    entry.rule = row.getString(4);
                    entry.reason = row.getString(5);
                }, incident.incidentNo());
        eachRow("SELECT run_id, SUM(passes), SUM(failures) FROM ledger_scenario_run WHERE key_hash = ?"
                + " AND run_id >= ? GROUP BY run_id", row -> {
                    TimelineBuilder entry = runs.computeIfAbsent(row.getLong(1), TimelineBuilder::new);
                    entry.passes = row.getLong(2);
                    entry.failures = row.getLong(3);
                }, incident.keyHash(), incident.firstSeenRun());
        eachRow("SELECT run_id, attempts, passes, failures, hung FROM ledger_replay WHERE incident_no = ?",
                row -> runs.computeIfAbsent(row.getLong(1), TimelineBuilder::new).replay = new ReplayEvidence.Counts(
                        row.getInt(2), row.getInt(3), row.getInt(4), row.getInt(5), List.of()),
                incident.incidentNo());
        Map<Long, String[]> runInfo = new HashMap<>();
        eachRow("SELECT run_id, recorded_unix_ms, ci_commit FROM ledger_run WHERE run_id >= ?",
                row -> runInfo.put(row.getLong(1), new String[] {Long.toString(row.getLong(2)), row.getString(3)}),
                runs.isEmpty() ? Long.MAX_VALUE : runs.firstKey());
        List<LedgerView.TimelineEntry> entries = new ArrayList<>();
        for (TimelineBuilder entry : runs.values()) {
            String[] info = runInfo.get(entry.runId);
            if (info == null) {
                continue; // pruned
            }
            entries.add(new LedgerView.TimelineEntry(entry.runId, Long.parseLong(info[0]), info[1], entry.seen,
                    entry.occurrences, entry.passes, entry.failures, entry.status, entry.previousStatus,
                    entry.rule, entry.reason, entry.replay));
        }
        return new LedgerView.Timeline(view(incident), entries);
    }

    /** What to do with each row of a query. */
    private interface RowAction {
        void accept(ResultSet row) throws SQLException;
    }

    /** Runs a query whose parameters are all longs and hands each row to {@code action}. */
    private void eachRow(String sql, RowAction action, long... parameters) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setLong(i + 1, parameters[i]);
            }
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    action.accept(row);
                }
            }
        }
    }

    private static final class TimelineBuilder {
        final long runId;
        boolean seen;
        long occurrences;
        Long passes;
        Long failures;
        String status;
        String previousStatus;
        String rule;
        String reason;
        ReplayEvidence.Counts replay;

        TimelineBuilder(long runId) {
            this.runId = runId;
        }
    }

    private static Boolean suspect(Integer flag) {
        return flag == null ? null : flag != 0;
    }

    /** For {@link Ledger#runs} and {@link #run}: the runs from {@code fromRunId} to {@code toRunId}, oldest first. */
    List<LedgerView.Run> runs(long fromRunId, long toRunId) throws SQLException {
        Map<Long, List<RunFacts.InputFile>> inputs = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT run_id, path, sha256, infra_suspect"
                + " FROM ledger_run_input WHERE run_id BETWEEN ? AND ? ORDER BY run_id, position")) {
            select.setLong(1, fromRunId);
            select.setLong(2, toRunId);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    inputs.computeIfAbsent(row.getLong(1), k -> new ArrayList<>())
                            .add(new RunFacts.InputFile(row.getString(2), row.getString(3),
                                    suspect(IncidentRows.nullableInt(row, 4))));
                }
            }
        }
        Map<Long, Map<String, Integer>> entered = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT run_id, status, SUM(entered) FROM"
                + " ledger_run_class WHERE run_id BETWEEN ? AND ? GROUP BY run_id, status")) {
            select.setLong(1, fromRunId);
            select.setLong(2, toRunId);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    entered.computeIfAbsent(row.getLong(1), k -> new HashMap<>()).put(row.getString(2),
                            row.getInt(3));
                }
            }
        }
        List<LedgerView.Run> runs = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT run_id, recorded_unix_ms,"
                + " tool_version, rules_sha256, policy_sha256, packet_filter, ci_commit, ci_branch, ci_job_url,"
                + " total_entries, failed_entries, incidents_seen FROM ledger_run WHERE run_id BETWEEN ? AND ?"
                + " ORDER BY run_id")) {
            select.setLong(1, fromRunId);
            select.setLong(2, toRunId);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    long runId = row.getLong(1);
                    Map<String, Integer> counts = new LinkedHashMap<>();
                    Map<String, Integer> found = entered.getOrDefault(runId, Map.of());
                    LifecycleStatus.ALL.forEach(status -> counts.put(status, found.getOrDefault(status, 0)));
                    runs.add(new LedgerView.Run(runId, row.getLong(2), row.getString(3), row.getString(4),
                            row.getString(5), row.getString(6), new RunFacts.CiFacts(row.getString(7),
                                    row.getString(8), row.getString(9)), row.getLong(10), row.getLong(11),
                            row.getInt(12), List.copyOf(inputs.getOrDefault(runId, List.of())), counts));
                }
            }
        }
        return runs;
    }

    /** For {@link Ledger#run}: one run and the status changes it recorded; null when there is no such run. */
    LedgerView.RunChanges run(long runId) throws SQLException {
        List<LedgerView.Run> runs = runs(runId, runId);
        if (runs.isEmpty()) {
            return null;
        }
        List<LedgerView.StatusChange> changes = new ArrayList<>();
        eachRow("SELECT i.incident_id, c.status, c.previous_status, i.crash_class, i.severity, i.owner_hint,"
                + " i.packet_id, i.suite_id, i.scenario_id, i.mode, c.rule_name, c.reason FROM ledger_status_change c"
                + " JOIN ledger_incident i ON i.incident_no = c.incident_no WHERE c.run_id = ?", row -> changes.add(
                        new LedgerView.StatusChange(row.getString(1), row.getString(2), row.getString(3),
                                row.getString(4), row.getString(5), row.getString(6), row.getString(7),
                                row.getString(8), row.getString(9), row.getString(10), row.getString(11),
                                row.getString(12))), runId);
        // Statuses in their lifecycle order (new first), then by class and id: stable for people and diffs.
        changes.sort(Comparator.comparingInt((LedgerView.StatusChange c) -> LifecycleStatus.ALL.indexOf(c.status()))
                .thenComparing(LedgerView.StatusChange::crashClass)
                .thenComparing(LedgerView.StatusChange::incidentId));
        return new LedgerView.RunChanges(runs.get(0), changes);
    }

    /** The newest run's id; 0 when no run is recorded. */
    long newestRunId() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT COALESCE(MAX(run_id), 0) FROM ledger_run")) {
            row.next();
            return row.getLong(1);
        }
    }

    /** For {@link Ledger#trends}: the last {@code lastRuns} runs, at most {@code limit} of each list. */
    LedgerView.Trends trends(int lastRuns, int limit) throws SQLException {
        long newest = newestRunId();
        long from = newest - lastRuns + 1;
        TreeMap<Long, long[]> runTimes = new TreeMap<>();
        Map<Long, String> commits = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT run_id, recorded_unix_ms, ci_commit FROM ledger_run WHERE run_id >= ?")) {
            select.setLong(1, from);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    runTimes.put(row.getLong(1), new long[] {row.getLong(2)});
                    commits.put(row.getLong(1), row.getString(3));
                }
            }
        }
        Map<Long, Map<String, Integer>> open = new HashMap<>();
        Map<Long, Map<String, Map<String, Integer>>> entered = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT run_id, crash_class, status,"
                + " entered, open_after FROM ledger_run_class WHERE run_id >= ?")) {
            select.setLong(1, from);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    long runId = row.getLong(1);
                    String crashClass = row.getString(2);
                    open.computeIfAbsent(runId, k -> new TreeMap<>()).merge(crashClass, row.getInt(5),
                            Integer::sum);
                    if (row.getInt(4) > 0) {
                        entered.computeIfAbsent(runId, k -> new TreeMap<>())
                                .computeIfAbsent(row.getString(3), k -> new TreeMap<>())
                                .put(crashClass, row.getInt(4));
                    }
                }
            }
        }
        List<LedgerView.RunTrend> trend = new ArrayList<>();
        runTimes.forEach((runId, time) -> trend.add(new LedgerView.RunTrend(runId, time[0], commits.get(runId),
                open.getOrDefault(runId, Map.of()), entered.getOrDefault(runId, Map.of()))));
        List<LedgerView.Incident> openIncidents = selectIncidents(connection, "is_open = 1", List.of()).stream()
                .sorted((a, b) -> a.openedUnixMs() != b.openedUnixMs()
                        ? Long.compare(a.openedUnixMs(), b.openedUnixMs())
                        : a.descriptor().incidentId().compareTo(b.descriptor().incidentId()))
                .limit(limit).map(this::view).toList();
        List<LedgerView.Incident> recurring = selectIncidents(connection, "1 = 1", List.of()).stream()
                .sorted((a, b) -> a.runsSeen() != b.runsSeen() ? Integer.compare(b.runsSeen(), a.runsSeen())
                        : a.descriptor().incidentId().compareTo(b.descriptor().incidentId()))
                .limit(limit).map(this::view).toList();
        List<LedgerView.FlakyScenario> flaky = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT s.packet_id, s.suite_id,"
                + " s.scenario_id, s.mode, e.env_fingerprint, e.runs, e.passing_runs, e.failing_runs, e.mixed_runs,"
                + " e.env_hash FROM ledger_scenario_env e JOIN ledger_scenario s ON s.key_hash = e.key_hash"
                + " WHERE (e.passing_runs > 0 AND e.failing_runs > 0) OR e.mixed_runs > 0"
                + " ORDER BY e.failing_runs DESC, s.packet_id, s.suite_id, s.scenario_id, s.mode, e.env_hash")) {
            try (ResultSet row = select.executeQuery()) {
                while (row.next() && flaky.size() < limit) {
                    flaky.add(new LedgerView.FlakyScenario(row.getString(1), row.getString(2), row.getString(3),
                            row.getString(4), row.getString(5), row.getInt(6), row.getInt(7), row.getInt(8),
                            row.getInt(9)));
                }
            }
        }
        return new LedgerView.Trends(trend, openIncidents, recurring, flaky);
    }
}
