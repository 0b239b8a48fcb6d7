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
 * names the ledger. Every value read is checked for its column's type as it is read
 * ({@link CheckedRow}; the incidents' rows were checked when the ledger opened), and a query
 * whose answer SQL would compute from a value of the wrong type (a sum, a maximum) reads the
 * rows it computes from instead, so that such a value is refused rather than counted.
 */
final class LedgerQueries {
    private final LedgerLocation location;
    private final Connection connection;

    LedgerQueries(LedgerLocation location, Connection connection) {
        this.location = location;
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
            // Also what a run's recording adds to (RunRecorder.writeTallies): checked here, before it does.
            CheckedRow scenario = new CheckedRow(location, "ledger_scenario", rows, 1);
            CheckedRow env = new CheckedRow(location, "ledger_scenario_env", rows, 1, 3);
            while (rows.next()) {
                long keyHash = scenario.integer(1);
                long firstFailed = scenario.integer(2);
                firstFailedRuns.put(keyHash, firstFailed);
                Long envHash = env.nullableInteger(3);
                if (envHash == null) { // a key without a row on any env (the LEFT JOIN's nulls)
                    continue;
                }
                Long restartedRun = env.nullableInteger(9);
                List<Long> key = List.of(keyHash, envHash);
                recorded.put(key, new RecordedRuns.Counts(env.int32(4), env.int32(5), env.int32(6), env.int32(7),
                        restartedRun != null, restartedRun != null ? restartedRun : firstFailed));
                passingStreaks.put(key, env.int32(8));
                RunFacts.ScenarioTally now = thisRun == null ? null : thisRun.get(keyHash, envHash);
                if (now != null && !restarts(now, env.int32(8), restartAfterPassingRuns.getOrDefault(keyHash,
                        otherwise))) {
                    // What the evidence below adds of this run (and its recording, in SQL), checked here, where
                    // the row can be named: Java's + would wrap a count round to a negative one.
                    boolean failed = now.failures() > 0;
                    env.plus32(1, 4, THIS_RUN);
                    env.plus32(failed ? 0 : 1, 5, THIS_RUN);
                    env.plus32(failed ? 1 : 0, 6, THIS_RUN);
                    env.plus32(failed && now.passes() > 0 ? 1 : 0, 7, THIS_RUN);
                    env.plus32(failed ? 0 : 1, 8, THIS_RUN); // the passing streak, which only the recording adds to
                }
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
            boolean restart = restarts(now, passingStreaks.getOrDefault(pair, 0),
                    restartAfterPassingRuns.getOrDefault(keyHash, otherwise));
            RecordedRuns.Counts base;
            if (restart) {
                base = new RecordedRuns.Counts(0, 0, 0, 0, true, RecordedRuns.Counts.THIS_RUN);
            } else if (before == null) { // first failed in an earlier run (on another env), or in this one
                base = new RecordedRuns.Counts(0, 0, 0, 0, false,
                        firstFailedRuns.getOrDefault(keyHash, RecordedRuns.Counts.THIS_RUN));
            } else {
                base = before;
            }
            // Within 32 bits: the reading above refused a count this would take beyond them.
            return new RecordedRuns.Counts(base.runs() + 1, base.passingRuns() + (failed ? 0 : 1),
                    base.failingRuns() + (failed ? 1 : 0), base.mixedRuns() + (failed && now.passes() > 0 ? 1 : 0),
                    base.restarted(), base.sinceRun());
        };
    }

    /** What a recorded count is added to, as an overflow's message says it. */
    private static final String THIS_RUN = "this run";

    /** Whether this run's tally of a key on an env restarts its recorded counts there (a failure after a fix). */
    private static boolean restarts(RunFacts.ScenarioTally now, int passingStreak, int restartAfterPassingRuns) {
        return now.failures() > 0 && passingStreak >= restartAfterPassingRuns;
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
        eachRow("ledger_sighting", 2, "SELECT incident_no, run_id, occurrences FROM ledger_sighting"
                + " WHERE incident_no = ?", row -> {
                    TimelineBuilder entry = runs.computeIfAbsent(row.integer(2), TimelineBuilder::new);
                    entry.seen = true;
                    entry.occurrences = row.integer(3);
                }, incident.incidentNo());
        eachRow("ledger_status_change", 2, "SELECT incident_no, run_id, status, previous_status, rule_name, reason"
                + " FROM ledger_status_change WHERE incident_no = ?", row -> {
                    TimelineBuilder entry = runs.computeIfAbsent(row.integer(2), TimelineBuilder::new);
                    entry.status = row.status(3);
                    entry.previousStatus = row.nullableStatus(4);
                    entry.rule = row.text(5);
                    entry.reason = row.text(6);
                }, incident.incidentNo());
        // Each environment's row, summed here: SQL's SUM would count a text as 0. Exactly: a sum beyond 64 bits
        // is refused, not shown wrapped round to a negative count.
        eachRow("ledger_scenario_run", 3, "SELECT key_hash, run_id, env_hash, passes, failures FROM"
                + " ledger_scenario_run WHERE key_hash = ? AND run_id >= ?", row -> {
                    TimelineBuilder entry = runs.computeIfAbsent(row.integer(2), TimelineBuilder::new);
                    row.integer(3); // env_hash: summed over, but read (and so checked) all the same
                    entry.passes = row.plus(entry.passes == null ? 0 : entry.passes, 4, OTHER_ENVS);
                    entry.failures = row.plus(entry.failures == null ? 0 : entry.failures, 5, OTHER_ENVS);
                }, incident.keyHash(), incident.firstSeenRun());
        eachRow("ledger_replay", 2, "SELECT incident_no, run_id, attempts, passes, failures, hung FROM ledger_replay"
                + " WHERE incident_no = ?", row -> runs.computeIfAbsent(row.integer(2), TimelineBuilder::new).replay =
                        new ReplayEvidence.Counts(row.int32(3), row.int32(4), row.int32(5), row.int32(6), List.of()),
                incident.incidentNo());
        Map<Long, String[]> runInfo = new HashMap<>();
        eachRow("ledger_run", 1, "SELECT run_id, recorded_unix_ms, ci_commit FROM ledger_run WHERE run_id >= ?",
                row -> runInfo.put(row.integer(1), new String[] {Long.toString(row.integer(2)),
                        row.nullableText(3)}), runs.isEmpty() ? Long.MAX_VALUE : runs.firstKey());
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

    /** What a per-environment count is added to, as an overflow's message says it. */
    private static final String OTHER_ENVS = "the run's other environments";

    /** What to do with each row of a query. */
    private interface RowAction {
        void accept(CheckedRow row) throws SQLException;
    }

    /**
     * Runs a query of one table whose first {@code keyColumns} columns are the row's key and whose parameters are
     * all longs, and hands each row to {@code action}.
     */
    private void eachRow(String table, int keyColumns, String sql, RowAction action, long... parameters)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setLong(i + 1, parameters[i]);
            }
            try (ResultSet row = select.executeQuery()) {
                CheckedRow checked = new CheckedRow(location, table, row,
                        java.util.stream.IntStream.rangeClosed(1, keyColumns).toArray());
                while (row.next()) {
                    action.accept(checked);
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

    /**
     * For {@link Ledger#runs} and {@link #run}: every run, oldest first, or the one run {@code only} (null: all).
     * All of them are read without a condition on their ids, so that a row whose id is of the wrong type is
     * refused, not left out.
     */
    List<LedgerView.Run> runs(Long only) throws SQLException {
        String where = only == null ? "" : " WHERE run_id = ?";
        Map<Long, List<RunFacts.InputFile>> inputs = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT run_id, position, path, sha256,"
                + " infra_suspect FROM ledger_run_input" + where + " ORDER BY run_id, position")) {
            try (ResultSet row = select(select, only)) {
                CheckedRow input = new CheckedRow(location, "ledger_run_input", row, 1, 2);
                while (row.next()) {
                    long runId = input.integer(1);
                    input.int32(2); // the order of the inputs: checked, as SQL ordered by it
                    inputs.computeIfAbsent(runId, k -> new ArrayList<>()).add(new RunFacts.InputFile(input.text(3),
                            input.nullableText(4), suspect(input.nullableInt32(5))));
                }
            }
        }
        // Summed here, per run and status over the classes: SQL's SUM would count a text as 0. Exactly: a sum
        // beyond 32 bits is refused, not shown wrapped round to a negative count.
        Map<Long, Map<String, Integer>> entered = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT run_id, crash_class, status, entered"
                + " FROM ledger_run_class" + where)) {
            try (ResultSet row = select(select, only)) {
                CheckedRow counts = new CheckedRow(location, "ledger_run_class", row, 1, 2, 3);
                while (row.next()) {
                    long runId = counts.integer(1);
                    counts.text(2);
                    Map<String, Integer> perStatus = entered.computeIfAbsent(runId, k -> new HashMap<>());
                    String status = counts.status(3);
                    perStatus.put(status, counts.plus32(perStatus.getOrDefault(status, 0), 4, "the run's other"
                            + " classes"));
                }
            }
        }
        List<LedgerView.Run> runs = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT run_id, recorded_unix_ms,"
                + " tool_version, rules_sha256, policy_sha256, packet_filter, ci_commit, ci_branch, ci_job_url,"
                + " total_entries, failed_entries, incidents_seen FROM ledger_run" + where + " ORDER BY run_id")) {
            try (ResultSet row = select(select, only)) {
                CheckedRow run = new CheckedRow(location, "ledger_run", row, 1);
                while (row.next()) {
                    long runId = run.integer(1);
                    Map<String, Integer> counts = new LinkedHashMap<>();
                    Map<String, Integer> found = entered.getOrDefault(runId, Map.of());
                    LifecycleStatus.ALL.forEach(status -> counts.put(status, found.getOrDefault(status, 0)));
                    runs.add(new LedgerView.Run(runId, run.integer(2), run.text(3), run.text(4), run.text(5),
                            run.nullableText(6), new RunFacts.CiFacts(run.nullableText(7), run.nullableText(8),
                                    run.nullableText(9)), run.integer(10), run.integer(11), run.int32(12),
                            List.copyOf(inputs.getOrDefault(runId, List.of())), counts));
                }
            }
        }
        return runs;
    }

    /** Runs a query of {@link #runs}: with {@code only} as its one parameter, when given. */
    private static ResultSet select(PreparedStatement select, Long only) throws SQLException {
        if (only != null) {
            select.setLong(1, only);
        }
        return select.executeQuery();
    }

    /** For {@link Ledger#run}: one run and the status changes it recorded; null when there is no such run. */
    LedgerView.RunChanges run(long runId) throws SQLException {
        List<LedgerView.Run> runs = runs(runId);
        if (runs.isEmpty()) {
            return null;
        }
        List<LedgerView.StatusChange> changes = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT c.incident_no, c.run_id, c.status,"
                + " c.previous_status, c.rule_name, c.reason, i.incident_id, i.crash_class, i.severity, i.owner_hint,"
                + " i.packet_id, i.suite_id, i.scenario_id, i.mode FROM ledger_status_change c"
                + " JOIN ledger_incident i ON i.incident_no = c.incident_no WHERE c.run_id = ?")) {
            select.setLong(1, runId);
            try (ResultSet row = select.executeQuery()) {
                CheckedRow change = new CheckedRow(location, "ledger_status_change", row, 1, 2);
                CheckedRow incident = new CheckedRow(location, "ledger_incident", row, 7);
                while (row.next()) {
                    change.integer(1);
                    change.integer(2);
                    changes.add(new LedgerView.StatusChange(incident.text(7), change.status(3),
                            change.nullableStatus(4), incident.text(8), incident.text(9), incident.text(10),
                            incident.text(11), incident.text(12), incident.text(13), incident.text(14), change.text(5),
                            change.text(6)));
                }
            }
        }
        // Statuses in their lifecycle order (new first), then by class and id: stable for people and diffs.
        changes.sort(Comparator.comparingInt((LedgerView.StatusChange c) -> LifecycleStatus.ALL.indexOf(c.status()))
                .thenComparing(LedgerView.StatusChange::crashClass)
                .thenComparing(LedgerView.StatusChange::incidentId));
        return new LedgerView.RunChanges(runs.get(0), changes);
    }

    /** The newest run's id; 0 when no run is recorded. */
    long newestRunId() throws SQLException {
        return endRunId(location, connection, true);
    }

    /**
     * The newest (or oldest) run's id; 0 when no run is recorded. The first row in that order, not SQL's MAX: SQLite
     * orders a text or blob after every number, so an id of the wrong type comes first and is refused, where MAX
     * would have given it and JDBC read it as 0. The primary key's index makes it one step either way.
     */
    static long endRunId(LedgerLocation location, Connection connection, boolean newest) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(
                "SELECT run_id FROM ledger_run ORDER BY run_id " + (newest ? "DESC" : "ASC") + " LIMIT 1")) {
            return row.next() ? new CheckedRow(location, "ledger_run", row, 1).integer(1) : 0;
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
                CheckedRow run = new CheckedRow(location, "ledger_run", row, 1);
                while (row.next()) {
                    long runId = run.integer(1);
                    runTimes.put(runId, new long[] {run.integer(2)});
                    commits.put(runId, run.nullableText(3));
                }
            }
        }
        Map<Long, Map<String, Integer>> open = new HashMap<>();
        Map<Long, Map<String, Map<String, Integer>>> entered = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT run_id, crash_class, status,"
                + " entered, open_after FROM ledger_run_class WHERE run_id >= ?")) {
            select.setLong(1, from);
            try (ResultSet row = select.executeQuery()) {
                CheckedRow counts = new CheckedRow(location, "ledger_run_class", row, 1, 2, 3);
                while (row.next()) {
                    long runId = counts.integer(1);
                    String crashClass = counts.text(2);
                    String status = counts.status(3);
                    int enteredCount = counts.int32(4);
                    // Exactly: a sum beyond 32 bits is refused, not shown wrapped round to a negative count.
                    Map<String, Integer> perClass = open.computeIfAbsent(runId, k -> new TreeMap<>());
                    perClass.put(crashClass, counts.plus32(perClass.getOrDefault(crashClass, 0), 5,
                            "the class's other statuses"));
                    if (enteredCount > 0) {
                        entered.computeIfAbsent(runId, k -> new TreeMap<>())
                                .computeIfAbsent(status, k -> new TreeMap<>())
                                .put(crashClass, enteredCount);
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
        // SQLite orders a text after every number: a count of the wrong type is among the first rows, and refused.
        try (PreparedStatement select = connection.prepareStatement("SELECT e.key_hash, e.env_hash, s.packet_id,"
                + " s.suite_id, s.scenario_id, s.mode, e.env_fingerprint, e.runs, e.passing_runs, e.failing_runs,"
                + " e.mixed_runs, e.restarted_run, s.first_failed_run"
                + " FROM ledger_scenario_env e JOIN ledger_scenario s ON s.key_hash = e.key_hash"
                + " WHERE (e.passing_runs > 0 AND e.failing_runs > 0) OR e.mixed_runs > 0"
                + " ORDER BY e.failing_runs DESC, s.packet_id, s.suite_id, s.scenario_id, s.mode, e.env_hash")) {
            try (ResultSet row = select.executeQuery()) {
                CheckedRow scenario = new CheckedRow(location, "ledger_scenario", row, 1);
                CheckedRow env = new CheckedRow(location, "ledger_scenario_env", row, 1, 2);
                while (row.next() && flaky.size() < limit) {
                    env.integer(1);
                    env.integer(2);
                    // Where the counts start, as recordedRuns says it for the flaky verdict's evidence.
                    Long restartedRun = env.nullableInteger(12);
                    flaky.add(new LedgerView.FlakyScenario(scenario.text(3), scenario.text(4), scenario.text(5),
                            scenario.text(6), env.nullableText(7), env.int32(8), env.int32(9), env.int32(10),
                            env.int32(11), restartedRun != null,
                            restartedRun != null ? restartedRun : scenario.integer(13)));
                }
            }
        }
        return new LedgerView.Trends(trend, openIncidents, recurring, flaky);
    }
}
