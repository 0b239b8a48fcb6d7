package dev.triagerules.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triagerules.engine.Failure;
import dev.triagerules.engine.RulePack;
import dev.triagerules.rules.Packs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kie.api.runtime.KieSession;

/** rules/flake.drl, one verdict rule at a time, on hand-made histories (both shipped packs). */
class FlakeRulesTest {
    private static final ScenarioKey KEY = new ScenarioKey("FT-P2C-002", "dispatch_key", "dispatch_key/strict:case_1",
            "strict");
    private static final ReplayEvidence.Counts NO_REPLAY = null;

    @TempDir
    Path tmp;

    /** runs, passing runs, failing runs, mixed runs, passes, failures; nothing excluded, no same seed. */
    private static KeyHistory history(int runs, int passingRuns, int failingRuns, int mixedRuns, long passes,
            long failures) {
        return new KeyHistory(runs, passingRuns, failingRuns, mixedRuns, passes, failures, 0, List.of("rank_mismatch"),
                false, false, 0, null);
    }

    private static ReplayEvidence.Counts replay(int passes, int failures, int hung) {
        return new ReplayEvidence.Counts(passes + failures + hung, passes, failures, hung, List.of("x"));
    }

    private static Determinism judge(RulePack pack, String severity, KeyHistory history,
            ReplayEvidence.Counts replay) {
        ScenarioHistory fact = new ScenarioHistory("triage64:0000000000000001", "tensor_meta_state", severity, KEY,
                history, replay);
        FlakeJudge.fire(pack, List.of(fact));
        return fact.result();
    }

    private static Determinism judgeReruns(KeyHistory history, int failedAttempts, int passedAttempts) {
        RerunEvidence reruns = new RerunEvidence();
        reruns.record(KEY, failedAttempts, passedAttempts);
        Determinism v1 = null;
        for (RulePack pack : List.of(Packs.v1(), Packs.head())) {
            ScenarioHistory fact = new ScenarioHistory("triage64:0000000000000001", "tensor_meta_state", "high", KEY,
                    true, history, NO_REPLAY, reruns.of(KEY), null);
            FlakeJudge.fire(pack, List.of(fact));
            assertEquals(v1 == null ? fact.result() : v1, fact.result(), "both packs ship the same flake.drl");
            v1 = fact.result();
        }
        return v1;
    }

    @Test
    void aSessionOfAnotherKindRefusesTheFact() {
        // Its KIE base may lack the verdict rules: only verdict sessions hold scenario histories.
        ScenarioHistory fact = new ScenarioHistory("triage64:0000000000000001", "tensor_meta_state", "high", KEY,
                history(2, 0, 2, 0, 0, 2), NO_REPLAY);
        KieSession session = Packs.v1().rules().newSession(Failure.class);
        try {
            assertThatThrownBy(() -> session.insert(fact)).hasMessage("a fact of type ScenarioHistory into a session"
                    + " of Failure facts; ScenarioHistory facts come from the tool only, into sessions of their own");
        } finally {
            session.dispose();
        }
        KieSession own = Packs.v1().rules().newSession(ScenarioHistory.class);
        try {
            own.insert(fact);
            own.fireAllRules();
        } finally {
            own.dispose();
        }
        assertThat(fact.result().verdict()).as("judged in its own kind of session").isNotNull();
    }

    @Test
    void aTestThatFailedThenPassedOnTheRunnersRerunIsFlaky() {
        // Surefire's flakyFailure: the failure and the passing rerun both count in the key's history.
        Determinism d = judgeReruns(history(1, 0, 1, 1, 1, 1), 1, 1);
        assertEquals("flaky", d.verdict());
        assertEquals("flaky: failed, then passed on rerun", d.rule());
        assertEquals("failed 1 of 2 attempts, then passed on the test runner's rerun", d.evidence().get(0));
    }

    @Test
    void aTestThatFailedEveryRerunIsDeterministicFromTheThreshold() {
        // Surefire's rerunFailure with rerunFailingTestsCount=2: three failed attempts in one run.
        Determinism d = judgeReruns(history(1, 0, 1, 0, 0, 1), 3, 0);
        assertEquals("deterministic", d.verdict());
        assertEquals("deterministic: failed every rerun", d.rule());
        assertEquals("failed all 3 attempts of the test runner's reruns, never passed (min_rerun_failures 2)",
                d.evidence().get(0));
        // One failed attempt (no rerun) is below min_rerun_failures: one run says too little.
        assertEquals("insufficient_evidence", judgeReruns(history(1, 0, 1, 0, 0, 1), 1, 0).verdict());
    }

    @Test
    void aPassInAnotherRunOutranksFailedReruns() {
        Determinism d = judgeReruns(history(2, 1, 1, 0, 1, 1), 3, 0);
        assertEquals("flaky", d.verdict());
        assertEquals("flaky: passed in some runs, failed in others", d.rule());
    }

    private static Determinism judge(KeyHistory history, ReplayEvidence.Counts replay) {
        Determinism v1 = judge(Packs.v1(), "high", history, replay);
        Determinism head = judge(Packs.head(), "high", history, replay);
        assertEquals(v1, head, "both packs ship the same flake.drl");
        return v1;
    }

    @Test
    void passedInSomeRunsAndFailedInOthersIsFlaky() {
        Determinism d = judge(history(3, 1, 2, 0, 1, 2), NO_REPLAY);
        assertEquals("flaky", d.verdict());
        assertEquals("flaky: passed in some runs, failed in others", d.rule());
        assertEquals("failed in 2 of 3 runs and passed in 1", d.evidence().get(0));
        assertEquals(0.6667, Math.round(d.flakeRate() * 10000) / 10000.0);
    }

    @Test
    void sameSeedAndEnvironmentPassingAndFailingIsTheStrongestFlakyEvidence() {
        KeyHistory history = new KeyHistory(2, 1, 1, 0, 1, 1, 0, List.of("rank_mismatch"), false, true, -1L,
                "det64:1a5adcb7cc17c7fa");
        Determinism d = judge(history, NO_REPLAY);
        assertEquals("flaky", d.verdict());
        assertEquals("flaky: same seed passed and failed", d.rule(), "it outranks the plain pass/fail rule");
        assertEquals("passed and failed with the same seed 18446744073709551615 and env fingerprint"
                + " det64:1a5adcb7cc17c7fa: the strongest evidence of a flake", d.evidence().get(0));
        assertTrue(d.sameSeedMixed());
    }

    @Test
    void passingAndFailingWithinOneRunIsFlaky() {
        Determinism d = judge(history(1, 0, 1, 1, 2, 3), NO_REPLAY);
        assertEquals("flaky", d.verdict());
        assertEquals("passed and failed within the same run (1 of 1 runs): 2 passing and 3 failing entries",
                d.evidence().get(0));
    }

    @Test
    void mixedReplaysAreFlaky() {
        Determinism d = judge(history(1, 0, 1, 0, 0, 1), replay(2, 1, 0));
        assertEquals("flaky", d.verdict());
        assertEquals("flaky: replays were mixed", d.rule());
        assertEquals("replays were mixed: 1 of 3 attempts failed", d.evidence().get(0));
        assertEquals(0.5, d.flakeRate(), "2 failures (log + replay) of 4 observations");
    }

    @Test
    void aLoggedFailureThatPassesEveryReplayIsFlaky() {
        Determinism d = judge(history(2, 0, 2, 0, 0, 2), replay(3, 0, 0));
        assertEquals("flaky", d.verdict(), "replays add attempts: the key both passed and failed");
        assertEquals("failed 2 times in the logs but passed all 3 replay attempts", d.evidence().get(0));
    }

    @Test
    void failingInEveryRunAtLeastMinRunsTimesIsDeterministic() {
        Determinism d = judge(history(2, 0, 2, 0, 0, 5), NO_REPLAY);
        assertEquals("deterministic", d.verdict());
        assertEquals("failed in all 2 runs it appeared in, never passed (min_runs 2)", d.evidence().get(0));
        assertEquals(1.0, d.flakeRate());
        assertEquals(List.of(), d.labels());
        assertFalse(d.gatingExcluded(), "a real regression gates CI");
    }

    @Test
    void reproducedInEveryReplayIsDeterministic() {
        Determinism d = judge(history(1, 0, 1, 0, 0, 1), replay(0, 3, 0));
        assertEquals("deterministic", d.verdict());
        assertEquals("reproduced in all 3 replay attempts (min_replay_attempts 2)", d.evidence().get(0));
    }

    @Test
    void oneFailingRunIsInsufficientEvidence() {
        Determinism d = judge(history(1, 0, 1, 0, 0, 4), NO_REPLAY);
        assertEquals("insufficient_evidence", d.verdict());
        assertEquals("failed in 1 of 1 counted runs, never seen passing; a deterministic verdict needs 2 failing"
                + " runs or reproducing replays", d.evidence().get(0));
        assertFalse(d.gatingExcluded());
    }

    @Test
    void hungReplaysCountNeitherWayAndAreNoted() {
        Determinism d = judge(history(1, 0, 1, 0, 0, 1), replay(0, 1, 2));
        assertEquals("insufficient_evidence", d.verdict(), "one failed attempt is below min_replay_attempts");
        assertEquals(List.of("replay attempt(s) hung"), d.evidence().stream().skip(1)
                .map(e -> e.substring(e.indexOf(' ') + 1, e.indexOf(" (timed out)"))).toList());
    }

    @Test
    void infrastructureSuspectRunsAreNoted() {
        KeyHistory history = new KeyHistory(0, 0, 0, 0, 0, 0, 1, List.of(), false, false, 0, null);
        Determinism d = judge(history, NO_REPLAY);
        assertEquals("insufficient_evidence", d.verdict());
        assertEquals("1 infrastructure-suspect run(s) with this scenario left out of the history", d.evidence().get(1));
        assertEquals(null, d.flakeRate(), "nothing observed");
    }

    @Test
    void failingOnlyInInfrastructureSuspectRunsIsInsufficientEvidence() {
        KeyHistory history = new KeyHistory(2, 2, 0, 0, 3, 0, 1, List.of(), false, false, 0, null);
        Determinism d = judge(history, NO_REPLAY);
        assertEquals("insufficient_evidence", d.verdict());
        assertEquals("failed only in infrastructure-suspect runs, which do not count; passed in 2 of 2 counted runs",
                d.evidence().get(0));
    }

    @Test
    void flakyIncidentsAreLabelledAndLeftOutOfGatingButKeepTheirSeverity() {
        Determinism d = judge(Packs.v1(), "critical", history(2, 1, 1, 0, 1, 1), NO_REPLAY);
        assertEquals(List.of("flaky"), d.labels());
        assertTrue(d.gatingExcluded());
        assertEquals("flaky (policy flake.exclude_flaky_from_gating)", d.gatingExclusion());
    }

    @Test
    void thresholdsAndGatingComeFromPolicy() throws IOException {
        RulePack pack = RulePack.load(Path.of("rules"), policyWith("""
                flake:
                  min_runs: 3
                  exclude_flaky_from_gating: false
                """));
        Determinism twoRuns = judge(pack, "high", history(2, 0, 2, 0, 0, 2), NO_REPLAY);
        assertEquals("insufficient_evidence", twoRuns.verdict());
        assertTrue(twoRuns.evidence().get(0).endsWith("needs 3 failing runs or reproducing replays"));
        assertEquals("deterministic", judge(pack, "high", history(3, 0, 3, 0, 0, 3), NO_REPLAY).verdict());
        Determinism flaky = judge(pack, "critical", history(2, 1, 1, 0, 1, 1), NO_REPLAY);
        assertEquals(List.of("flaky"), flaky.labels());
        assertFalse(flaky.gatingExcluded(), "policy keeps flaky incidents in gating");
    }

    @Test
    void withoutFlakeRulesEveryIncidentIsInsufficientEvidenceAndSaysWhy() throws IOException {
        Path rules = Files.createDirectories(tmp.resolve("rules"));
        try (var files = Files.list(Path.of("rules"))) {
            for (Path file : files.filter(f -> !f.getFileName().toString().equals("flake.drl")).toList()) {
                Files.copy(file, rules.resolve(file.getFileName()));
            }
        }
        Determinism d = judge(RulePack.load(rules, Path.of("policy")), "high", history(2, 1, 1, 0, 1, 1), NO_REPLAY);
        assertEquals("insufficient_evidence", d.verdict());
        assertEquals("no verdict rule matched (is flake.drl in the rules folder?)", d.evidence().get(0));
    }

    private Path policyWith(String flakeYaml) throws IOException {
        Path policy = Files.createDirectories(tmp.resolve("policy"));
        try (var files = Files.list(Path.of("policy"))) {
            for (Path file : files.toList()) {
                Files.copy(file, policy.resolve(file.getFileName()));
            }
        }
        Files.writeString(policy.resolve("flake.yaml"), flakeYaml);
        return policy;
    }

    private static Determinism judgeWithLedger(KeyHistory history, RecordedRuns.Counts ledger) {
        Determinism verdict = null;
        for (RulePack pack : List.of(Packs.v1(), Packs.head())) {
            ScenarioHistory fact = new ScenarioHistory("triage64:0000000000000001", "tensor_meta_state", "high", KEY,
                    true, history, NO_REPLAY, null, ledger);
            FlakeJudge.fire(pack, List.of(fact));
            if (verdict != null) {
                assertEquals(verdict, fact.result(), "both packs ship the same flake.drl");
            }
            verdict = fact.result();
        }
        return verdict;
    }

    @Test
    void theLedgersPassingAndFailingRunsOnOneEnvAreAFlake() {
        Determinism d = judgeWithLedger(null, new RecordedRuns.Counts(5, 2, 3, 0, false, 12));
        assertEquals("flaky", d.verdict());
        assertEquals("flaky: passed and failed on one env across the ledger's runs", d.rule());
        assertEquals("on its env fingerprint the ledger recorded 3 failing runs (0 of them with passes too) and 2"
                + " passing runs, of 5 since it first failed in run 12", d.evidence().get(0));
    }

    /** After a fix the ledger counts from the failure that restarted them, and the evidence says so. */
    @Test
    void theLedgersEvidenceNamesWhereItsHistoryStarts() {
        assertEquals("on its env fingerprint the ledger recorded 2 failing runs (0 of them with passes too) and 1"
                + " passing runs, of 3 since it failed again in run 40 after a passing streak",
                judgeWithLedger(null, new RecordedRuns.Counts(3, 1, 2, 0, true, 40)).evidence().get(0));
        // A history that starts in the run being judged: it has no run number yet.
        assertEquals("on its env fingerprint the ledger recorded 1 failing runs (1 of them with passes too) and 0"
                + " passing runs, of 1 since it failed again in this run after a passing streak",
                judgeWithLedger(null, new RecordedRuns.Counts(1, 0, 1, 1, true, RecordedRuns.Counts.THIS_RUN))
                        .evidence().get(0));
        assertEquals("on its env fingerprint the ledger recorded 1 failing runs (1 of them with passes too) and 0"
                + " passing runs, of 1 since it first failed in this run",
                judgeWithLedger(null, new RecordedRuns.Counts(1, 0, 1, 1, false, RecordedRuns.Counts.THIS_RUN))
                        .evidence().get(0));
    }

    @Test
    void failingInEveryRecordedRunIsDeterministic() {
        Determinism d = judgeWithLedger(null, new RecordedRuns.Counts(2, 0, 2, 0, false, 1));
        assertEquals("deterministic", d.verdict());
        assertEquals("deterministic: failed in every run the ledger recorded", d.rule());
        assertEquals("insufficient_evidence",
                judgeWithLedger(null, new RecordedRuns.Counts(1, 0, 1, 0, false, 1)).verdict());
        assertEquals("flaky", judgeWithLedger(null, new RecordedRuns.Counts(2, 0, 2, 1, false, 1)).verdict(),
                "a run where it also passed on the same env: flaky, not deterministic");
    }

    @Test
    void withoutALedgerTheLedgerRulesNeverFire() {
        Determinism d = judgeWithLedger(history(1, 0, 1, 0, 0, 1), null);
        assertEquals("insufficient_evidence", d.verdict());
    }
}
