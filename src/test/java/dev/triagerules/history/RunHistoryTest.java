package dev.triagerules.history;

import dev.triagerules.base.Unsigned128;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triagerules.input.EntryOutcome;
import dev.triagerules.input.JsonlReader;
import dev.triagerules.input.LogEntry;
import dev.triagerules.input.ReadOptions;
import dev.triagerules.input.Selection;
import dev.triagerules.policy.FlakePolicy;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-key history across runs: run outcomes, same-seed evidence, the infrastructure guard, bounds. */
class RunHistoryTest {
    private static final String ENV = "det64:1a5adcb7cc17c7fa";
    private static final ScenarioKey A = new ScenarioKey("P1", "suite", "suite/strict:case_1", "strict");
    private static final ScenarioKey B = new ScenarioKey("P1", "suite", "suite/strict:case_2", "strict");

    private static EntryOutcome pass(ScenarioKey key, long seed) {
        return new EntryOutcome(EntryOutcome.keyHash(key.packetId(), key.suiteId(), key.scenarioId(), key.mode()), seed,
                EntryOutcome.textHash(ENV), null);
    }

    private static EntryOutcome fail(ScenarioKey key, long seed, String reason) {
        LogEntry entry = new LogEntry("v1", Unsigned128.of(1), key.suiteId(), key.scenarioId(), "f.json", key.packetId(), key.mode(),
                seed, ENV, List.of(), "cmd", "fail", reason);
        return new EntryOutcome(EntryOutcome.keyHash(key.packetId(), key.suiteId(), key.scenarioId(), key.mode()), seed,
                EntryOutcome.textHash(ENV), entry);
    }

    private static EntryOutcome rerunPassed(ScenarioKey key, long seed) {
        return new EntryOutcome(EntryOutcome.keyHash(key.packetId(), key.suiteId(), key.scenarioId(), key.mode()), seed,
                EntryOutcome.textHash(ENV), null, true, true);
    }

    private static void run(RunHistory history, String name, EntryOutcome... outcomes) {
        history.startRun(name);
        for (EntryOutcome outcome : outcomes) {
            history.accept(outcome);
        }
        history.endRun();
    }

    @Test
    void aRunFailsForAKeyWhenAnyOfItsEntriesFailed() {
        RunHistory history = new RunHistory(FlakePolicy.DEFAULT);
        run(history, "r1", fail(A, 1, "x"), pass(A, 2), pass(B, 3));
        run(history, "r2", fail(A, 4, "y"), pass(B, 5));
        run(history, "r3", pass(B, 6));
        KeyHistory a = history.history(A);
        assertEquals(2, a.runs(), "runs without the key do not count");
        assertEquals(2, a.failingRuns());
        assertEquals(0, a.passingRuns());
        assertEquals(1, a.mixedRuns());
        assertEquals(1, a.passes());
        assertEquals(2, a.failures());
        assertEquals(List.of("x", "y"), a.reasonCodes());
        assertFalse(a.sameSeedMixed(), "different seeds");
        KeyHistory b = history.history(B);
        assertEquals(3, b.runs());
        assertEquals(3, b.passingRuns());
        assertNull(history.history(new ScenarioKey("P1", "suite", "never", "strict")));
    }

    @Test
    void theSameSeedPassingAndFailingIsFoundAcrossRunsAndWithinOne() {
        RunHistory history = new RunHistory(FlakePolicy.DEFAULT);
        run(history, "r1", pass(A, -1L), fail(B, 9, "x"), pass(B, 9));
        run(history, "r2", fail(A, -1L, "x"));
        assertTrue(history.history(A).sameSeedMixed());
        assertEquals(-1L, history.history(A).sameSeed());
        assertEquals(ENV, history.history(A).sameSeedEnv());
        assertTrue(history.history(B).sameSeedMixed(), "within one run");
    }

    @Test
    void anInfrastructureSuspectRunIsLeftOutOfEveryKeysHistory() {
        RunHistory history = new RunHistory(FlakePolicy.DEFAULT); // > 80 % failing, at least 10 entries
        run(history, "good", fail(A, 1, "x"), pass(B, 2));
        List<EntryOutcome> broken = new ArrayList<>();
        broken.add(pass(A, 1)); // would make A look flaky
        for (int i = 0; i < 9; i++) {
            broken.add(fail(B, 100 + i, "oracle_timeout"));
        }
        run(history, "broken", broken.toArray(EntryOutcome[]::new));
        RunSummary suspect = history.runs().get(1);
        assertTrue(suspect.infraSuspect());
        assertEquals(10, suspect.entries());
        assertEquals(9, suspect.failures());
        assertFalse(history.runs().get(0).infraSuspect());
        KeyHistory a = history.history(A);
        assertEquals(1, a.runs());
        assertEquals(0, a.passes(), "the pass in the broken run does not count");
        assertEquals(1, a.excludedRuns());
        assertFalse(a.sameSeedMixed());
        assertEquals(0, history.history(B).failures());
    }

    /**
     * A flaky JUnit test case is one entry with two attempts: its pass on the runner's rerun
     * counted as an entry too, so a run where 9 of 10 entries failed (2 of them passing on
     * rerun) was judged at 9 of 12 and not flagged, and the summary said "9 of 12 entries".
     */
    @Test
    void aPassOnTheRunnersRerunIsEvidenceForItsKeyButNotAnotherEntryOfTheRun() {
        RunHistory history = new RunHistory(FlakePolicy.DEFAULT);
        run(history, "flaky", fail(A, 1, "x"), rerunPassed(A, 1), pass(B, 2));
        assertEquals(new RunSummary("flaky", 2, 1, false), history.runs().get(0));
        KeyHistory a = history.history(A);
        assertEquals(1, a.mixedRuns(), "the rerun's pass still counts for its key");
        assertEquals(1, a.passes());
        assertTrue(a.sameSeedMixed());

        List<EntryOutcome> broken = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            ScenarioKey key = new ScenarioKey("P1", "suite", "case_" + i, "strict");
            broken.add(fail(key, i, "connection refused"));
            if (i < 2) {
                broken.add(rerunPassed(key, i));
            }
        }
        broken.add(pass(B, 3));
        run(history, "broken", broken.toArray(EntryOutcome[]::new));
        assertEquals(new RunSummary("broken", 10, 9, true), history.runs().get(1));
    }

    @Test
    void smallRunsAreNeverInfrastructureSuspect() {
        RunHistory history = new RunHistory(FlakePolicy.DEFAULT);
        run(history, "tiny", fail(A, 1, "x"), fail(B, 2, "x"));
        assertFalse(history.runs().get(0).infraSuspect(), "fewer than infra_min_entries (10)");
    }

    @Test
    void memoryPerKeyIsBounded() {
        RunHistory history = new RunHistory(FlakePolicy.DEFAULT);
        history.startRun("many");
        for (int i = 0; i < 10_000; i++) {
            history.accept(pass(A, i));
            history.accept(fail(A, 1_000_000 + i, "reason_" + (i % 20)));
        }
        history.accept(pass(A, 1_000_000)); // meets a failing seed kept in the failures' reserve
        history.endRun();
        KeyHistory a = history.history(A);
        assertEquals(10_001, a.passes());
        assertEquals(8, a.reasonCodes().size());
        assertTrue(a.reasonCodesCapped());
        assertTrue(a.sameSeedMixed());
        assertEquals(1_000_000, a.sameSeed());
    }

    @Test
    void theReaderHashesPassingEntriesAsHistoryHashesFailures() {
        // Escapes and non-ASCII in the key: the parser's buffer and the String must hash alike.
        String line = "{\"schema_version\":\"v1\",\"ts_unix_ms\":1,\"suite_id\":\"s\\u00e9\",\"scenario_id\":"
                + "\"s\\\"\u00e9\uD83D\uDE00:1\",\"fixture_id\":\"f\",\"packet_id\":\"P\",\"mode\":\"strict\",\"seed\":7,"
                + "\"env_fingerprint\":\"det64:1\",\"artifact_refs\":[],\"replay_command\":\"c\",\"outcome\":\"%s\","
                + "\"reason_code\":\"r\"}\n";
        byte[] log = (line.formatted("pass") + line.formatted("fail")).getBytes(StandardCharsets.UTF_8);
        List<EntryOutcome> outcomes = new ArrayList<>();
        new JsonlReader("log", new ByteArrayInputStream(log)).read(Selection.failuresWithOutcomes(null),
                (entry, line2) -> { }, outcomes::add);
        assertEquals(2, outcomes.size());
        assertTrue(outcomes.get(0).passed());
        assertEquals(outcomes.get(1).keyHash(), outcomes.get(0).keyHash());
        assertEquals(outcomes.get(1).envHash(), outcomes.get(0).envHash());
        assertEquals("s\"\u00e9\uD83D\uDE00:1", outcomes.get(1).failed().scenarioId());
        RunHistory history = new RunHistory(FlakePolicy.DEFAULT);
        history.startRun("log");
        outcomes.forEach(history);
        history.endRun();
        assertTrue(history.history(new ScenarioKey("P", "s\u00e9", "s\"\u00e9\uD83D\uDE00:1", "strict")).sameSeedMixed());
    }

    @Test
    void aPacketFilterKeepsOtherPacketsOutOfTheOutcomes() {
        String line = "{\"schema_version\":\"v1\",\"ts_unix_ms\":1,\"suite_id\":\"s\",\"scenario_id\":\"c\","
                + "\"fixture_id\":\"f\",\"packet_id\":\"%s\",\"mode\":\"strict\",\"seed\":7,\"env_fingerprint\":\"e\","
                + "\"artifact_refs\":[],\"replay_command\":\"c\",\"outcome\":\"%s\",\"reason_code\":\"r\"}\n";
        byte[] log = (line.formatted("P1", "pass") + line.formatted("P2", "pass") + line.formatted("P2", "fail")
                + line.formatted("P1", "fail")).getBytes(StandardCharsets.UTF_8);
        List<EntryOutcome> outcomes = new ArrayList<>();
        List<LogEntry> failures = new ArrayList<>();
        long entries = new JsonlReader("log", new ByteArrayInputStream(log), ReadOptions.DEFAULT.withThreads(2))
                .read(Selection.failuresWithOutcomes("P1"), (entry, n) -> failures.add(entry), outcomes::add);
        assertEquals(4, entries, "every entry still counts");
        assertEquals(2, outcomes.size());
        assertEquals(1, failures.size());
        assertEquals("P1", failures.get(0).packetId());
    }
}
