package dev.triagerules.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.triagerules.LogLines;
import dev.triagerules.engine.RulePack;
import dev.triagerules.history.RecordedRuns;
import dev.triagerules.history.ReplayEvidence;
import dev.triagerules.history.ScenarioKey;
import dev.triagerules.report.LifecycleReport;
import dev.triagerules.rules.Packs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger's behaviour, the same for every database: each subclass runs this whole
 * suite against a real one (a SQLite file, a PostgreSQL server).
 */
abstract class LedgerContractTest {
    static final long T0 = 1_771_300_000_000L;

    @TempDir
    Path tmp;

    /** A new, empty ledger location. */
    abstract String newLedger();

    static RulePack pack() {
        return Packs.v1();
    }

    static String fail(String scenario, String reasonCode) {
        return LogLines.entry(scenario, "fail", reasonCode);
    }

    static String pass(String scenario) {
        return LogLines.entry(scenario, "pass", "parity_ok");
    }

    /** Triages the lines as one run at run time {@code T0 + run} and records it. */
    static Ledger.RecordedRun record(String location, int run, List<String> lines) {
        return record(location, run, lines, ReplayEvidence.NONE);
    }

    static Ledger.RecordedRun record(String location, int run, List<String> lines, ReplayEvidence replays) {
        try (Ledger ledger = Ledger.open(location)) {
            return ledger.record(facts(run, lines, replays), pack());
        }
    }

    /** The facts of the lines triaged as one run at run time {@code T0 + run}. */
    static RunFacts facts(int run, List<String> lines, ReplayEvidence replays) {
        TriagePipeline.Triaged triaged = TriagePipeline.triage(pack(), "run-" + run + ".jsonl", lines, T0 + run);
        return RunFacts.of(triaged.report(), List.of(new RunFacts.InputFile("run-" + run + ".jsonl",
                "00".repeat(32))), triaged.tallies(), replays, RunFacts.CiFacts.NONE);
    }

    /** The id of the incident a failure of the scenario with the reason code makes (v1 pack). */
    static String incidentId(String scenario, String reasonCode) {
        return TriagePipeline.triage(pack(), "probe.jsonl", List.of(fail(scenario, reasonCode)), T0)
                .report().incidents().get(0).incidentId();
    }

    static LifecycleReport.Lifecycle lifecycle(Ledger.RecordedRun run, String id) {
        LifecycleReport.Lifecycle lifecycle = run.lifecycle().byIncident().get(id);
        assertThat(lifecycle).as("lifecycle of %s", id).isNotNull();
        return lifecycle;
    }

    static String status(String location, String id) {
        try (Ledger ledger = Ledger.open(location)) {
            return ledger.incidents(LedgerView.IncidentFilter.ALL).stream().filter(i -> i.incidentId().equals(id)).findFirst()
                    .orElseThrow().status();
        }
    }

    // ---- the walk-through of the "Done when" ----

    @Test
    void walkThroughNewRecurringResolvedRegressed() {
        String ledger = newLedger();
        String rank = incidentId("s1", "rank_mismatch");
        String decode = incidentId("s2", "decode_failure");

        Ledger.RecordedRun run1 = record(ledger, 1, List.of(fail("s1", "rank_mismatch"), fail("s2", "decode_failure"),
                pass("s3")));
        assertThat(lifecycle(run1, rank).status()).isEqualTo("new");
        assertThat(lifecycle(run1, decode).status()).isEqualTo("new");
        assertThat(lifecycle(run1, rank).previousStatus()).isNull();
        assertThat(lifecycle(run1, rank).firstSeenUnixMs()).isEqualTo(T0 + 1);
        assertThat(lifecycle(run1, rank).runsSeen()).isEqualTo(1);
        assertThat(lifecycle(run1, rank).openedInRun()).isTrue();
        assertThat(run1.lifecycle().statusCounts()).containsExactly(Map.entry("new", 2L), Map.entry("recurring", 0L),
                Map.entry("regressed", 0L), Map.entry("resolved", 0L));

        Ledger.RecordedRun run2 = record(ledger, 2, List.of(fail("s1", "rank_mismatch"), fail("s2", "decode_failure"),
                fail("s1", "rank_mismatch")));
        assertThat(lifecycle(run2, rank).status()).isEqualTo("recurring");
        assertThat(lifecycle(run2, rank).previousStatus()).isEqualTo("new");
        assertThat(lifecycle(run2, rank).runsSeen()).isEqualTo(2);
        assertThat(lifecycle(run2, rank).firstSeenUnixMs()).isEqualTo(T0 + 1);
        assertThat(lifecycle(run2, rank).lastSeenUnixMs()).isEqualTo(T0 + 2);
        assertThat(lifecycle(run2, decode).status()).isEqualTo("recurring");
        assertThat(lifecycle(run2, decode).openedInRun()).isFalse();

        // s1 passes in runs 3, 5 and 6; run 4 does not run s1 at all: silence never resolves.
        Ledger.RecordedRun run3 = record(ledger, 3, List.of(pass("s1"), fail("s2", "decode_failure")));
        assertThat(run3.lifecycle().resolvedIncidents()).isEmpty();
        assertThat(run3.lifecycle().byIncident()).containsOnlyKeys(decode);
        Ledger.RecordedRun run4 = record(ledger, 4, List.of(fail("s2", "decode_failure"), pass("s3")));
        assertThat(run4.lifecycle().resolvedIncidents()).isEmpty();
        Ledger.RecordedRun run5 = record(ledger, 5, List.of(pass("s1"), pass("s1"), fail("s2", "decode_failure")));
        assertThat(run5.lifecycle().resolvedIncidents()).isEmpty();
        assertThat(status(ledger, rank)).isEqualTo("recurring");
        Ledger.RecordedRun run6 = record(ledger, 6, List.of(pass("s1"), fail("s2", "decode_failure")));
        assertThat(run6.lifecycle().resolvedIncidents()).containsExactly(rank);
        assertThat(run6.lifecycle().statusCounts().get("resolved")).isEqualTo(1L);
        assertThat(run6.lifecycle().statusCounts().get("recurring")).isEqualTo(1L);
        assertThat(status(ledger, rank)).isEqualTo("resolved");
        assertThat(lifecycle(run6, decode).status()).isEqualTo("recurring");

        // A resolved incident is not looked at again until seen: still resolved.
        Ledger.RecordedRun run7 = record(ledger, 7, List.of(pass("s1"), fail("s2", "decode_failure")));
        assertThat(run7.lifecycle().resolvedIncidents()).isEmpty();
        assertThat(status(ledger, rank)).isEqualTo("resolved");

        Ledger.RecordedRun run8 = record(ledger, 8, List.of(fail("s1", "rank_mismatch"), fail("s2", "decode_failure")));
        LifecycleReport.Lifecycle regressed = lifecycle(run8, rank);
        assertThat(regressed.status()).isEqualTo("regressed");
        assertThat(regressed.previousStatus()).isEqualTo("resolved");
        assertThat(regressed.statusChangedUnixMs()).isEqualTo(T0 + 8);
        assertThat(regressed.runsSeen()).isEqualTo(3);
        assertThat(regressed.openedInRun()).isTrue();
        assertThat(regressed.rule()).isEqualTo("regressed: seen again after it was resolved");
        assertThat(run8.runId()).isEqualTo(8);

        try (Ledger opened = Ledger.open(ledger)) {
            LedgerView.Timeline timeline = opened.timeline(rank);
            assertThat(timeline.runs()).extracting(LedgerView.TimelineEntry::runId)
                    .containsExactly(1L, 2L, 3L, 5L, 6L, 7L, 8L);
            assertThat(timeline.runs()).extracting(LedgerView.TimelineEntry::status)
                    .containsExactly("new", "recurring", null, null, "resolved", null, "regressed");
            assertThat(timeline.runs()).extracting(LedgerView.TimelineEntry::seen)
                    .containsExactly(true, true, false, false, false, false, true);
            assertThat(timeline.runs().get(1).occurrences()).isEqualTo(2);
            assertThat(timeline.runs().get(3).passes()).isEqualTo(2L);
            assertThat(timeline.runs().get(3).failures()).isEqualTo(0L);
            assertThat(opened.incidents(LedgerView.IncidentFilter.status("regressed"))).extracting(LedgerView.Incident::incidentId)
                    .containsExactly(rank);
            assertThat(opened.incidents(LedgerView.IncidentFilter.status("recurring"))).extracting(LedgerView.Incident::incidentId)
                    .containsExactly(decode);
            List<LedgerView.Run> runs = opened.runs();
            assertThat(runs).extracting(LedgerView.Run::runId).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
            assertThat(runs.get(0).entered()).containsEntry("new", 2);
            assertThat(runs.get(5).entered()).containsEntry("resolved", 1);
            assertThat(runs.get(7).entered()).containsEntry("regressed", 1);
            assertThat(runs.get(0).inputs()).containsExactly(new RunFacts.InputFile("run-1.jsonl", "00".repeat(32)));

            // What each run changed: the status changes it recorded, with the incident as it is now.
            assertThat(opened.newestRunId()).isEqualTo(8);
            LedgerView.RunChanges first = opened.run(1);
            assertThat(first.run()).isEqualTo(runs.get(0));
            assertThat(first.changes()).extracting(LedgerView.StatusChange::incidentId,
                    LedgerView.StatusChange::status, LedgerView.StatusChange::previousStatus)
                    .containsExactlyInAnyOrder(tuple(rank, "new", null), tuple(decode, "new", null));
            assertThat(opened.run(4).changes()).isEmpty();
            LedgerView.StatusChange resolved = opened.run(6).changes().get(0);
            assertThat(opened.run(6).changes()).hasSize(1);
            LedgerView.Incident rankNow = opened.incidents(LedgerView.IncidentFilter.status("regressed")).get(0);
            assertThat(resolved).isEqualTo(new LedgerView.StatusChange(rank, "resolved", "recurring",
                    rankNow.crashClass(), rankNow.severity(), rankNow.ownerHint(), "FT-P2C-002", "dispatch_key", "s1",
                    "strict", timeline.runs().get(4).rule(), timeline.runs().get(4).reason()));
            assertThat(resolved.rule()).startsWith("resolved");
            assertThat(opened.run(8).changes()).extracting(LedgerView.StatusChange::status)
                    .containsExactly("regressed");
            assertThat(opened.run(9)).isNull();
        }
    }

    @Test
    void aRunThatWaitedItsTurnIsNeverStampedBeforeTheRunRecordedBeforeIt() throws Exception {
        String ledger = newLedger();
        String rank = incidentId("s1", "rank_mismatch");
        // Two concurrent runs: the one stamped at T0 + 5 took the ingest lock first; the one
        // stamped at T0 + 3 waited for it, and is recorded second.
        record(ledger, 5, List.of(fail("s1", "rank_mismatch")));
        RunFacts waited = facts(3, List.of(fail("s1", "rank_mismatch")), ReplayEvidence.NONE);
        LifecycleReport judged;
        try (Ledger opened = Ledger.openToRead(LedgerLocation.parse(ledger))) {
            judged = opened.judgeWithoutRecording(waited, pack());
        }
        Ledger.RecordedRun second;
        try (Ledger opened = Ledger.open(ledger)) {
            second = opened.record(waited, pack());
        }
        assertThat(second.lifecycle()).isEqualTo(judged);
        assertThat(lifecycle(second, rank).lastSeenUnixMs()).isEqualTo(T0 + 5);
        // A third run, stamped later, keeps its own time.
        record(ledger, 9, List.of(fail("s1", "rank_mismatch")));
        try (Ledger read = Ledger.openToRead(LedgerLocation.parse(ledger))) {
            assertThat(read.runs()).extracting(LedgerView.Run::runId, LedgerView.Run::recordedUnixMs)
                    .containsExactly(tuple(1L, T0 + 5), tuple(2L, T0 + 5), tuple(3L, T0 + 9));
            assertThat(read.timeline(rank).runs()).extracting(LedgerView.TimelineEntry::recordedUnixMs)
                    .containsExactly(T0 + 5, T0 + 5, T0 + 9);
        }
    }

    @Test
    void aRunJudgedWithoutRecordingGetsExactlyTheLifecycleRecordingItGivesAndWritesNothing() throws Exception {
        String ledger = newLedger();
        String rank = incidentId("s1", "rank_mismatch");
        record(ledger, 1, List.of(fail("s1", "rank_mismatch"), fail("s2", "decode_failure")));
        record(ledger, 2, List.of(pass("s1"), fail("s2", "decode_failure")));
        record(ledger, 3, List.of(pass("s1"), fail("s2", "decode_failure")));
        // Run 4 resolves rank (its third passing run), sees decode again and a new failure.
        RunFacts run4 = facts(4, List.of(pass("s1"), fail("s2", "decode_failure"), fail("s3", "rank_mismatch")),
                ReplayEvidence.NONE);
        String before = LedgerDatabases.snapshot(ledger);
        LifecycleReport judged;
        try (Ledger opened = Ledger.openToRead(LedgerLocation.parse(ledger))) {
            judged = opened.judgeWithoutRecording(run4, pack());
        }
        assertThat(LedgerDatabases.snapshot(ledger)).as("nothing written").isEqualTo(before);
        assertThat(judged.resolvedIncidents()).containsExactly(rank);

        LifecycleReport recorded;
        try (Ledger opened = Ledger.open(ledger)) {
            recorded = opened.record(run4, pack()).lifecycle();
        }
        assertThat(judged).isEqualTo(recorded);
    }

    @Test
    void incidentsAreListedByStatusOpennessClassSeverityAndOwner() {
        String ledger = newLedger();
        String rank = incidentId("s1", "rank_mismatch");
        String decode = incidentId("s2", "decode_failure");
        String lookup = incidentId("s3", "dispatch_key_missing");
        record(ledger, 1, List.of(fail("s1", "rank_mismatch"), fail("s2", "decode_failure")));
        for (int run = 2; run <= 4; run++) { // s1 passes in three runs: resolved
            record(ledger, run, List.of(pass("s1"), fail("s2", "decode_failure")));
        }
        record(ledger, 5, List.of(fail("s2", "decode_failure"), fail("s3", "dispatch_key_missing")));

        try (Ledger opened = Ledger.open(ledger)) {
            List<LedgerView.Incident> all = opened.incidents(LedgerView.IncidentFilter.ALL);
            assertThat(all).extracting(LedgerView.Incident::incidentId)
                    .containsExactlyInAnyOrder(rank, decode, lookup);
            assertThat(all).extracting(LedgerView.Incident::status).containsExactlyInAnyOrder(
                    "resolved", "recurring", "new");
            assertThat(ids(opened, List.of("resolved"), false, null, null, null)).containsExactly(rank);
            assertThat(ids(opened, List.of("new", "resolved"), false, null, null, null))
                    .containsExactlyInAnyOrder(lookup, rank);
            assertThat(ids(opened, List.of(), true, null, null, null)).containsExactlyInAnyOrder(decode, lookup);
            // Class, severity and owner: the same as filtering the whole list.
            for (LedgerView.Incident incident : all) {
                assertThat(ids(opened, List.of(), false, incident.crashClass(), null, null))
                        .containsExactlyInAnyOrderElementsOf(idsWhere(all, i -> i.crashClass().equals(
                                incident.crashClass())));
                assertThat(ids(opened, List.of(), false, null, incident.severity(), null))
                        .containsExactlyInAnyOrderElementsOf(idsWhere(all, i -> i.severity().equals(
                                incident.severity())));
                assertThat(ids(opened, List.of(), true, null, null, incident.ownerHint()))
                        .containsExactlyInAnyOrderElementsOf(idsWhere(all, i -> i.open()
                                && i.ownerHint().equals(incident.ownerHint())));
            }
            LedgerView.Incident resolved = all.stream().filter(i -> i.incidentId().equals(rank)).findFirst()
                    .orElseThrow();
            assertThat(ids(opened, List.of("resolved"), false, resolved.crashClass(), resolved.severity(),
                    resolved.ownerHint())).containsExactly(rank);
            // Values are parameters, never SQL.
            assertThat(ids(opened, List.of(), false, null, null, "x' OR '1'='1")).isEmpty();
            assertThat(ids(opened, List.of(), false, "nothing_logs_this", null, null)).isEmpty();
        }
    }

    private static List<String> ids(Ledger ledger, List<String> statuses, boolean openOnly, String crashClass,
            String severity, String owner) {
        return ledger.incidents(new LedgerView.IncidentFilter(statuses, openOnly, crashClass, severity, owner))
                .stream().map(LedgerView.Incident::incidentId).toList();
    }

    private static List<String> idsWhere(List<LedgerView.Incident> incidents,
            java.util.function.Predicate<LedgerView.Incident> filter) {
        return incidents.stream().filter(filter).map(LedgerView.Incident::incidentId).toList();
    }

    @Test
    void replaysThatNoLongerReproduceResolve() {
        String ledger = newLedger();
        String rank = incidentId("s1", "rank_mismatch");
        record(ledger, 1, List.of(fail("s1", "rank_mismatch")));
        ReplayEvidence hungOnly = replays(Map.of(rank, new int[] {0, 0, 2}));
        assertThat(record(ledger, 2, List.of(pass("s9")), hungOnly).lifecycle().resolvedIncidents()).isEmpty();
        ReplayEvidence passing = replays(Map.of(rank, new int[] {2, 0, 1}));
        assertThat(record(ledger, 3, List.of(pass("s9")), passing).lifecycle().resolvedIncidents())
                .containsExactly(rank);
        try (Ledger opened = Ledger.open(ledger)) {
            assertThat(opened.timeline(rank).runs().get(2).replay().passes()).isEqualTo(2);
            assertThat(opened.timeline(rank).runs().get(2).rule()).isEqualTo("resolved: replays no longer reproduce it");
        }
    }

    private ReplayEvidence replays(Map<String, int[]> passesFailuresHung) {
        StringBuilder json = new StringBuilder("{\"schema_version\":\"triage-rules-replay-summary-v1\",\"incidents\":[");
        passesFailuresHung.forEach((id, counts) -> {
            json.append("{\"incident_id\":\"").append(id).append("\",\"attempts\":[");
            List<String> attempts = new ArrayList<>();
            for (int i = 0; i < counts[0]; i++) {
                attempts.add("{\"exit_code\":0,\"timed_out\":false}");
            }
            for (int i = 0; i < counts[1]; i++) {
                attempts.add("{\"exit_code\":1,\"timed_out\":false}");
            }
            for (int i = 0; i < counts[2]; i++) {
                attempts.add("{\"exit_code\":null,\"timed_out\":true}");
            }
            json.append(String.join(",", attempts)).append("]}");
        });
        json.append("]}");
        try {
            Path file = Files.writeString(tmp.resolve("replays-" + System.nanoTime() + ".json"), json);
            return ReplayEvidence.read(List.of(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theLedgersRunsAreEvidenceOfFlakesOnTheSameEnv() {
        String ledger = newLedger();
        record(ledger, 1, List.of(fail("s1", "rank_mismatch")));
        record(ledger, 2, List.of(pass("s1")));
        TriagePipeline.Triaged third = TriagePipeline.triage(pack(), "run-3.jsonl",
                List.of(fail("s1", "rank_mismatch")), T0 + 3);
        ScenarioKey key = new ScenarioKey("FT-P2C-002", "dispatch_key", "s1", "strict");
        try (Ledger opened = Ledger.open(ledger)) {
            RecordedRuns runs = opened.recordedRuns(third.tallies(), pack().policy().lifecycle());
            assertThat(runs.of(key, "det64:1a5adcb7cc17c7fa")).isEqualTo(new RecordedRuns.Counts(3, 1, 2, 0, false, 1));
            assertThat(runs.of(key, "det64:another")).isNull();
            assertThat(runs.of(new ScenarioKey("FT-P2C-002", "dispatch_key", "never-failed", "strict"),
                    "det64:1a5adcb7cc17c7fa")).isNull();
            dev.triagerules.history.DeterminismReport verdicts = dev.triagerules.history.FlakeJudge.judge(pack(),
                    new dev.triagerules.history.RunHistory(pack().policy().flake()), ReplayEvidence.NONE,
                    new dev.triagerules.history.RerunEvidence(), third.report().incidents().stream().map(i -> i.first()).toList(), runs);
            dev.triagerules.history.Determinism verdict = verdicts.byIncident().values().iterator().next();
            assertThat(verdict.verdict()).isEqualTo("flaky");
            assertThat(verdict.rule()).isEqualTo("flaky: passed and failed on one env across the ledger's runs");
        }
    }

    @Test
    void aFixRestartsTheFlakeHistorySoThatARegressionIsNoFlake() {
        String ledger = newLedger();
        ScenarioKey key = new ScenarioKey("FT-P2C-002", "dispatch_key", "s1", "strict");
        String env = "det64:1a5adcb7cc17c7fa";
        record(ledger, 1, List.of(fail("s1", "rank_mismatch")));
        record(ledger, 2, List.of(pass("s1")));
        record(ledger, 3, List.of(pass("s1")));
        // Two passing runs in a row are not yet a fix (resolve_after_passing_runs: 3): a flake.
        TriagePipeline.Triaged early = TriagePipeline.triage(pack(), "early.jsonl", List.of(fail("s1",
                "rank_mismatch")), T0 + 4);
        try (Ledger opened = Ledger.open(ledger)) {
            assertThat(opened.recordedRuns(early.tallies(), pack().policy().lifecycle()).of(key, env))
                    .isEqualTo(new RecordedRuns.Counts(4, 2, 2, 0, false, 1));
        }
        record(ledger, 4, List.of(pass("s1")));
        String rank = incidentId("s1", "rank_mismatch");
        assertThat(status(ledger, rank)).isEqualTo("resolved");

        // The third passing run fixed it: failing again starts its history afresh.
        TriagePipeline.Triaged regression = TriagePipeline.triage(pack(), "regression.jsonl", List.of(fail("s1",
                "rank_mismatch")), T0 + 5);
        try (Ledger opened = Ledger.open(ledger)) {
            RecordedRuns runs = opened.recordedRuns(regression.tallies(), pack().policy().lifecycle());
            assertThat(runs.of(key, env)).as("restarted in this run, which has no number yet")
                    .isEqualTo(new RecordedRuns.Counts(1, 0, 1, 0, true, RecordedRuns.Counts.THIS_RUN));
            dev.triagerules.history.Determinism verdict = dev.triagerules.history.FlakeJudge.judge(pack(),
                    new dev.triagerules.history.RunHistory(pack().policy().flake()), ReplayEvidence.NONE,
                    new dev.triagerules.history.RerunEvidence(), List.of(regression.report().incidents().get(0)
                            .first()), runs).byIncident().get(rank);
            assertThat(verdict.verdict()).isNotEqualTo("flaky");
            assertThat(verdict.gatingExcluded()).isFalse();
        }
        Ledger.RecordedRun recorded = record(ledger, 5, List.of(fail("s1", "rank_mismatch"), pass("s1")));
        assertThat(lifecycle(recorded, rank).status()).isEqualTo("regressed");
        // Recorded the same way: the mixed run 5 is the first of the new history.
        TriagePipeline.Triaged next = TriagePipeline.triage(pack(), "next.jsonl", List.of(pass("s1")), T0 + 6);
        try (Ledger opened = Ledger.open(ledger)) {
            assertThat(opened.recordedRuns(next.tallies(), pack().policy().lifecycle()).of(key, env))
                    .isEqualTo(new RecordedRuns.Counts(2, 1, 1, 1, true, 5));
        }
    }

    /** A threshold below 1 (a ledger changed by hand) is not "restart at every failure". */
    @Test
    void aResolveThresholdBelowOneInTheLedgerIsReadAsThePolicys() throws SQLException {
        String ledger = newLedger();
        ScenarioKey key = new ScenarioKey("FT-P2C-002", "dispatch_key", "s1", "strict");
        record(ledger, 1, List.of(fail("s1", "rank_mismatch")));
        record(ledger, 2, List.of(pass("s1")));
        try (Connection connection = connect(ledger); Statement statement = connection.createStatement()) {
            assertThat(statement.executeUpdate("UPDATE ledger_incident SET passing_runs_to_resolve = 0")).isOne();
        }
        TriagePipeline.Triaged again = TriagePipeline.triage(pack(), "again.jsonl", List.of(fail("s1",
                "rank_mismatch")), T0 + 3);
        try (Ledger opened = Ledger.open(ledger)) {
            assertThat(opened.recordedRuns(again.tallies(), pack().policy().lifecycle())
                    .of(key, "det64:1a5adcb7cc17c7fa")).isEqualTo(new RecordedRuns.Counts(3, 1, 2, 0, false, 1));
        }
    }

    // ---- many runners, one ledger ----

    @Test
    void eightConcurrentIngestsLoseNothingAndDuplicateNothing() throws Exception {
        String ledger = newLedger();
        try (Ledger created = Ledger.open(ledger)) {
            // the schema exists before the race; racing first use is covered by its own test
        }
        String shared = incidentId("shared", "rank_mismatch");
        int runners = 8;
        List<TriagePipeline.Triaged> runs = new ArrayList<>();
        for (int i = 0; i < runners; i++) {
            runs.add(TriagePipeline.triage(pack(), "runner-" + i + ".jsonl", List.of(fail("shared", "rank_mismatch"),
                    fail("own-" + i, "decode_failure"), pass("own-" + i), pass("common")), T0 + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(runners);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Long>> ids = new ArrayList<>();
        for (TriagePipeline.Triaged run : runs) {
            ids.add(pool.submit(() -> {
                try (Ledger own = Ledger.open(ledger)) {
                    start.await();
                    return own.record(RunFacts.of(run.report(), List.of(), run.tallies(), ReplayEvidence.NONE,
                            RunFacts.CiFacts.NONE), pack()).runId();
                }
            }));
        }
        start.countDown();
        List<Long> runIds = new ArrayList<>();
        for (Future<Long> id : ids) {
            runIds.add(id.get(5, TimeUnit.MINUTES));
        }
        pool.shutdown();
        assertThat(runIds).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        try (Connection connection = connect(ledger)) {
            assertThat(count(connection, "SELECT COUNT(*) FROM ledger_run")).isEqualTo(8);
            assertThat(count(connection, "SELECT COUNT(*) FROM ledger_incident")).isEqualTo(9);
            assertThat(count(connection, "SELECT COUNT(*) FROM ledger_sighting")).isEqualTo(16);
            assertThat(count(connection, "SELECT runs_seen FROM ledger_incident WHERE incident_id = '" + shared + "'"))
                    .isEqualTo(8);
            assertThat(count(connection, "SELECT occurrences FROM ledger_incident WHERE incident_id = '" + shared
                    + "'")).isEqualTo(8);
            // Exactly one run saw it first: one "new", then one change to "recurring", whoever came first.
            assertThat(rows(connection, "SELECT c.status FROM ledger_status_change c JOIN ledger_incident i"
                    + " ON i.incident_no = c.incident_no WHERE i.incident_id = '" + shared + "' ORDER BY c.run_id"))
                    .containsExactly("new", "recurring");
            assertThat(count(connection, "SELECT COUNT(DISTINCT incident_no) FROM ledger_incident")).isEqualTo(9);
            assertThat(rows(connection, "SELECT status FROM ledger_incident WHERE incident_id <> '" + shared + "'"))
                    .hasSize(8).containsOnly("new");
            assertThat(count(connection, "SELECT COUNT(*) FROM ledger_status_change")).isEqualTo(10);
            assertThat(count(connection, "SELECT SUM(passes) FROM ledger_scenario_run")).isEqualTo(8);
            assertThat(count(connection, "SELECT SUM(failures) FROM ledger_scenario_run")).isEqualTo(16);
        }
    }

    @Test
    void eightRunnersOpeningANewLedgerAtOnceMigrateItOnce() throws Exception {
        String ledger = newLedger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> versions = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            versions.add(pool.submit(() -> {
                start.await();
                try (Ledger opened = Ledger.open(ledger); Connection connection = connect(ledger)) {
                    return Ledger.schemaVersion(connection);
                }
            }));
        }
        start.countDown();
        for (Future<Integer> version : versions) {
            assertThat(version.get(5, TimeUnit.MINUTES)).isEqualTo(Ledger.SCHEMA_VERSION);
        }
        pool.shutdown();
        try (Connection connection = connect(ledger)) {
            assertThat(count(connection, "SELECT COUNT(*) FROM " + Ledger.HISTORY_TABLE + " WHERE version = '1'"))
                    .isEqualTo(1);
        }
    }

    @Test
    void aRunKilledDuringIngestLeavesTheLedgerAsItWas() throws Exception {
        String ledger = newLedger();
        record(ledger, 1, List.of(fail("s1", "rank_mismatch"), pass("s2")));
        String before = snapshot(ledger);

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KilledIngest.class.getName(), ledger)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.equals(KilledIngest.INSIDE));
            assertThat(line).as("the child reached the middle of its transaction").isEqualTo(KilledIngest.INSIDE);
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback by the JVM
        }
        assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).isEqualTo(137);

        assertThat(snapshot(ledger)).isEqualTo(before);
        // And the ledger takes the next run: no lock was left behind.
        Ledger.RecordedRun next = record(ledger, 3, List.of(fail("s1", "rank_mismatch")));
        assertThat(next.runId()).isEqualTo(2);
        assertThat(next.lifecycle().byIncident().values()).extracting(LifecycleReport.Lifecycle::status)
                .containsExactly("recurring");
    }

    @Test
    void aFailureJustBeforeTheCommitLeavesTheLedgerAsItWas() throws SQLException {
        String ledger = newLedger();
        record(ledger, 1, List.of(fail("s1", "rank_mismatch"), pass("s2")));
        String before = snapshot(ledger);
        TriagePipeline.Triaged run = TriagePipeline.triage(pack(), "run-2.jsonl",
                List.of(fail("s1", "rank_mismatch"), fail("s3", "decode_failure")), T0 + 2);
        try (Ledger opened = Ledger.open(ledger)) {
            // What the triage service hands over: it waits there for the verdicts, and a verdict rule may fail.
            assertThatThrownBy(() -> opened.record(RunFacts.of(run.report(), List.of(), run.tallies(),
                    ReplayEvidence.NONE, null), pack(), () -> {
                        throw new IllegalStateException("a verdict rule failed");
                    })).isInstanceOf(IllegalStateException.class).hasMessage("a verdict rule failed");
        }
        assertThat(snapshot(ledger)).isEqualTo(before);
        Ledger.RecordedRun next = record(ledger, 3, List.of(fail("s1", "rank_mismatch")));
        assertThat(next.runId()).as("the next run is the second: nothing of the failed one stayed").isEqualTo(2);
    }

    @Test
    void aRunThatWaitsLongerThanItsLimitForAStuckRunGivesUpAndRecordsNothing() throws Exception {
        String ledger = newLedger();
        record(ledger, 1, List.of(fail("s1", "rank_mismatch"), pass("s2")));
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            // A runner stuck in its transaction, holding the ingest lock: it waits before its commit.
            Future<Ledger.RecordedRun> stuckRun = pool.submit(() -> {
                try (Ledger opened = Ledger.open(ledger)) {
                    return opened.record(facts(2, List.of(fail("s1", "rank_mismatch")), ReplayEvidence.NONE), pack(),
                            () -> {
                                stuck.countDown();
                                await(release);
                            });
                }
            });
            assertThat(stuck.await(2, TimeUnit.MINUTES)).isTrue();
            String before = snapshot(ledger);
            LedgerLocation waitingOneSecond = LedgerLocation.parse(ledger)
                    .withWaitLimit(java.time.Duration.ofSeconds(1));
            long started = System.nanoTime();
            try (Ledger opened = Ledger.open(waitingOneSecond)) {
                assertThatThrownBy(() -> opened.record(facts(3, List.of(fail("s3", "decode_failure")),
                        ReplayEvidence.NONE), pack())).isInstanceOf(LedgerError.class)
                        .hasMessageStartingWith(LedgerLocation.parse(ledger).display() + ": cannot record the run:"
                                + " another run held the ledger longer than this one waits (1 s, --ledger-wait): ");
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(900L, 60_000L);
            assertThat(snapshot(ledger)).isEqualTo(before);

            release.countDown();
            assertThat(stuckRun.get(2, TimeUnit.MINUTES).runId()).isEqualTo(2);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        assertThat(record(ledger, 4, List.of(fail("s1", "rank_mismatch"))).runId())
                .as("the run that gave up left no trace").isEqualTo(3);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String snapshot(String ledger) throws SQLException {
        String all = LedgerDatabases.snapshot(ledger);
        assertThat(all).contains("ledger_run|1|");
        return all;
    }

    // ---- errors ----

    @Test
    void aLedgerWithANewerSchemaIsRefused() throws SQLException {
        String ledger = newLedger();
        try (Ledger created = Ledger.open(ledger); Connection connection = connect(ledger);
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE " + Ledger.HISTORY_TABLE + " SET version = '7' WHERE version = '1'");
        }
        assertThatThrownBy(() -> Ledger.open(ledger)).isInstanceOf(LedgerError.class)
                .hasMessageContaining("the ledger's schema is version 7, newer than this triage-rules knows ("
                        + Ledger.SCHEMA_VERSION + ")");
    }

    @Test
    void aFailedMigrationIsOneLineNamingTheMigrationAndTheDatabasesError() throws SQLException {
        String ledger = newLedger();
        LedgerDatabases.createAtVersion(ledger, 1);
        // A schema changed by hand: version 2's column is there already.
        try (Connection connection = connect(ledger); Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE ledger_scenario_env ADD COLUMN passing_streak INTEGER");
        }
        for (Runnable migrating : List.<Runnable>of(() -> Ledger.open(ledger).close(),
                () -> Ledger.migrate(LedgerLocation.parse(ledger)))) {
            assertThatThrownBy(migrating::run).isInstanceOfSatisfying(LedgerError.class, e -> {
                assertThat(e.headline()).startsWith(LedgerLocation.parse(ledger).display()
                        + ": cannot migrate the ledger's schema from version 1 to " + Ledger.SCHEMA_VERSION
                        + ": migration V2 (flake history restarts) failed: ").contains("passing_streak")
                        .doesNotContain("\n").doesNotContain("SQL State").doesNotContain("Flyway")
                        .doesNotContain("-----");
                assertThat(e.hint()).isEqualTo("the ledger is left at schema version 1 (a migration is applied whole"
                        + " or not at all)");
                assertThat(e.getMessage()).isEqualTo(e.headline() + "\n  hint: " + e.hint());
            });
        }
        try (Connection connection = connect(ledger)) {
            assertThat(Ledger.schemaVersion(connection)).isEqualTo(1);
        }
    }

    @Test
    void readingCommandsNeverMigrateAnOlderLedger() throws SQLException {
        String ledger = newLedger();
        LedgerLocation location = LedgerLocation.parse(ledger);
        LedgerDatabases.createAtVersion(ledger, 1);

        assertThatThrownBy(() -> Ledger.openToRead(location)).isInstanceOf(LedgerError.class)
                .hasMessageContaining("the ledger's schema is version 1, older than this triage-rules reads ("
                        + Ledger.SCHEMA_VERSION + "); commands that only read do not change it");
        try (Connection connection = connect(ledger)) {
            assertThat(Ledger.schemaVersion(connection)).as("left as it was").isEqualTo(1);
        }
        record(ledger, 1, List.of(fail("s1", "rank_mismatch"))); // a triage run migrates it
        try (Ledger read = Ledger.openToRead(location)) {
            assertThat(read.runs()).hasSize(1);
        }
    }

    @Test
    void migrateCreatesOrBringsTheSchemaUpToDate() throws SQLException {
        String created = newLedger();
        assertThat(Ledger.migrate(LedgerLocation.parse(created))).isEqualTo(new LedgerView.Migrated(0,
                Ledger.SCHEMA_VERSION));
        String older = newLedger();
        LedgerDatabases.createAtVersion(older, 1);
        assertThat(Ledger.migrate(LedgerLocation.parse(older))).isEqualTo(new LedgerView.Migrated(1,
                Ledger.SCHEMA_VERSION));
        assertThat(Ledger.migrate(LedgerLocation.parse(older))).isEqualTo(new LedgerView.Migrated(
                Ledger.SCHEMA_VERSION, Ledger.SCHEMA_VERSION));
        try (Ledger read = Ledger.openToRead(LedgerLocation.parse(older))) {
            assertThat(read.runs()).isEmpty();
        }
    }

    /**
     * A ledger an older triage-rules left at version 2, with a run, an incident that was
     * resolved and regressed, and its flake history: migrated, every row is as it was, and
     * the new columns have their defaults (the regressions counted from the status changes;
     * no verdict and no guard flag, which version 2 did not keep).
     */
    @Test
    void aVersionTwoLedgerMigratesWithItsDataIntact() throws SQLException {
        String ledger = newLedger();
        LedgerDatabases.createAtVersion(ledger, 2);
        String rank = incidentId("s1", "rank_mismatch");
        try (Connection connection = connect(ledger); Statement statement = connection.createStatement()) {
            for (long run = 1; run <= 3; run++) {
                statement.executeUpdate("INSERT INTO ledger_run VALUES (" + run + ", " + (T0 + run) + ", '0.1.0',"
                        + " 'r', 'p', NULL, 'abc', 'main', NULL, 2, 1, 1)");
                statement.executeUpdate("INSERT INTO ledger_run_input VALUES (" + run + ", 0, 'run-" + run
                        + ".jsonl', '" + "00".repeat(32) + "')");
            }
            statement.executeUpdate("INSERT INTO ledger_incident VALUES ('" + rank + "', 1, 'tensor_meta_state',"
                    + " 'high', 'ft-core-owners', 'FT-P2C-002', 'dispatch_key', 's1', 'strict', 'det64:1a5adcb7cc17c7fa',"
                    + " 'rank_mismatch', 42, 'regressed', 'resolved', 3, " + (T0 + 3) + ", 1, " + (T0 + 3) + ", 1, "
                    + (T0 + 1) + ", 3, " + (T0 + 3) + ", 2, 2, 0, 0)");
            statement.executeUpdate("INSERT INTO ledger_status_change VALUES (1, 1, 'new', NULL, 'new: first"
                    + " sighting', 'first')");
            statement.executeUpdate("INSERT INTO ledger_status_change VALUES (1, 2, 'resolved', 'new', 'resolved',"
                    + " 'passed')");
            statement.executeUpdate("INSERT INTO ledger_status_change VALUES (1, 3, 'regressed', 'resolved',"
                    + " 'regressed', 'again')");
            statement.executeUpdate("INSERT INTO ledger_scenario VALUES (42, 'FT-P2C-002', 'dispatch_key', 's1',"
                    + " 'strict', 1)");
            statement.executeUpdate("INSERT INTO ledger_scenario_env VALUES (42, 7, 'det64:1a5adcb7cc17c7fa', 3, 1,"
                    + " 2, 0, 3, 0)");
        }
        List<String> before = LedgerDatabases.snapshot(ledger).lines().toList();

        assertThat(Ledger.migrate(LedgerLocation.parse(ledger))).isEqualTo(new LedgerView.Migrated(2,
                Ledger.SCHEMA_VERSION));
        List<String> after = LedgerDatabases.snapshot(ledger).lines().toList();
        for (String row : before) {
            assertThat(after).as("kept: " + row).anyMatch(line -> line.equals(row) || line.startsWith(row + "|"));
        }
        assertThat(after).contains("ledger_incident|" + before.stream().filter(l -> l.startsWith("ledger_incident|"))
                .findFirst().orElseThrow().substring("ledger_incident|".length()) + "|1|null|null");
        assertThat(after).filteredOn(line -> line.startsWith("ledger_run_input|")).allMatch(l -> l.endsWith("|null"));

        try (Ledger read = Ledger.openToRead(LedgerLocation.parse(ledger))) {
            LedgerView.Incident incident = read.incidents(LedgerView.IncidentFilter.ALL).get(0);
            assertThat(incident.status()).isEqualTo("regressed");
            assertThat(incident.regressions()).isEqualTo(1);
            assertThat(incident.lastVerdict()).isNull();
            assertThat(read.run(1).run().inputs()).containsExactly(new RunFacts.InputFile("run-1.jsonl",
                    "00".repeat(32), null));
        }
    }

    /**
     * A version 3 ledger knows no restart run, but its per-run tallies tell one: more of them
     * than counted runs means the counts restarted, at the oldest of the newest counted ones.
     * Where they do not (as many as counted), the counts still start from the first failure.
     */
    @Test
    void aVersionThreeLedgerLearnsWhereEachFlakeHistoryRestarted() throws SQLException {
        String ledger = newLedger();
        LedgerDatabases.createAtVersion(ledger, 3);
        ScenarioKey key = new ScenarioKey("FT-P2C-002", "dispatch_key", "s1", "strict");
        long keyHash = dev.triagerules.input.EntryOutcome.keyHash(key.packetId(), key.suiteId(), key.scenarioId(),
                key.mode());
        String restartedEnv = "det64:restarted";
        String unbrokenEnv = "det64:unbroken";
        try (Connection connection = connect(ledger); Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO ledger_scenario VALUES (" + keyHash + ", 'FT-P2C-002', 'dispatch_key',"
                    + " 's1', 'strict', 1)");
            // restartedEnv: F P P P F P in runs 1-6, restarted at run 5 (2 counted runs since).
            statement.executeUpdate("INSERT INTO ledger_scenario_env VALUES (" + keyHash + ", "
                    + dev.triagerules.input.EntryOutcome.textHash(restartedEnv) + ", '" + restartedEnv
                    + "', 2, 1, 1, 0, 6, 1)");
            // unbrokenEnv: ran in runs 2 and 6 only, both counted.
            statement.executeUpdate("INSERT INTO ledger_scenario_env VALUES (" + keyHash + ", "
                    + dev.triagerules.input.EntryOutcome.textHash(unbrokenEnv) + ", '" + unbrokenEnv
                    + "', 2, 1, 1, 0, 6, 0)");
            for (int run = 1; run <= 6; run++) {
                boolean failed = run == 1 || run == 5;
                statement.executeUpdate("INSERT INTO ledger_scenario_run VALUES (" + keyHash + ", " + run + ", "
                        + dev.triagerules.input.EntryOutcome.textHash(restartedEnv) + ", " + (failed ? 0 : 1) + ", "
                        + (failed ? 1 : 0) + ")");
            }
            for (int run : List.of(2, 6)) {
                statement.executeUpdate("INSERT INTO ledger_scenario_run VALUES (" + keyHash + ", " + run + ", "
                        + dev.triagerules.input.EntryOutcome.textHash(unbrokenEnv) + ", " + (run == 2 ? 0 : 1)
                        + ", " + (run == 2 ? 1 : 0) + ")");
            }
        }

        assertThat(Ledger.migrate(LedgerLocation.parse(ledger))).isEqualTo(new LedgerView.Migrated(3,
                Ledger.SCHEMA_VERSION));
        try (Ledger read = Ledger.openToRead(LedgerLocation.parse(ledger))) {
            RecordedRuns runs = read.recordedRuns(null, pack().policy().lifecycle());
            assertThat(runs.of(key, restartedEnv)).isEqualTo(new RecordedRuns.Counts(2, 1, 1, 0, true, 5));
            assertThat(runs.of(key, unbrokenEnv)).isEqualTo(new RecordedRuns.Counts(2, 1, 1, 0, false, 1));
        }
    }

    @Test
    void aPackWithoutLifecycleRulesIsRefusedBeforeAnythingIsWritten() throws Exception {
        String ledger = newLedger();
        Path rules = Files.createDirectories(tmp.resolve("rules"));
        for (String file : List.of("flake.drl", "tensor-meta-state.drl", "routing.drl", "unclassified.drl")) {
            Files.copy(Path.of("rules", file), rules.resolve(file));
        }
        RulePack pack = RulePack.load(rules, Path.of("policy"));
        TriagePipeline.Triaged run = TriagePipeline.triage(pack, "run.jsonl", List.of(fail("s1", "rank_mismatch")), T0);
        try (Ledger opened = Ledger.open(ledger)) {
            assertThatThrownBy(() -> opened.record(RunFacts.of(run.report(), List.of(), run.tallies(),
                    ReplayEvidence.NONE, null), pack)).isInstanceOf(dev.triagerules.base.UserError.class)
                    .hasMessageContaining("the rules have no lifecycle rules");
            assertThat(opened.runs()).isEmpty();
        }
    }

    @Test
    void pruneByAgeKeepsTheRunsOfTheLastDaysAndAlwaysTheNewest() {
        long day = 86_400_000L;
        String ledger = newLedger();
        for (int run = 1; run <= 5; run++) { // one run a day
            TriagePipeline.Triaged triaged = TriagePipeline.triage(pack(), "run-" + run + ".jsonl",
                    List.of(fail("s1", "rank_mismatch"), fail("s" + (run + 10), "decode_failure")), T0 + run * day);
            try (Ledger opened = Ledger.open(ledger)) {
                opened.record(RunFacts.of(triaged.report(), List.of(), triaged.tallies(), ReplayEvidence.NONE,
                        RunFacts.CiFacts.NONE), pack());
            }
        }
        long now = T0 + 5 * day + 1;
        try (Ledger opened = Ledger.open(ledger)) {
            assertThat(opened.prune(null, 10, now)).isEqualTo(new LedgerView.Pruned(0, 1));
            // Both rules: a run goes only when both let it go (runs 1 and 2 here, not run 3).
            assertThat(opened.prune(3, 2, now)).isEqualTo(new LedgerView.Pruned(2, 3));
            assertThat(opened.prune(null, 2, now)).isEqualTo(new LedgerView.Pruned(1, 4));
            assertThat(opened.runs()).extracting(LedgerView.Run::runId).containsExactly(4L, 5L);
            // No run in the window: the newest stays.
            assertThat(opened.prune(null, 1, now + 30 * day)).isEqualTo(new LedgerView.Pruned(1, 5));
            assertThat(opened.runs()).extracting(LedgerView.Run::runId).containsExactly(5L);
            assertThat(opened.incidents(LedgerView.IncidentFilter.ALL)).hasSize(6);
            assertThatThrownBy(() -> opened.prune(null, null, now)).hasMessage(
                    "give --keep-runs N or --keep-days D (or both)");
            assertThatThrownBy(() -> opened.prune(null, 0, now)).hasMessage("--keep-days must be at least 1, got 0");
        }
    }

    @Test
    void pruneOnALedgerWithoutRunsKeepsNone() {
        try (Ledger opened = Ledger.open(newLedger())) {
            assertThat(opened.prune(1)).isEqualTo(new LedgerView.Pruned(0, 0));
        }
    }

    @Test
    void pruneKeepsTheNewestRunsAndEveryIncident() {
        String ledger = newLedger();
        String rank = incidentId("s1", "rank_mismatch");
        for (int run = 1; run <= 5; run++) {
            record(ledger, run, List.of(fail("s1", "rank_mismatch"), fail("s" + (run + 10), "decode_failure")));
        }
        try (Ledger opened = Ledger.open(ledger)) {
            assertThat(opened.prune(2)).isEqualTo(new LedgerView.Pruned(3, 4));
            assertThat(opened.runs()).extracting(LedgerView.Run::runId).containsExactly(4L, 5L);
            assertThat(opened.incidents(LedgerView.IncidentFilter.ALL)).hasSize(6);
            assertThat(opened.timeline(rank).runs()).extracting(LedgerView.TimelineEntry::runId)
                    .containsExactly(4L, 5L);
            assertThat(opened.prune(2)).isEqualTo(new LedgerView.Pruned(0, 4));
            // More kept than recorded: the oldest run left is named, not run 1.
            assertThat(opened.prune(100)).isEqualTo(new LedgerView.Pruned(0, 4));
        }
        try (Connection connection = connect(ledger)) {
            for (String table : List.of("ledger_run_input", "ledger_run_class", "ledger_sighting",
                    "ledger_status_change", "ledger_replay", "ledger_scenario_run")) {
                assertThat(count(connection, "SELECT COUNT(*) FROM " + table + " WHERE run_id < 4")).as(table)
                        .isZero();
            }
            assertThat(count(connection, "SELECT COUNT(*) FROM ledger_sighting")).isEqualTo(4);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        Ledger.RecordedRun sixth = record(ledger, 6, List.of(fail("s1", "rank_mismatch")));
        assertThat(sixth.runId()).isEqualTo(6);
        assertThat(lifecycle(sixth, rank).runsSeen()).isEqualTo(6);
    }

    @Test
    void trendsCountPerRunAndClass() {
        String ledger = newLedger();
        record(ledger, 1, List.of(fail("s1", "rank_mismatch"), fail("s2", "decode_failure")));
        record(ledger, 2, List.of(fail("s1", "rank_mismatch"), pass("s2")));
        record(ledger, 3, List.of(pass("s1"), fail("s2", "decode_failure")));
        try (Ledger opened = Ledger.open(ledger)) {
            LedgerView.Trends trends = opened.trends(2, 10);
            assertThat(trends.runs()).extracting(LedgerView.RunTrend::runId).containsExactly(2L, 3L);
            LedgerView.RunTrend second = trends.runs().get(0);
            assertThat(second.open()).containsEntry("tensor_meta_state", 1).containsEntry("serialization_parser", 1);
            assertThat(second.entered()).containsOnlyKeys("recurring");
            assertThat(trends.runs().get(1).enteredTotal("recurring")).isEqualTo(1);
            assertThat(trends.mostRecurring().get(0).runsSeen()).isEqualTo(2);
            assertThat(trends.longestOpen()).hasSize(2);
            assertThat(trends.flakyScenarios()).extracting(LedgerView.FlakyScenario::scenarioId)
                    .containsExactlyInAnyOrder("s1", "s2");
            assertThat(trends.flakyScenarios()).allSatisfy(s -> {
                assertThat(s.runs()).isEqualTo(3);
                assertThat(s.envFingerprint()).isEqualTo("det64:1a5adcb7cc17c7fa");
                // Counted from the first failure: s2's one passing run is no streak that restarts it.
                assertThat(s.historyRestarted()).isFalse();
                assertThat(s.historySinceRun()).isEqualTo(1);
            });
        }
    }

    // ---- helpers ----

    /** A plain JDBC connection to the ledger (for checks the ledger's API does not offer). */
    static Connection connect(String location) throws SQLException {
        return LedgerDatabases.connect(location);
    }

    static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    static List<String> rows(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            while (row.next()) {
                values.add(row.getString(1));
            }
        }
        return values;
    }
}
