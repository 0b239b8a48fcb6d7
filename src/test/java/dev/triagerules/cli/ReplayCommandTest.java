package dev.triagerules.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triagerules.report.ReportFile;
import dev.triagerules.report.ReportFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ReplayCommandTest {
    @TempDir
    Path dir;
    Path work;
    Path report;

    @BeforeEach
    void report() throws Exception {
        work = Files.createDirectories(dir.resolve("work"));
        ObjectNode r = ReportFixtures.report();
        ReportFixtures.incident(r, "triage64:c1", "critical", "echo crash $TRIAGE_SEED; exit 101");
        ReportFixtures.incident(r, "triage64:c2", "critical", "sleep 30");
        ReportFixtures.incident(r, "triage64:m1", "medium", "true");
        report = ReportFixtures.write(r, dir.resolve("triage.json"));
    }

    private String[] args(String... extra) {
        // The fixtures' commands are shell snippets, as only --allow-any-command runs them.
        String[] common = {"replay", "--report", report.toString(), "--workdir", work.toString(),
            "--transcripts", dir.resolve("t").toString(), "--grace", "200ms", "--allow-any-command"};
        String[] all = new String[common.length + extra.length];
        System.arraycopy(common, 0, all, 0, common.length);
        System.arraycopy(extra, 0, all, common.length, extra.length);
        return all;
    }

    /** Before: its folder took the summary's path; everything ran, then "replay-summary.json: cannot write: is a directory". */
    @Test
    void anIncidentIdThatIsTheSummarysNameDoesNotTakeItsPlace() throws Exception {
        ObjectNode r = ReportFixtures.report();
        ReportFixtures.incident(r, "replay-summary.json", "critical", "exit 1");
        ReportFixtures.write(r, report);
        CliRunner.Result result = CliRunner.run(args("--attempts", "1"));
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(Files.isRegularFile(dir.resolve("t/replay-summary.json")), result.err());
        assertTrue(Files.isRegularFile(dir.resolve("t/replay-summary%2Ejson/replay.json")), result.err());
    }

    @Test
    void helpWorksDespiteTheTopCommandsOptions() {
        CliRunner.Result result = CliRunner.run("replay", "--help");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("--transcripts"));
        assertTrue(result.out().contains("TRIAGE_SEED"));
    }

    @Test
    void replaysTheCriticalIncidentsAndWritesTheSummary() throws Exception {
        CliRunner.Result result = CliRunner.run(args("--severity", "critical", "--attempts", "2", "--timeout", "1s"));

        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.err().contains("triage64:c1  reproduced"), result.err());
        assertTrue(result.err().contains("triage64:c2  hung"), result.err());
        assertTrue(result.err().contains("1 reproduced, 0 not_reproduced, 0 flaky, 1 hung"), result.err());
        JsonNode summary = ReportFixtures.JSON.readTree(dir.resolve("t/replay-summary.json").toFile());
        assertTrue(summary.get("complete").asBoolean());
        assertEquals(2, summary.get("incidents").size(), "the medium incident was not selected");
        assertEquals("triage64:c1", summary.get("incidents").get(0).get("incident_id").asText());
        assertEquals(2, summary.get("incidents").get(0).get("attempts").size());
        assertEquals(101, summary.get("incidents").get(0).get("attempts").get(0).get("exit_code").asInt());
        assertEquals(1, summary.get("incidents").get(1).get("attempts").size(), "hung: not retried");
        JsonNode transcript = ReportFixtures.JSON.readTree(dir.resolve("t/triage64_c1/attempt-1.json").toFile());
        assertEquals("crash " + ReportFixtures.BIG_SEED + "\n", transcript.get("output").asText());
    }

    @Test
    void selectsByIncidentAndWritesTheSummaryWhereAsked() throws Exception {
        Path summary = dir.resolve("elsewhere/summary.json");
        CliRunner.Result result = CliRunner.run(args("--incident", "triage64:m1", "--incident", "triage64:c1",
                "--attempts", "1", "--summary", summary.toString(), "-q"));
        assertEquals(0, result.exitCode(), result.err());
        JsonNode written = ReportFixtures.JSON.readTree(summary.toFile());
        assertEquals("triage64:c1", written.get("incidents").get(0).get("incident_id").asText(), "report order");
        assertEquals("not_reproduced", written.get("incidents").get(1).get("verdict").asText());
        assertFalse(result.err().contains("[1/2]"), "quiet");
    }

    @Test
    void policyGivesAttemptsAndPerClassTimeouts() throws Exception {
        Path policy = Files.createDirectories(dir.resolve("policy"));
        for (String file : new String[] {"classes.yaml", "severities.yaml"}) {
            Files.copy(Path.of("policy", file), policy.resolve(file));
        }
        Files.writeString(policy.resolve("replay.yaml"),
                "replay: {default_timeout: 10m, class_timeouts: {oracle_infra: 300ms}, attempts: 1}\n");
        ObjectNode r = ReportFixtures.report();
        ReportFixtures.incident(r, "i:slow-infra", "medium", "sleep 5"); // class oracle_infra
        ReportFixtures.incident(r, "i:quick", "critical", "exit 1");
        ReportFixtures.write(r, report);

        CliRunner.Result result = CliRunner.run(args("--policy", policy.toString()));

        assertEquals(0, result.exitCode(), result.err());
        JsonNode summary = ReportFixtures.JSON.readTree(dir.resolve("t/replay-summary.json").toFile());
        assertEquals("hung", summary.get("incidents").get(0).get("verdict").asText());
        assertEquals(1, summary.get("incidents").get(1).get("attempts").size());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, CliRunner.run(args("--timeout", "soon")).exitCode());
        assertEquals(2, CliRunner.run(args("--severity", "critical", "--class", "x")).exitCode());
        assertEquals(2, CliRunner.run(args("--attempts", "0")).exitCode());
        assertEquals(2, CliRunner.run("replay").exitCode());
    }

    @Test
    void badInputExitsOne() throws Exception {
        CliRunner.Result unknown = CliRunner.run(args("--incident", "triage64:nope"));
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.err().contains("no incident triage64:nope"), unknown.err());
        Files.writeString(report, "not json");
        CliRunner.Result garbage = CliRunner.run(args());
        assertEquals(1, garbage.exitCode());
        assertTrue(garbage.err().contains("not a JSON report"), garbage.err());
    }

    /** A policy whose replay.allow lets through only {@code sh mark.sh WORD}; mark.sh leaves a file named WORD. */
    private Path markPolicy() throws Exception {
        Path policy = Files.createDirectories(dir.resolve("policy"));
        for (String file : new String[] {"classes.yaml", "severities.yaml"}) {
            Files.copy(Path.of("policy", file), policy.resolve(file));
        }
        Files.writeString(policy.resolve("replay.yaml"), "replay:\n  attempts: 1\n  allow: ['sh mark\\.sh [a-z]+']\n");
        Files.writeString(work.resolve("mark.sh"), "touch \"$1\"; exit 1\n");
        return policy;
    }

    private String[] guarded(Path policy, String... extra) {
        String[] common = {"replay", "--report", report.toString(), "--workdir", work.toString(),
            "--transcripts", dir.resolve("t").toString(), "--policy", policy.toString()};
        String[] all = new String[common.length + extra.length];
        System.arraycopy(common, 0, all, 0, common.length);
        System.arraycopy(extra, 0, all, common.length, extra.length);
        return all;
    }

    @Test
    void commandsThePolicyDoesNotAllowAreRefusedListedAndCounted() throws Exception {
        Path policy = markPolicy();
        ObjectNode r = ReportFixtures.report();
        ReportFixtures.incident(r, "i:allowed", "critical", "sh mark.sh ran");
        ReportFixtures.incident(r, "i:chained", "critical", "sh mark.sh ran; touch pwned");
        ReportFixtures.incident(r, "i:substituted", "high", "sh mark.sh $(touch pwned)");
        ReportFixtures.incident(r, "i:other", "high", "touch pwned");
        ReportFixtures.incident(r, "i:escape\u001b[2J", "high", "sh mark.sh ran\n\u001b]0;x\u0007touch pwned");
        ReportFixtures.write(r, report);

        CliRunner.Result result = CliRunner.run(guarded(policy, "-q"));

        assertEquals(0, result.exitCode(), result.err());
        assertTrue(Files.exists(work.resolve("ran")), "the allowed command ran");
        assertFalse(Files.exists(work.resolve("pwned")), "no refused command ran");
        assertTrue(result.err().contains("replay: refused 4 command(s) the policy does not allow (not run):\n"
                + "  i:chained: character ';' (U+003B) at column 15 is not allowed"), result.err());
        assertTrue(result.err().contains("  i:escape\\u001b[2J: character U+000A at column 15 is not allowed"),
                result.err());
        assertTrue(result.err().contains("    sh mark.sh ran\\n\\u001b]0;x\\u0007touch pwned\n"), result.err());
        assertFalse(result.err().contains("\u001b"), "no escape sequence reaches the terminal");
        assertTrue(result.err().contains("1 reproduced, 0 not_reproduced, 0 flaky, 0 hung, 0 not_runnable, 4 refused"), result.err());
        JsonNode summary = ReportFixtures.JSON.readTree(dir.resolve("t/replay-summary.json").toFile());
        assertEquals(4, summary.get("verdict_counts").get("refused").asInt());
        JsonNode chained = summary.get("incidents").get(1);
        assertEquals("refused", chained.get("verdict").asText());
        assertTrue(chained.get("refused_reason").asText().startsWith("character ';'"));
        assertEquals(0, chained.get("attempts").size());
        assertEquals("matches none of the 1 replay.allow pattern(s) (" + policy.resolve("replay.yaml") + ":3:3)",
                summary.get("incidents").get(3).get("refused_reason").asText());
        JsonNode verdict = ReportFixtures.JSON.readTree(dir.resolve("t/i_chained/replay.json").toFile());
        assertEquals("refused", verdict.get("verdict").asText());
        JsonNode transcript = ReportFixtures.JSON.readTree(dir.resolve("t/i_allowed/attempt-1.json").toFile());
        assertEquals("[\"sh\",\"mark.sh\",\"ran\"]", transcript.get("argv").toString(), "run without a shell");
    }

    /** Before: an empty id was printed as itself, "replay: skipped : no incident_id". */
    @Test
    void aRefusedCommandShowsItsLookAlikeEscapedAndTheIdReadable() throws Exception {
        Path policy = markPolicy();
        ObjectNode r = ReportFixtures.report();
        ReportFixtures.incident(r, "i:größe\u202e", "high", "sh mark.sh ran\uff1btouch pwned");
        ReportFixtures.write(r, report);

        CliRunner.Result result = CliRunner.run(guarded(policy, "-q"));

        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.err().contains("  i:größe\\u202e: character U+FF1B at column 15 is not allowed ("),
                result.err());
        assertTrue(result.err().contains("\n    sh mark.sh ran\\uff1btouch pwned\n"), result.err());
        assertFalse(result.err().contains("\u202e"), result.err());
    }

    @Test
    void anIncidentWithAnEmptyIdIsNamedByItsPosition() throws Exception {
        ObjectNode r = ReportFixtures.report();
        ReportFixtures.incident(r, "triage64:m1", "medium", "true");
        ReportFixtures.incident(r, "", "medium", "true");
        ReportFixtures.incident(r, " ", "medium", "true");
        ReportFixtures.write(r, report);

        CliRunner.Result result = CliRunner.run(args("-q", "--attempts", "1"));

        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.err().contains("replay: skipped incidents[1]: no incident_id\n"
                + "replay: skipped incidents[2]: no incident_id\n"), result.err());
    }

    /**
     * A NUL from a log (scenario_id "x\0y") cannot go into TRIAGE_SCENARIO_ID: the process
     * start failed with an internal error, and no summary was written for the incidents
     * already replayed.
     */
    @Test
    void anIncidentWhoseValuesHoldANulIsSkippedAndTheOthersReplayed() throws Exception {
        ObjectNode r = ReportFixtures.report();
        ReportFixtures.incident(r, "triage64:m1", "medium", "true");
        ReportFixtures.incident(r, "triage64:nul", "medium", "true").put("scenario_id", "x\0y");
        ReportFixtures.incident(r, "triage64:m2", "medium", "true");
        ReportFixtures.write(r, report);

        CliRunner.Result dryRun = CliRunner.run(args("--dry-run"));
        CliRunner.Result result = CliRunner.run(args("-q", "--attempts", "1"));

        assertTrue(dryRun.out().contains("\nskip    triage64:nul: its TRIAGE_SCENARIO_ID would hold a NUL character,"
                + " which no environment variable can\n"), dryRun.out());
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.err().contains("replay: skipped triage64:nul: its TRIAGE_SCENARIO_ID would hold a NUL"
                + " character, which no environment variable can\n"), result.err());
        JsonNode summary = ReportFixtures.JSON.readTree(dir.resolve("t/replay-summary.json").toFile());
        assertEquals(2, summary.get("incidents").size(), summary.toString());
        assertEquals("triage64:nul", summary.get("skipped").get(0).get("incident_id").asText());
    }

    /** A transcripts folder from elsewhere with a planted link: replay cleared attempt-*.json wherever it led. */
    @Test
    void anIncidentFolderThatIsALinkIsRefusedBeforeAnythingRuns() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("attempt-7.json"), "keep");
        Files.createDirectories(dir.resolve("t"));
        Files.createSymbolicLink(dir.resolve("t/triage64_m1"), outside);

        CliRunner.Result result = CliRunner.run(args("--attempts", "1"));

        assertEquals(1, result.exitCode(), result.err());
        assertTrue(result.err().contains(dir.resolve("t/triage64_m1") + " is a symbolic link, not a folder: a"
                + " transcripts folder holds its incidents' own folders"), result.err());
        assertEquals(List.of("attempt-7.json"), Files.list(outside).map(p -> p.getFileName().toString()).toList());
        assertFalse(Files.exists(dir.resolve("t/triage64_c1")), "nothing ran");
    }

    /** A planted lock-file link made replay create an empty file at its target. */
    @Test
    void aLockFileThatIsALinkIsNotFollowed() throws Exception {
        Files.createDirectories(dir.resolve("t"));
        Path target = dir.resolve("created-elsewhere");
        Files.createSymbolicLink(dir.resolve("t/.triage-rules-replay.lock"), target);

        CliRunner.Result result = CliRunner.run(args("--attempts", "1", "--incident", "triage64:m1"));

        assertEquals(1, result.exitCode(), result.err());
        assertTrue(result.err().contains(": cannot lock the transcripts folder: "), result.err());
        assertFalse(Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS), "no file made through the link");
    }

    /** 3000000h overflowed when waited for in nanoseconds: an internal error after the command had started. */
    @Test
    void aTimeoutTooLongToWaitForIsAUsageError() {
        CliRunner.Result result = CliRunner.run(args("--timeout", "3000000h"));

        assertEquals(2, result.exitCode(), result.err());
        assertTrue(result.err().contains("duration \"3000000h\" is too long (at most 292 years)"), result.err());
    }

    /** Two incidents under one id shared one transcripts folder: the second cleared the first's attempts. */
    @Test
    void aReportListingAnIncidentTwiceIsRefused() throws Exception {
        ObjectNode r = ReportFixtures.report();
        ReportFixtures.incident(r, "triage64:m1", "medium", "true");
        ReportFixtures.incident(r, "triage64:m1", "medium", "false");
        ReportFixtures.write(r, report);

        CliRunner.Result result = CliRunner.run(args("--attempts", "1"));

        assertEquals(1, result.exitCode(), result.err());
        assertTrue(result.err().contains(report + ": incidents[1] repeats the incident_id of incidents[0]"
                + " (triage64:m1); a report lists each incident once"), result.err());
    }

    @Test
    void dryRunShowsWhatWouldRunAndWhatWouldBeRefusedAndDoesNothing() throws Exception {
        Path policy = markPolicy();
        ObjectNode r = ReportFixtures.report();
        ReportFixtures.incident(r, "i:allowed", "critical", "sh mark.sh ran");
        ReportFixtures.incident(r, "i:chained", "high", "sh mark.sh ran && touch pwned");
        ReportFixtures.incident(r, "i:none", "high", "");
        ReportFixtures.write(r, report);

        CliRunner.Result result = CliRunner.run(guarded(policy, "--dry-run", "--timeout", "90s"));

        assertEquals(0, result.exitCode(), result.err());
        assertEquals("replay --dry-run: 3 incident(s) of " + report + ", in " + work.toAbsolutePath().normalize()
                + "; nothing is run or written\n", result.out().lines().findFirst().orElseThrow() + "\n");
        assertTrue(result.out().contains("\nrun     i:allowed: 1 attempt(s), timeout 90s\n        sh mark.sh ran\n"),
                result.out());
        assertTrue(result.out().contains("\nrefuse  i:chained: character '&' (U+0026) at column 16 is not allowed"),
                result.out());
        assertTrue(result.out().contains("\nskip    i:none: no replay_command\n"), result.out());
        assertTrue(result.out().endsWith("dry run: would run 1, refuse 1, skip 1\n"), result.out());
        assertFalse(Files.exists(work.resolve("ran")), "nothing ran");
        assertFalse(Files.exists(dir.resolve("t")), "nothing was written, not even the transcripts folder");
    }

    @Test
    void allowAnyCommandRunsEverythingAndSaysSoOnEveryRun() throws Exception {
        Path policy = markPolicy();
        ObjectNode r = ReportFixtures.report();
        ReportFixtures.incident(r, "i:chained", "high", "sh mark.sh ran; touch chained");
        ReportFixtures.write(r, report);

        for (String[] args : List.of(guarded(policy, "--allow-any-command", "-q"),
                guarded(policy, "--allow-any-command", "--dry-run"))) {
            CliRunner.Result result = CliRunner.run(args);
            assertEquals(0, result.exitCode(), result.err());
            assertTrue(result.err().startsWith("replay: WARNING: --allow-any-command: every replay_command of " + report
                    + " runs as shell code (sh -c) with your rights"), result.err());
        }
        assertTrue(Files.exists(work.resolve("chained")), "the shell ran it");
    }

    @Test
    void aSecondReplayIntoTheSameTranscriptsFailsNamingTheFolder() {
        try (dev.triagerules.replay.TranscriptStore.Lock held =
                new dev.triagerules.replay.TranscriptStore(dir.resolve("t")).lock()) {
            CliRunner.Result result = CliRunner.run(args("--incident", "triage64:m1"));
            assertEquals(1, result.exitCode(), result.err());
            assertTrue(result.err().contains(dir.resolve("t") + ": another triage-rules replay is using this"
                    + " transcripts folder"), result.err());
        }
        assertEquals(0, CliRunner.run(args("--incident", "triage64:m1", "-q")).exitCode());
    }
    /** A report of more incidents than replay keeps may still be replayed in part: only the part is kept. */
    @Test
    void aPartOfAReportTooBigToKeepWholeIsReplayed() throws Exception {
        ReportFixtures.write(report, ReportFile.MAX_INCIDENTS + 1, n -> ReportFixtures.JSON.createObjectNode()
                .put("incident_id", "i" + n).put("severity", n == 7 ? "critical" : "high")
                .put("replay_command", "true"), true);

        CliRunner.Result one = CliRunner.run(args("--incident", "i100000", "--dry-run")).assertOk();
        assertTrue(one.out().contains("i100000"), one.out());
        CliRunner.Result critical = CliRunner.run(args("--severity", "critical", "--dry-run")).assertOk();
        assertTrue(critical.out().contains("i7"), critical.out());
        CliRunner.Result all = CliRunner.run(args("--dry-run")).assertExit(1);
        assertTrue(all.err().contains("more than 100000 incidents"), all.err());
    }
}
