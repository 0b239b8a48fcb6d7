package dev.triagerules.ledger;

import static dev.triagerules.ledger.IncidentRows.INCIDENT_COLUMNS;
import static dev.triagerules.ledger.IncidentRows.selectIncidents;
import static dev.triagerules.ledger.IncidentRows.selectStates;
import static dev.triagerules.ledger.IncidentRows.setText;

import dev.triagerules.engine.RulePack;
import dev.triagerules.history.Determinism;
import dev.triagerules.history.DeterminismReport;
import dev.triagerules.history.ReplayEvidence;
import dev.triagerules.ledger.IncidentRows.StoredIncident;
import dev.triagerules.report.LifecycleReport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The recording of one triage run: the run and its inputs, the tallies of the scenarios
 * that ever failed, every incident the run touches with the lifecycle status the lifecycle
 * rules decide ({@link LifecycleJudge}), and the per-class counts the trends read.
 *
 * <p>The ledger's one writer of runs, and the longest part of it: apart from {@link Ledger}
 * so that it reads on its own. It works inside the transaction {@link Ledger#record}
 * opens, under the ingest lock that makes runs take turns; it never begins, commits or
 * rolls back, so a run that fails here leaves the ledger as it was.
 */
final class RunRecorder {
    /** Placeholders per IN list: well under every driver's limit. */
    private static final int IN_CHUNK = 500;

    private final LedgerLocation location;
    private final Connection connection;
    /** The last verdict each seen incident had before this run (null: never judged), for {@link #writeVerdicts}. */
    private final Map<String, String> lastVerdicts = new HashMap<>();

    RunRecorder(LedgerLocation location, Connection connection) {
        this.location = location;
        this.connection = connection;
    }

    /**
     * Writes the run and decides the lifecycle of every incident it touches. Runs inside the
     * transaction of {@link Ledger#record}, which already holds the ingest lock: nothing here
     * begins, commits or rolls back.
     */
    Ledger.RecordedRun recordInTransaction(RunFacts facts, RulePack pack) throws SQLException {
        long runId = nextRunId();
        facts = notBeforeTheNewestRun(facts);
        insertRun(runId, facts);
        FailingScenarios failing = failingScenarios(facts);
        insertScenarios(runId, failing.added());
        writeTallies(runId, failing.tallies(), IncidentRows.restartThresholds(connection,
                pack.policy().lifecycle().resolveAfterPassingRuns()), pack.policy().lifecycle().resolveAfterPassingRuns());
        List<Transition> transitions = decide(facts, pack, failing.tallies());
        LifecycleReport report = writeIncidents(runId, facts, transitions);
        writeRunClasses(runId, transitions);
        return new Ledger.RecordedRun(runId, report);
    }

    /**
     * The lifecycle the run would get if it were recorded now, from reads alone: the same
     * facts and the same rules as {@link #recordInTransaction}, and nothing written.
     */
    LifecycleReport judge(RunFacts facts, RulePack pack) throws SQLException {
        facts = notBeforeTheNewestRun(facts);
        return lifecycleReport(decide(facts, pack, failingScenarios(facts).tallies()), facts.recordedUnixMs());
    }

    /**
     * What happens to an incident in this run, as the lifecycle rules decided it: its
     * status before and after, and what changes with them.
     *
     * @param before the incident as the ledger had it; null for one seen for the first time
     * @param opened whether it became open in this run (new, or seen again after it was resolved)
     */
    private record Transition(IncidentLifecycle lifecycle, StoredIncident before, String next, boolean changed,
            boolean open, boolean opened, long changedAt, long openedAt, String previous) {
        static Transition of(IncidentLifecycle lifecycle, StoredIncident before, long now) {
            String next = lifecycle.getNextStatus();
            boolean changed = before == null || !next.equals(before.status());
            boolean open = LifecycleStatus.open(next);
            boolean opened = open && (before == null || !before.open());
            return new Transition(lifecycle, before, next, changed, open, opened,
                    changed ? now : before.statusChangedUnixMs(), opened ? now : before.openedUnixMs(),
                    before == null ? null : before.status());
        }
    }

    /**
     * Reads the incidents the run touches (the open ones, and those it sees), makes their
     * lifecycle facts and runs the lifecycle rules over them.
     */
    private List<Transition> decide(RunFacts facts, RulePack pack, List<RunFacts.ScenarioTally> failingTallies)
            throws SQLException {
        Map<Long, Boolean> keysRan = keysRan(failingTallies);
        // The state of every open incident and of every one the run sees; the whole row
        // (its descriptor) only of the open ones it does not see, whose facts come from it.
        Map<String, StoredIncident> stored = new HashMap<>();
        for (StoredIncident open : selectStates(connection, "is_open = 1", List.of())) {
            stored.put(open.descriptor().incidentId(), open);
        }
        Set<String> seenIds = new HashSet<>();
        for (RunFacts.SeenIncident incident : facts.incidents()) {
            seenIds.add(incident.incidentId());
        }
        List<String> unknown = seenIds.stream().filter(id -> !stored.containsKey(id)).sorted().toList();
        List<String> openUnseen = stored.keySet().stream().filter(id -> !seenIds.contains(id)).sorted().toList();
        for (StoredIncident incident : selectInChunks(unknown, false)) {
            stored.put(incident.descriptor().incidentId(), incident);
        }
        for (StoredIncident incident : selectInChunks(openUnseen, true)) {
            stored.put(incident.descriptor().incidentId(), incident);
        }

        List<IncidentLifecycle> lifecycles = new ArrayList<>();
        Map<String, RunFacts.SeenIncident> seen = new LinkedHashMap<>();
        for (RunFacts.SeenIncident incident : facts.incidents()) {
            if (seen.putIfAbsent(incident.incidentId(), incident) != null) {
                throw new IllegalArgumentException("incident " + incident.incidentId() + " given twice in one run");
            }
            StoredIncident before = stored.get(incident.incidentId());
            if (before != null) {
                lastVerdicts.put(incident.incidentId(), before.lastVerdict());
            }
            ReplayEvidence.Counts replay = facts.replays().of(incident.incidentId());
            int runsSeen = before == null ? 1 : (int) plus(before, "runs_seen", before.runsSeen(), 1, 32);
            lifecycles.add(new IncidentLifecycle(incident, before == null ? null : before.status(), true,
                    incident.occurrences(), runsSeen, 0, 0,
                    replay == null ? 0 : replay.attempts(), replay == null ? 0 : replay.passes(),
                    replay == null ? 0 : replay.failures(), replay == null ? 0 : replay.hung(),
                    before == null ? 0 : before.regressions(), before == null ? null : before.lastVerdict()));
        }
        for (StoredIncident open : stored.values()) {
            String id = open.descriptor().incidentId();
            if (seen.containsKey(id) || !open.open()) {
                continue;
            }
            Boolean failedInRun = keysRan.get(open.keyHash());
            int runsSince = (int) plus(open, "runs_since_seen", open.runsSinceSeen(), failedInRun == null ? 0 : 1, 32);
            int passingSince = (int) plus(open, "passing_runs_since_seen", open.passingRunsSinceSeen(),
                    Boolean.FALSE.equals(failedInRun) ? 1 : 0, 32);
            ReplayEvidence.Counts replay = facts.replays().of(id);
            lifecycles.add(new IncidentLifecycle(open.descriptor(), open.status(), false, 0, open.runsSeen(), runsSince,
                    passingSince, replay == null ? 0 : replay.attempts(), replay == null ? 0 : replay.passes(),
                    replay == null ? 0 : replay.failures(), replay == null ? 0 : replay.hung(), open.regressions(),
                    open.lastVerdict()));
        }

        LifecycleJudge.decide(pack, lifecycles);
        long now = facts.recordedUnixMs();
        List<Transition> transitions = new ArrayList<>(lifecycles.size());
        for (IncidentLifecycle lifecycle : lifecycles) {
            transitions.add(Transition.of(lifecycle, stored.get(lifecycle.getIncidentId()), now));
        }
        return transitions;
    }

    /** The rows of these incidents, {@value #IN_CHUNK} ids a query; whole, or their state only. */
    private List<StoredIncident> selectInChunks(List<String> ids, boolean whole) throws SQLException {
        List<StoredIncident> rows = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += IN_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
            String where = "incident_id IN (" + placeholders(IN_CHUNK) + ")";
            rows.addAll(whole ? selectIncidents(connection, where, padded(chunk))
                    : selectStates(connection, where, padded(chunk)));
        }
        return rows;
    }

    /** What the report says of the run's lifecycle: each seen incident's, the ones it resolved, the counts. */
    private static LifecycleReport lifecycleReport(List<Transition> transitions, long now) {
        Map<String, LifecycleReport.Lifecycle> byIncident = new HashMap<>();
        List<LifecycleReport.Resolved> resolved = new ArrayList<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        LifecycleStatus.ALL.forEach(status -> counts.put(status, 0L));
        for (Transition transition : transitions) {
            IncidentLifecycle lifecycle = transition.lifecycle();
            StoredIncident before = transition.before();
            if (lifecycle.isSeen()) {
                byIncident.put(lifecycle.getIncidentId(), new LifecycleReport.Lifecycle(transition.next(),
                        transition.previous(), transition.changedAt(), before == null ? now : before.firstSeenUnixMs(),
                        // runs_seen + 1: decide refused a count that it takes beyond 32 bits
                        now, before == null ? 1 : before.runsSeen() + 1, transition.opened(), lifecycle.getRule(),
                        lifecycle.getReason()));
                counts.merge(transition.next(), 1L, Long::sum);
            } else if (transition.changed()) {
                counts.merge(transition.next(), 1L, Long::sum);
                if (before.open() && !transition.open()) {
                    RunFacts.SeenIncident incident = lifecycle.incident();
                    resolved.add(new LifecycleReport.Resolved(incident.incidentId(), incident.crashClass(),
                            incident.severity(), incident.ownerHint(), incident.reasonCode(), incident.packetId(),
                            incident.suiteId(), incident.scenarioId(), incident.mode(), lifecycle.getReason()));
                }
            }
        }
        return new LifecycleReport(byIncident, resolved, counts);
    }

    /**
     * The run's time, but never before the newest recorded run's. A run is stamped when its
     * report is made, before it takes the ingest lock: one that waited for another run's turn
     * would otherwise follow it with an earlier time, and the runs, applied in id order,
     * would not be in time order ({@code ledger runs}, trends, pruning by age). The newest
     * run's time is one this run's recording cannot precede, so the time taken is never later
     * than the moment it is really recorded (runners' clocks apart).
     */
    private RunFacts notBeforeTheNewestRun(RunFacts facts) throws SQLException {
        // The latest run's row, not SQL's MAX: SQLite orders a text after every number, so a time of the wrong
        // type comes first and is refused, where MAX would have given it and JDBC read it as 0.
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(
                "SELECT run_id, recorded_unix_ms FROM ledger_run ORDER BY recorded_unix_ms DESC LIMIT 1")) {
            if (!row.next()) {
                return facts;
            }
            long newest = new CheckedRow(location, "ledger_run", row, 1).integer(2);
            return newest <= facts.recordedUnixMs() ? facts : facts.recordedAt(newest);
        }
    }

    private long nextRunId() throws SQLException {
        long newest = LedgerQueries.endRunId(location, connection, true);
        try {
            return Math.addExact(newest, 1);
        } catch (ArithmeticException e) { // Java's + would give the run a negative id, which no command shows last
            throw LedgerIntegrity.overflow(location, "ledger_run row (run_id " + newest + ")", "run_id", newest, 1,
                    "the next run", 64);
        }
    }

    /**
     * An incident's count as the ledger has it ({@code column}) plus what this run adds, within the {@code bits}
     * it is kept in (32: an INTEGER column, read as an int): Java's {@code +} would wrap it round to a negative
     * count, and SQLite's, where the recording adds in SQL, make a real of it.
     */
    private long plus(StoredIncident incident, String column, long value, long addend, int bits) {
        try {
            long sum = Math.addExact(value, addend);
            if (bits == 64 || sum == (int) sum) {
                return sum;
            }
        } catch (ArithmeticException e) {
            // beyond 64 bits: refused below
        }
        throw LedgerIntegrity.overflow(location, "incident " + LedgerIntegrity.quoted(
                incident.descriptor().incidentId()), column, value, addend, "this run", bits);
    }

    private void insertRun(long runId, RunFacts facts) throws SQLException {
        try (PreparedStatement run = connection.prepareStatement("INSERT INTO ledger_run (run_id, recorded_unix_ms,"
                + " tool_version, rules_sha256, policy_sha256, packet_filter, ci_commit, ci_branch, ci_job_url,"
                + " total_entries, failed_entries, incidents_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            run.setLong(1, runId);
            run.setLong(2, facts.recordedUnixMs());
            run.setString(3, facts.toolVersion());
            run.setString(4, facts.rulesSha256());
            run.setString(5, facts.policySha256());
            setText(run, 6, facts.packetFilter());
            setText(run, 7, facts.ci().commit());
            setText(run, 8, facts.ci().branch());
            setText(run, 9, facts.ci().jobUrl());
            run.setLong(10, facts.totalEntries());
            run.setLong(11, facts.failedEntries());
            run.setInt(12, facts.incidents().size());
            run.executeUpdate();
        }
        try (PreparedStatement input = connection.prepareStatement(
                "INSERT INTO ledger_run_input (run_id, position, path, sha256, infra_suspect) VALUES (?, ?, ?, ?, ?)")) {
            int position = 0;
            for (RunFacts.InputFile file : facts.inputs()) {
                input.setLong(1, runId);
                input.setInt(2, position++);
                input.setString(3, file.path());
                setText(input, 4, file.sha256());
                setInt(input, 5, file.infraSuspect() == null ? null : file.infraSuspect() ? 1 : 0);
                input.addBatch();
            }
            input.executeBatch();
        }
    }

    /** The scenario keys that have ever failed, as the ledger has them. */
    private Set<Long> failingKeys() throws SQLException {
        Set<Long> failingKeys = new HashSet<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT key_hash FROM ledger_scenario")) {
            CheckedRow scenario = new CheckedRow(location, "ledger_scenario", rows, 1);
            while (rows.next()) {
                failingKeys.add(scenario.integer(1));
            }
        }
        return failingKeys;
    }

    /** A scenario key that fails for the first time in this run. */
    private record NewScenario(long keyHash, String packetId, String suiteId, String scenarioId, String mode) {
    }

    /**
     * The scenario keys that fail for the first time in this run, and this run's tallies of
     * every key that has ever failed (these included), in tally order: the only tallies the
     * ledger records and the lifecycle reads.
     */
    private record FailingScenarios(List<NewScenario> added, List<RunFacts.ScenarioTally> tallies) {
    }

    /**
     * Sorts out the run's tallies in one pass: most of a log's scenario keys never failed
     * (51,000 tallies on the bench log, a few thousand of failing keys), and walking them all
     * once per step, each key boxed for a set lookup, cost 20-40 ms of the transaction.
     */
    private FailingScenarios failingScenarios(RunFacts facts) throws SQLException {
        Set<Long> failingKeys = failingKeys();
        List<NewScenario> added = new ArrayList<>();
        List<RunFacts.ScenarioTally> tallies = new ArrayList<>();
        for (RunFacts.ScenarioTally tally : facts.scenarios()) {
            tallies.add(tally);
            if (tally.failures() > 0 && tally.text() != null && failingKeys.add(tally.keyHash())) {
                RunFacts.ScenarioText text = tally.text();
                added.add(new NewScenario(tally.keyHash(), text.packetId(), text.suiteId(), text.scenarioId(),
                        text.mode()));
            }
        }
        // An incident's key is a failing key even when the caller gave no tallies.
        for (RunFacts.SeenIncident incident : facts.incidents()) {
            if (failingKeys.add(incident.keyHash())) {
                added.add(new NewScenario(incident.keyHash(), incident.packetId(), incident.suiteId(),
                        incident.scenarioId(), incident.mode()));
            }
        }
        // A passing tally counts when its key failed on another environment, maybe later in
        // the run: the set is complete only now.
        long[] sortedKeys = failingKeys.stream().mapToLong(Long::longValue).sorted().toArray();
        tallies.removeIf(tally -> Arrays.binarySearch(sortedKeys, tally.keyHash()) < 0);
        return new FailingScenarios(added, tallies);
    }

    private void insertScenarios(long runId, List<NewScenario> added) throws SQLException {
        try (PreparedStatement scenario = connection.prepareStatement("INSERT INTO ledger_scenario (key_hash,"
                + " packet_id, suite_id, scenario_id, mode, first_failed_run) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (NewScenario key : added) {
                scenario.setLong(1, key.keyHash());
                scenario.setString(2, key.packetId());
                scenario.setString(3, key.suiteId());
                scenario.setString(4, key.scenarioId());
                scenario.setString(5, key.mode());
                scenario.setLong(6, runId);
                scenario.addBatch();
            }
            scenario.executeBatch();
        }
    }

    /** Per failing key that ran in this run, whether some entry of it failed (on any environment). */
    private static Map<Long, Boolean> keysRan(List<RunFacts.ScenarioTally> failingTallies) {
        Map<Long, Boolean> keysRan = new HashMap<>();
        for (RunFacts.ScenarioTally tally : failingTallies) {
            keysRan.merge(tally.keyHash(), tally.failures() > 0, Boolean::logicalOr);
        }
        return keysRan;
    }

    /**
     * Per-run tallies of every scenario key that has ever failed (this run included), and
     * the cumulative runs of each on its environment. Keys that only ever passed are not
     * recorded: nothing needs them, and they are most of a log.
     *
     * <p>A key's cumulative runs on an environment restart with a failing run that follows
     * as many passing runs in a row as resolve the incidents it last failed with
     * ({@code restartAfterPassingRuns}, per key; {@code otherwise} for a key without one; see
     * {@link Ledger#recordedRuns}); {@code restarted_run} keeps the run that last did.
     */
    private void writeTallies(long runId, List<RunFacts.ScenarioTally> failingTallies,
            Map<Long, Integer> restartAfterPassingRuns, int otherwise) throws SQLException {
        try (PreparedStatement perRun = connection.prepareStatement("INSERT INTO ledger_scenario_run (key_hash,"
                + " run_id, env_hash, passes, failures) VALUES (?, ?, ?, ?, ?)");
                PreparedStatement perEnv = connection.prepareStatement("INSERT INTO ledger_scenario_env (key_hash,"
                        + " env_hash, env_fingerprint, runs, passing_runs, failing_runs, mixed_runs, last_run,"
                        + " passing_streak) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?) ON CONFLICT (key_hash, env_hash)"
                        + " DO UPDATE SET"
                        + " env_fingerprint = COALESCE(ledger_scenario_env.env_fingerprint, excluded.env_fingerprint),"
                        + " runs = CASE WHEN " + RESTART + " THEN 1 ELSE ledger_scenario_env.runs + 1 END,"
                        + " passing_runs = CASE WHEN " + RESTART + " THEN 0"
                        + " ELSE ledger_scenario_env.passing_runs + excluded.passing_runs END,"
                        + " failing_runs = CASE WHEN " + RESTART + " THEN 1"
                        + " ELSE ledger_scenario_env.failing_runs + excluded.failing_runs END,"
                        + " mixed_runs = CASE WHEN " + RESTART + " THEN excluded.mixed_runs"
                        + " ELSE ledger_scenario_env.mixed_runs + excluded.mixed_runs END,"
                        + " restarted_run = CASE WHEN " + RESTART + " THEN excluded.last_run"
                        + " ELSE ledger_scenario_env.restarted_run END,"
                        + " passing_streak = CASE WHEN excluded.failing_runs > 0 THEN 0"
                        + " ELSE ledger_scenario_env.passing_streak + 1 END,"
                        + " last_run = excluded.last_run")) {
            int batched = 0;
            for (RunFacts.ScenarioTally tally : failingTallies) {
                perRun.setLong(1, tally.keyHash());
                perRun.setLong(2, runId);
                perRun.setLong(3, tally.envHash());
                perRun.setLong(4, tally.passes());
                perRun.setLong(5, tally.failures());
                perRun.addBatch();
                boolean failed = tally.failures() > 0;
                perEnv.setLong(1, tally.keyHash());
                perEnv.setLong(2, tally.envHash());
                setText(perEnv, 3, tally.text() == null ? null : tally.text().envFingerprint());
                perEnv.setInt(4, failed ? 0 : 1);
                perEnv.setInt(5, failed ? 1 : 0);
                perEnv.setInt(6, failed && tally.passes() > 0 ? 1 : 0);
                perEnv.setLong(7, runId);
                perEnv.setInt(8, failed ? 0 : 1);
                int threshold = restartAfterPassingRuns.getOrDefault(tally.keyHash(), otherwise);
                for (int parameter = 9; parameter <= 13; parameter++) { // RESTART's threshold, once per use
                    perEnv.setInt(parameter, threshold);
                }
                perEnv.addBatch();
                if (++batched % 1000 == 0) {
                    perRun.executeBatch();
                    perEnv.executeBatch();
                }
            }
            perRun.executeBatch();
            perEnv.executeBatch();
        }
    }

    /** A failing run after enough passing runs in a row: the update's parameter is the key's run count. */
    private static final String RESTART = "(excluded.failing_runs > 0 AND ledger_scenario_env.passing_streak >= ?)";

    private LifecycleReport writeIncidents(long runId, RunFacts facts, List<Transition> transitions)
            throws SQLException {
        long nextIncidentNo;
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(
                "SELECT COALESCE(MAX(incident_no), 0) + 1 FROM ledger_incident")) {
            row.next();
            nextIncidentNo = row.getLong(1);
        }
        long now = facts.recordedUnixMs();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO ledger_incident ("
                + INCIDENT_COLUMNS + ") VALUES (" + placeholders(29) + ")");
                PreparedStatement updateSeen = connection.prepareStatement("UPDATE ledger_incident SET"
                        + " crash_class = ?, severity = ?, owner_hint = ?, env_fingerprint = ?, status = ?,"
                        + " previous_status = ?, status_changed_run = ?, status_changed_unix_ms = ?, is_open = ?,"
                        + " opened_unix_ms = ?, last_seen_run = ?, last_seen_unix_ms = ?, runs_seen = runs_seen + 1,"
                        + " occurrences = occurrences + ?, runs_since_seen = 0, passing_runs_since_seen = 0,"
                        + " regressions = regressions + ?, passing_runs_to_resolve = ? WHERE incident_id = ?");
                PreparedStatement updateUnseen = connection.prepareStatement("UPDATE ledger_incident SET"
                        + " status = ?, previous_status = ?, status_changed_run = ?, status_changed_unix_ms = ?,"
                        + " is_open = ?, opened_unix_ms = ?, runs_since_seen = ?, passing_runs_since_seen = ?,"
                        + " passing_runs_to_resolve = ? WHERE incident_id = ?");
                PreparedStatement sighting = connection.prepareStatement("INSERT INTO ledger_sighting"
                        + " (incident_no, run_id, occurrences, last_entry_unix_ms) VALUES (?, ?, ?, ?)");
                PreparedStatement change = connection.prepareStatement("INSERT INTO ledger_status_change"
                        + " (incident_no, run_id, status, previous_status, rule_name, reason) VALUES (?, ?, ?, ?, ?, ?)");
                PreparedStatement replay = connection.prepareStatement("INSERT INTO ledger_replay (incident_no,"
                        + " run_id, attempts, passes, failures, hung) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Transition transition : transitions) {
                IncidentLifecycle lifecycle = transition.lifecycle();
                RunFacts.SeenIncident incident = lifecycle.incident();
                String id = incident.incidentId();
                StoredIncident before = transition.before();
                String next = transition.next();
                boolean changed = transition.changed();
                boolean open = transition.open();
                long changedAt = transition.changedAt();
                long openedAt = transition.openedAt();
                String previous = transition.previous();
                long incidentNo = before == null ? nextIncidentNo++ : before.incidentNo();
                // 0: no rule of the pack set it; stored as null, read as resolve_after_passing_runs
                Integer toResolve = lifecycle.getPassingRunsToResolve() > 0 ? lifecycle.getPassingRunsToResolve()
                        : null;
                if (before == null) {
                    int i = 1;
                    insert.setString(i++, id);
                    insert.setString(i++, incident.crashClass());
                    insert.setString(i++, incident.severity());
                    insert.setString(i++, incident.ownerHint());
                    insert.setString(i++, incident.packetId());
                    insert.setString(i++, incident.suiteId());
                    insert.setString(i++, incident.scenarioId());
                    insert.setString(i++, incident.mode());
                    insert.setString(i++, incident.envFingerprint());
                    insert.setString(i++, incident.reasonCode());
                    insert.setLong(i++, incident.keyHash());
                    insert.setString(i++, next);
                    insert.setInt(i++, open ? 1 : 0);
                    insert.setLong(i++, now);
                    insert.setLong(i++, now);
                    insert.setLong(i++, runId);
                    insert.setLong(i++, now);
                    insert.setLong(i++, runId);
                    insert.setLong(i++, now);
                    insert.setInt(i++, 1);
                    insert.setLong(i++, incident.occurrences());
                    setText(insert, i++, null);
                    insert.setLong(i++, runId);
                    insert.setInt(i++, 0);
                    insert.setInt(i++, 0);
                    insert.setLong(i++, incidentNo);
                    insert.setInt(i++, 0);
                    setText(insert, i++, null); // its verdict comes with the run's verdicts (writeVerdicts)
                    setInt(insert, i, toResolve);
                    insert.addBatch();
                } else if (lifecycle.isSeen()) {
                    int i = 1;
                    updateSeen.setString(i++, incident.crashClass());
                    updateSeen.setString(i++, incident.severity());
                    updateSeen.setString(i++, incident.ownerHint());
                    updateSeen.setString(i++, incident.envFingerprint());
                    updateSeen.setString(i++, next);
                    setText(updateSeen, i++, changed ? before.status() : before.previousStatus());
                    updateSeen.setLong(i++, changed ? runId : before.statusChangedRun());
                    updateSeen.setLong(i++, changedAt);
                    updateSeen.setInt(i++, open ? 1 : 0);
                    updateSeen.setLong(i++, openedAt);
                    updateSeen.setLong(i++, runId);
                    updateSeen.setLong(i++, now);
                    updateSeen.setLong(i++, incident.occurrences());
                    plus(before, "occurrences", before.occurrences(), incident.occurrences(), 64); // added in SQL
                    plus(before, "regressions", before.regressions(), transition.opened() ? 1 : 0, 32);
                    // reopened: a regression, whatever the words of the statuses
                    updateSeen.setInt(i++, transition.opened() ? 1 : 0);
                    setInt(updateSeen, i++, toResolve);
                    updateSeen.setString(i, id);
                    updateSeen.addBatch();
                } else if (changed || lifecycle.getRunsSinceSeen() != before.runsSinceSeen()
                        || !java.util.Objects.equals(toResolve, before.passingRunsToResolve())) {
                    updateUnseen.setString(1, next);
                    setText(updateUnseen, 2, changed ? before.status() : before.previousStatus());
                    updateUnseen.setLong(3, changed ? runId : before.statusChangedRun());
                    updateUnseen.setLong(4, changedAt);
                    updateUnseen.setInt(5, open ? 1 : 0);
                    updateUnseen.setLong(6, openedAt);
                    updateUnseen.setInt(7, lifecycle.getRunsSinceSeen());
                    updateUnseen.setInt(8, lifecycle.getPassingRunsSinceSeen());
                    setInt(updateUnseen, 9, toResolve);
                    updateUnseen.setString(10, id);
                    updateUnseen.addBatch();
                }
                if (changed) {
                    change.setLong(1, incidentNo);
                    change.setLong(2, runId);
                    change.setString(3, next);
                    setText(change, 4, previous);
                    change.setString(5, lifecycle.getRule());
                    change.setString(6, lifecycle.getReason() == null ? "" : lifecycle.getReason());
                    change.addBatch();
                }
                if (lifecycle.isSeen()) {
                    sighting.setLong(1, incidentNo);
                    sighting.setLong(2, runId);
                    sighting.setLong(3, incident.occurrences());
                    sighting.setString(4, incident.lastEntryUnixMs().toString());
                    sighting.addBatch();
                }
                if (lifecycle.getReplayAttempts() > 0) {
                    replay.setLong(1, incidentNo);
                    replay.setLong(2, runId);
                    replay.setInt(3, lifecycle.getReplayAttempts());
                    replay.setInt(4, lifecycle.getReplayPasses());
                    replay.setInt(5, lifecycle.getReplayFailures());
                    replay.setInt(6, lifecycle.getReplayHung());
                    replay.addBatch();
                }
            }
            // Parents before children: incidents, then what refers to them.
            insert.executeBatch();
            updateSeen.executeBatch();
            updateUnseen.executeBatch();
            sighting.executeBatch();
            change.executeBatch();
            replay.executeBatch();
        }
        return lifecycleReport(transitions, now);
    }

    /** Per class and status: incidents that entered the status in this run, and open ones after it. */
    private void writeRunClasses(long runId, List<Transition> transitions) throws SQLException {
        Map<List<String>, int[]> counts = new TreeMap<>((a, b) -> a.get(0).equals(b.get(0))
                ? a.get(1).compareTo(b.get(1)) : a.get(0).compareTo(b.get(0)));
        for (Transition transition : transitions) {
            if (transition.changed()) {
                counts.computeIfAbsent(List.of(transition.lifecycle().getCrashClass(), transition.next()),
                        k -> new int[2])[0]++;
            }
        }
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT crash_class, status, COUNT(*) FROM ledger_incident"
                        + " WHERE is_open = 1 GROUP BY crash_class, status")) {
            while (rows.next()) {
                counts.computeIfAbsent(List.of(rows.getString(1), rows.getString(2)), k -> new int[2])[1] =
                        rows.getInt(3);
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO ledger_run_class (run_id,"
                + " crash_class, status, entered, open_after) VALUES (?, ?, ?, ?, ?)")) {
            for (Map.Entry<List<String>, int[]> count : counts.entrySet()) {
                insert.setLong(1, runId);
                insert.setString(2, count.getKey().get(0));
                insert.setString(3, count.getKey().get(1));
                insert.setInt(4, count.getValue()[0]);
                insert.setInt(5, count.getValue()[1]);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * Keeps the verdict the verdict rules gave each incident this run saw, as its last
     * verdict: the next runs' lifecycle facts read it ({@code lastVerdict}). Any word the
     * pack's verdict rules use is kept as it is. Only verdicts that changed are written: the
     * run's {@link #recordInTransaction} read the previous ones.
     */
    void writeVerdicts(RunFacts facts, DeterminismReport verdicts) throws SQLException {
        if (verdicts == null) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE ledger_incident SET last_verdict = ? WHERE incident_id = ?")) {
            int batched = 0;
            for (RunFacts.SeenIncident incident : facts.incidents()) {
                Determinism verdict = verdicts.byIncident().get(incident.incidentId());
                if (verdict == null || verdict.verdict() == null
                        || verdict.verdict().equals(lastVerdicts.get(incident.incidentId()))) {
                    continue; // most recurring incidents keep their verdict: ~2,700 updates a run on the bench
                }
                update.setString(1, verdict.verdict());
                update.setString(2, incident.incidentId());
                update.addBatch();
                if (++batched % 1000 == 0) {
                    update.executeBatch();
                }
            }
            update.executeBatch();
        }
    }

    private static void setInt(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, java.sql.Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }

    private static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    private static List<String> padded(List<String> values) {
        List<String> padded = new ArrayList<>(values);
        while (padded.size() < IN_CHUNK) {
            padded.add(null);
        }
        return padded;
    }
}
