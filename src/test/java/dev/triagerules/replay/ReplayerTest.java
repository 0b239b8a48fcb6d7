package dev.triagerules.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triagerules.report.ReportFile;
import dev.triagerules.report.ReportFixtures;
import dev.triagerules.report.ReportedIncident;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Incidents replayed with real commands: verdicts, transcripts, environment, summary. */
@Timeout(30)
class ReplayerTest {
    /** Fails on odd attempts, passes on even ones; the counter lives in the workdir. */
    static final String FAILS_ON_ODD = "n=$(cat counter 2>/dev/null || echo 0); n=$((n+1)); echo $n > counter; "
            + "echo attempt $TRIAGE_ATTEMPT run $n; [ $((n % 2)) -eq 0 ]";
    /** Fails on even attempts only: 1 of 3 fails. */
    static final String FAILS_ON_EVEN = "[ $((TRIAGE_ATTEMPT % 2)) -eq 1 ]";

    /** These tests replay shell snippets, as --allow-any-command does; the guard has tests of its own. */
    static final CommandGuard ANY_COMMAND = new CommandGuard(List.of(), null, true);

    @TempDir
    Path dir;

    private List<ReportedIncident> incidents(ObjectNode report) throws Exception {
        return ReportFile.read(ReportFixtures.write(report, dir.resolve("report.json"))).incidents();
    }

    private Replayer replayer(Path workdir, int attempts, Duration timeout, int jobs, List<String> finished) {
        return new Replayer(new Replayer.Settings(workdir, new TranscriptStore(dir.resolve("transcripts")),
                attempts, crashClass -> timeout, jobs, ANY_COMMAND, Map.of("PATH", System.getenv("PATH"))),
                new ProcessTreeRunner(Duration.ofMillis(200), 1024, 1024),
                replay -> finished.add(replay.incident().incidentId() + "=" + replay.verdict().label()));
    }

    @Test
    void verdictsForFailingPassingFlakyAndHungCommands() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        ObjectNode report = ReportFixtures.report();
        ReportFixtures.incident(report, "i:fail", "critical", "echo boom >&2; exit 2");
        ReportFixtures.incident(report, "i:pass", "high", "echo fine");
        ReportFixtures.incident(report, "i:odd", "high", FAILS_ON_ODD);
        ReportFixtures.incident(report, "i:even", "high", FAILS_ON_EVEN);
        ReportFixtures.incident(report, "i:hung", "high", "echo started; sleep 30");
        List<String> finished = new ArrayList<>();

        ReplaySummary summary = replayer(work, 3, Duration.ofMillis(800), 1, finished)
                .run(incidents(report), "report.json");

        assertTrue(summary.complete());
        assertEquals(List.of("i:fail=reproduced", "i:pass=not_reproduced", "i:odd=reproduced", "i:even=flaky",
                "i:hung=hung"), finished);
        assertEquals(List.of(3, 3, 3, 3, 1), summary.finished().stream().map(r -> r.attempts().size()).toList(),
                "a timed-out attempt is not retried");
        // Fails on odd attempts: 2 of 3 fail, which is at least half.
        assertEquals(2, summary.finished().get(2).failedAttempts());
        assertEquals(Long.valueOf(2), summary.counts().get(Verdict.REPRODUCED));
    }

    /**
     * A program that cannot be started shows nothing about the failure: its verdict is
     * not_runnable after one attempt, never reproduced, whether it runs as words (a missing
     * program, a file that is not executable) or as shell code.
     */
    @Test
    void aMissingOrNonExecutableProgramIsNotRunnableNeverReproduced() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.writeString(work.resolve("not-executable.sh"), "exit 1\n");
        ObjectNode report = ReportFixtures.report();
        ReportFixtures.incident(report, "i:missing", "critical", "no-such-program-xyz --case 1");
        ReportFixtures.incident(report, "i:noexec", "critical", "./not-executable.sh --case 1");
        ReportFixtures.incident(report, "i:shell", "critical", "echo trying; no-such-program-xyz --case 1");
        CommandGuard words = new CommandGuard(List.of(java.util.regex.Pattern.compile("\\S+ --case 1")), null, false);
        List<String> finished = new ArrayList<>();
        Replayer byWords = new Replayer(new Replayer.Settings(work, new TranscriptStore(dir.resolve("transcripts")), 3,
                crashClass -> Duration.ofSeconds(5), 1, words, Map.of("PATH", System.getenv("PATH"))),
                new ProcessTreeRunner(Duration.ofMillis(200), 1024, 1024),
                replay -> finished.add(replay.incident().incidentId() + "=" + replay.verdict().label()));

        List<ReportedIncident> all = incidents(report);
        ReplaySummary summary = byWords.run(all.subList(0, 2), "report.json");
        replayer(work, 3, Duration.ofSeconds(5), 1, finished).run(all.subList(2, 3), "report.json");

        assertEquals(List.of("i:missing=not_runnable", "i:noexec=not_runnable", "i:shell=not_runnable"), finished);
        assertEquals(List.of(1, 1), summary.finished().stream().map(r -> r.attempts().size()).toList(),
                "not retried");
        assertEquals(List.of(127, 126), summary.finished().stream()
                .map(r -> r.attempts().get(0).result().exitCode()).toList());
        assertEquals(0, summary.finished().get(0).failedAttempts());
        JsonNode verdict = ReportFixtures.JSON.readTree(dir.resolve("transcripts/i_missing/replay.json").toFile());
        assertEquals("not_runnable", verdict.get("verdict").asText());
        assertTrue(verdict.get("attempts").get(0).get("not_runnable").asBoolean());
        JsonNode transcript = ReportFixtures.JSON.readTree(
                dir.resolve("transcripts/i_missing/attempt-1.json").toFile());
        assertTrue(transcript.get("output").asText().contains("no-such-program-xyz"), transcript.toString());
    }

    @Test
    void aProcessTheJvmCannotStartIsNotRunnableNotAnError() throws Exception {
        try (ProcessTreeRunner runner = new ProcessTreeRunner(Duration.ofMillis(200), 1024, 1024)) {
            RunResult result = runner.run(List.of("true"), dir.resolve("no-such-workdir"), Map.of(),
                    Duration.ofSeconds(5));
            assertTrue(result.notRunnable());
            assertFalse(result.failed());
            assertTrue(result.output().text().startsWith("triage-rules: cannot start the command: "),
                    result.output().text());
        }
    }

    @Test
    void transcriptsRecordTheAttemptAndItsEnvironment() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        ObjectNode report = ReportFixtures.report();
        ReportFixtures.incident(report, "triage64:0123abcd", "critical",
                "echo \"$TRIAGE_SEED $TRIAGE_INCIDENT_ID $TRIAGE_PACKET_ID $TRIAGE_SUITE_ID $TRIAGE_SCENARIO_ID"
                        + " $TRIAGE_MODE $TRIAGE_ENV_FINGERPRINT $TRIAGE_ATTEMPT\"; pwd; exit 1");
        replayer(work, 2, Duration.ofSeconds(5), 1, new ArrayList<>()).run(incidents(report), "report.json");

        Path incidentDir = dir.resolve("transcripts/triage64_0123abcd");
        JsonNode second = ReportFixtures.JSON.readTree(incidentDir.resolve("attempt-2.json").toFile());
        assertEquals("triage64:0123abcd", second.get("incident_id").asText());
        assertEquals(2, second.get("attempt").asInt());
        assertEquals(work.toString(), second.get("workdir").asText());
        assertEquals(ReportFixtures.BIG_SEED, second.get("seed").bigIntegerValue().toString());
        assertEquals("det64:00000000000000aa", second.get("env_fingerprint").asText());
        assertEquals(1, second.get("exit_code").asInt());
        assertFalse(second.get("timed_out").asBoolean());
        assertTrue(second.get("started_unix_ms").asLong() > 0);
        assertTrue(second.has("duration_ms"));
        assertEquals(ReportFixtures.BIG_SEED + " triage64:0123abcd FT-P2C-002 dispatch_key dispatch_key/strict:case_1"
                + " strict det64:00000000000000aa 2\n" + work.toRealPath() + "\n", second.get("output").asText());
        assertEquals(0, second.get("output_truncated_bytes").asLong());

        JsonNode verdict = ReportFixtures.JSON.readTree(incidentDir.resolve("replay.json").toFile());
        assertEquals("reproduced", verdict.get("verdict").asText());
        assertEquals("attempt-1.json", verdict.get("attempts").get(0).get("transcript").asText());
    }

    @Test
    void hugeOutputIsBoundedInTheTranscript() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        ObjectNode report = ReportFixtures.report();
        ReportFixtures.incident(report, "i:chatty", "high", "head -c 500000 /dev/zero | tr '\\0' y; exit 1");
        replayer(work, 1, Duration.ofSeconds(10), 1, new ArrayList<>()).run(incidents(report), "report.json");

        JsonNode transcript = ReportFixtures.JSON.readTree(dir.resolve("transcripts/i_chatty/attempt-1.json").toFile());
        assertEquals(500_000, transcript.get("output_bytes").asLong());
        assertEquals(500_000 - 2048, transcript.get("output_truncated_bytes").asLong());
        assertTrue(transcript.get("output").asText().contains("bytes of output cut here"));
        assertTrue(Files.size(dir.resolve("transcripts/i_chatty/attempt-1.json")) < 8192);
    }

    @Test
    void replayingAgainReplacesEarlierTranscripts() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        ObjectNode report = ReportFixtures.report();
        ReportFixtures.incident(report, "i:again", "high", "exit 1");
        replayer(work, 3, Duration.ofSeconds(5), 1, new ArrayList<>()).run(incidents(report), "report.json");
        replayer(work, 1, Duration.ofSeconds(5), 1, new ArrayList<>()).run(incidents(report), "report.json");

        Path incidentDir = dir.resolve("transcripts/i_again");
        assertTrue(Files.exists(incidentDir.resolve("attempt-1.json")));
        assertFalse(Files.exists(incidentDir.resolve("attempt-3.json")), "a stale attempt would skew the verdict");
    }

    @Test
    void jobsRunIncidentsInParallelAndTheSummaryKeepsReportOrder() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        ObjectNode report = ReportFixtures.report();
        ReportFixtures.incident(report, "i:slow", "high", "sleep 0.6; exit 1");
        ReportFixtures.incident(report, "i:fast", "high", "exit 0");
        ReportFixtures.incident(report, "i:none", "high", "  ");
        List<String> finished = new ArrayList<>();

        ReplaySummary summary = replayer(work, 1, Duration.ofSeconds(5), 2, finished)
                .run(incidents(report), "report.json");

        assertEquals(List.of("i:fast=not_reproduced", "i:slow=reproduced"), finished, "fast one finished first");
        assertEquals(List.of("i:slow", "i:fast"),
                summary.finished().stream().map(r -> r.incident().incidentId()).toList());
        assertEquals("no replay_command", summary.skipped().get(0).reason());

        Path file = dir.resolve("summary.json");
        summary.write(file);
        JsonNode written = ReportFixtures.JSON.readTree(file.toFile());
        assertEquals(1, written.get("verdict_counts").get("reproduced").asInt());
        assertEquals(0, written.get("verdict_counts").get("flaky").asInt());
        assertEquals("i:slow", written.get("incidents").get(0).get("incident_id").asText());
        assertTrue(written.get("incidents").get(0).get("attempts").get(0).get("transcript").asText()
                .endsWith("i_slow/attempt-1.json"));
    }

    @Test
    void abortEndsRunningTreesAndTheSummaryListsOnlyWhatFinished() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        ObjectNode report = ReportFixtures.report();
        ReportFixtures.incident(report, "i:quick", "high", "exit 1");
        ReportFixtures.incident(report, "i:stuck", "high",
                "trap '' TERM; sleep 30 & echo $! > stuck.pid; wait");
        ReportFixtures.incident(report, "i:never", "high", "exit 1");
        Replayer replayer = replayer(work, 1, Duration.ofSeconds(20), 1, new ArrayList<>());
        Thread ctrlC = new Thread(() -> {
            try {
                while (!Files.exists(work.resolve("stuck.pid"))) {
                    Thread.sleep(20);
                }
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            replayer.abort();
        });
        ctrlC.start();

        ReplaySummary summary = replayer.run(incidents(report), "report.json");
        ctrlC.join();

        assertFalse(summary.complete());
        assertEquals(List.of("i:quick"), summary.finished().stream().map(r -> r.incident().incidentId()).toList());
        assertEquals(List.of("i:stuck", "i:never"), summary.unfinished().stream().map(ReportedIncident::incidentId)
                .toList());
        ProcessTreeRunnerTest.assertGone(Long.parseLong(Files.readString(work.resolve("stuck.pid")).strip()));
        assertFalse(Files.exists(dir.resolve("transcripts/i_stuck/replay.json")));
    }
}
