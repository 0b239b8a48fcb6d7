package dev.triagerules.cli;

import static dev.triagerules.LogLines.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triagerules.LogLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CI use: --fail-on gating, baselines, the Markdown job summary, shell completion. */
class CiGatingTest {
    @TempDir
    Path tmp;

    Path log;
    Path report;

    @BeforeEach
    void log() {
        log = LogLines.write(tmp.resolve("e2e.jsonl"), List.of(
                entry("s1", "fail", "scheduler_dispatch_conflict"),
                entry("s1", "pass", "parity_ok"),
                entry("s2", "fail", "keyset_conflict"),
                entry("s2", "fail", "keyset_conflict"),
                entry("s3", "error", "legacy_oracle_unavailable")));
        report = tmp.resolve("triage.json");
    }

    @Test
    void failOnTripsWithExitThreeAfterWritingEverything() {
        CliRunner.Result result = run("--fail-on", "critical", "--markdown", tmp.resolve("s.md").toString());
        assertEquals(3, result.exitCode(), result.err());
        assertTrue(Files.exists(report) && Files.exists(tmp.resolve("s.md")), "outputs are written before the verdict");
        assertTrue(result.err().contains("triage-rules: --fail-on critical: 1 incident at or above critical\n"
                + "  triage64:"), result.err());
        assertTrue(result.err().contains(" critical autograd_state scheduler_dispatch_conflict\n"), result.err());
    }

    @Test
    void failOnCountsEverythingAtOrAboveTheSeverity() {
        assertEquals(3, run("--fail-on", "high", "-q").exitCode());
        assertTrue(run("--fail-on", "medium").err().contains(": 3 incidents at or above medium"));
    }

    @Test
    void failOnPassesWhenNothingIsThatSevere() {
        LogLines.write(log, List.of(entry("s3", "error", "legacy_oracle_unavailable"), entry("s1", "pass", "ok")));
        assertEquals(0, run("--fail-on", "high").exitCode());
    }

    @Test
    void aBaselineLimitsGatingToNewIncidents() {
        Path old = tmp.resolve("old.json");
        LogLines.write(log, List.of(entry("s1", "fail", "scheduler_dispatch_conflict")));
        assertEquals(0, CliRunner.run("--input", log.toString(), "--output", old.toString(), "-q").exitCode());
        log();
        CliRunner.Result result = run("--fail-on", "high", "--baseline", old.toString());
        assertEquals(3, result.exitCode());
        assertTrue(result.err().contains(": 1 incident at or above high not in " + old), result.err());
        assertTrue(result.err().contains("keyset_conflict"), result.err());
        assertTrue(!result.err().contains("scheduler_dispatch_conflict\n"), "known incidents do not trip");
    }

    @Test
    void flakyIncidentsExcludedByPolicyDoNotTrip() throws IOException {
        Path run1 = LogLines.write(tmp.resolve("run1.jsonl"), List.of(entry("s1", "pass", "parity_ok")));
        Path run2 = LogLines.write(tmp.resolve("run2.jsonl"), List.of(entry("s1", "fail", "scheduler_dispatch_conflict")));
        CliRunner.Result result = CliRunner.run("--input", run1.toString(), "--input", run2.toString(),
                "--output", report.toString(), "--fail-on", "critical");
        assertEquals(0, result.exitCode(), "the only critical incident is flaky: " + result.err());
        String json = Files.readString(report);
        assertTrue(json.contains("\"gating_excluded\": true"), json);

        Path run3 = LogLines.write(tmp.resolve("run3.jsonl"), List.of(entry("s1", "fail", "scheduler_dispatch_conflict")));
        CliRunner.Result deterministic = CliRunner.run("--input", run2.toString(), "--input", run3.toString(),
                "--output", report.toString(), "--fail-on", "critical");
        assertEquals(3, deterministic.exitCode(), "failing in every run still trips");
    }

    @Test
    void whatTrippedTheGateLeadsTheAnnotationsAndTheSummary() throws IOException {
        String ledger = tmp.resolve("ledger.db").toString();
        Path md = tmp.resolve("summary.md");
        assertEquals(0, run("--ledger", ledger, "-q").exitCode());
        LogLines.write(log, List.of(
                entry("s1", "fail", "scheduler_dispatch_conflict"),
                entry("s2", "fail", "keyset_conflict"),
                entry("s4", "fail", "decode_failure")));
        CliRunner.Result result = run("--ledger", ledger, "--fail-on-new", "high", "--annotations", "github",
                "--markdown", md.toString(), "-q");
        assertEquals(3, result.exitCode(), result.err());
        String opened = dev.triagerules.engine.IncidentId.of("FT-P2C-002", "dispatch_key", "s4", "strict",
                "decode_failure", "serialization_parser");
        List<String> lines = result.out().lines().toList();
        // The new high incident that failed the job comes before the recurring critical one.
        assertTrue(lines.get(0).startsWith("::warning title=failed the job (--fail-on-new high)%3A"
                + " serialization_parser (high%2C new)%3A "), lines.get(0));
        assertTrue(lines.get(0).contains(", " + opened + "%0Areplay: "), lines.get(0));
        assertTrue(lines.get(1).startsWith("::error title=autograd_state (critical%2C recurring)%3A "), lines.get(1));
        String summary = Files.readString(md);
        assertTrue(summary.contains("\n### Failed the job: `--fail-on-new high` (1)\n\n- `" + opened + "` new: "
                + "**serialization\\_parser** (high, "), summary);
        assertTrue(summary.indexOf("### Failed the job") < summary.indexOf("| class |"), "near the top: " + summary);
    }

    @Test
    void theSummarySaysWhichIncidentsWereLeftOutOfGatingAsFlaky() throws IOException {
        Path run1 = LogLines.write(tmp.resolve("run1.jsonl"), List.of(entry("s1", "pass", "parity_ok")));
        Path run2 = LogLines.write(tmp.resolve("run2.jsonl"), List.of(entry("s1", "fail", "scheduler_dispatch_conflict"),
                entry("s2", "fail", "keyset_conflict")));
        Path md = tmp.resolve("summary.md");
        CliRunner.Result result = CliRunner.run("--input", run1.toString(), "--input", run2.toString(),
                "--output", report.toString(), "--fail-on", "high", "--markdown", md.toString(), "-q");
        assertEquals(3, result.exitCode(), result.err());
        String flaky = dev.triagerules.engine.IncidentId.of("FT-P2C-002", "dispatch_key", "s1", "strict",
                "scheduler_dispatch_conflict", "autograd_state");
        String tripped = dev.triagerules.engine.IncidentId.of("FT-P2C-002", "dispatch_key", "s2", "strict",
                "keyset_conflict", "dispatch_routing");
        assertTrue(Files.readString(md).contains("\n### Failed the job: `--fail-on high` (1)\n\n- `" + tripped
                + "` **dispatch\\_routing** (high, ft-dispatch-owners), `keyset_conflict` in"
                + " `FT-P2C-002 dispatch_key s2 strict`\n\nLeft out of gating as flaky (1): `" + flaky + "`.\n\n| class"),
                Files.readString(md));
    }

    @Test
    void unknownSeverityIsAUsageError() {
        CliRunner.Result result = run("--fail-on", "urgent");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("--fail-on: unknown severity 'urgent'; the policy's severities are"
                + " critical, high, medium, low"), result.err());
    }

    @Test
    void markdownSummaryIsExact() throws IOException {
        Path md = tmp.resolve("summary.md");
        assertEquals(0, run("--markdown", md.toString(), "-q").exitCode());
        String id = dev.triagerules.engine.IncidentId.of("FT-P2C-002", "dispatch_key", "s1", "strict",
                "scheduler_dispatch_conflict", "autograd_state");
        assertEquals("## Crash triage: 3 incidents from 4 failures\n"
                + "\n"
                + "5 entries in `" + log + "`.\n"
                + "\n"
                + "| class | severity | owner | failures | incidents |\n"
                + "|---|---|---|---:|---:|\n"
                + "| autograd\\_state | critical | ft-autograd-owners | 1 | 1 |\n"
                + "| dispatch\\_routing | high | ft-dispatch-owners | 2 | 1 |\n"
                + "| oracle\\_infra | medium | ft-conformance-infra-owners | 1 | 1 |\n"
                + "\n"
                + "### Escalated incidents (1)\n"
                + "\n"
                + "- `" + id + "` **autograd\\_state** (critical, ft-autograd-owners): `scheduler_dispatch_conflict`"
                + " in `FT-P2C-002 dispatch_key s1 strict`, 1×, bead `bd-3v0.7`\n"
                + "\n"
                + "  ```sh\n"
                + "  cargo test -p ft-conformance s1\n"
                + "  ```\n", Files.readString(md));
    }

    @Test
    void markdownAppendAddsToAStepSummary() throws IOException {
        Path summary = Files.writeString(tmp.resolve("step_summary.md"), "# Job\n");
        assertEquals(0, run("--markdown-append", summary.toString(), "-q").exitCode());
        assertEquals(0, run("--markdown-append", summary.toString(), "-q").exitCode());
        String text = Files.readString(summary);
        assertTrue(text.startsWith("# Job\n## Crash triage: 3 incidents"), text);
        assertEquals(2, text.split("## Crash triage", -1).length - 1);
    }

    /** "no newline## Crash triage" was no heading; a full summary got nothing appended, and nothing said. */
    @Test
    void markdownAppendStartsOnALineOfItsOwnAndSaysWhenTheSummaryIsFull() throws IOException {
        Path summary = Files.writeString(tmp.resolve("step_summary.md"), "no newline");
        assertEquals(0, run("--markdown-append", summary.toString(), "-q").exitCode());
        assertTrue(Files.readString(summary).startsWith("no newline\n## Crash triage: 3 incidents"),
                Files.readString(summary));

        Path full = Files.writeString(tmp.resolve("full.md"), "x".repeat(1 << 20) + "\n");
        CliRunner.Result result = run("--markdown-append", full.toString(), "-q");
        assertEquals(0, result.exitCode(), result.err());
        assertEquals("triage-rules: --markdown-append " + full + ": nothing appended, the step summary is full ("
                + ((1 << 20) + 1) + " of 1048576 bytes used)\n", result.err());
        assertEquals((1 << 20) + 1, Files.size(full));
    }

    /**
     * The "summary is full" notice was printed while the outputs were being written: a run
     * that then failed on another output (and so wrote nothing) had said it as well.
     */
    @Test
    void theSummaryIsFullNoticeComesOnlyFromARunThatWroteItsOutputs() throws IOException {
        Path full = Files.writeString(tmp.resolve("full.md"), "x".repeat(1 << 20) + "\n");
        Path devFull = Path.of("/dev/full");
        assertTrue(Files.exists(devFull), "/dev/full is the always-full device");

        CliRunner.Result failed = run("--markdown-append", full.toString(), "--junit-output", devFull.toString(), "-q");
        assertEquals(1, failed.exitCode(), failed.err());
        assertEquals("/dev/full: cannot write: No space left on device\n", failed.err());
        assertTrue(Files.notExists(report), "nothing written");

        CliRunner.Result written = run("--markdown-append", full.toString(), "--junit-output",
                tmp.resolve("j.xml").toString(), "-q");
        assertEquals(0, written.exitCode(), written.err());
        assertEquals("triage-rules: --markdown-append " + full + ": nothing appended, the step summary is full ("
                + ((1 << 20) + 1) + " of 1048576 bytes used)\n", written.err());
    }

    @Test
    void completionScriptIsGenerated() {
        CliRunner.Result result = CliRunner.run("generate-completion");
        assertEquals(0, result.exitCode());
        assertTrue(result.out().contains("complete -F _complete_triage-rules"), result.out());
        assertTrue(result.out().contains("--fail-on"), "options are completed");
    }

    @Test
    void helpShowsExamplesAndExitCodes() {
        CliRunner.Result result = CliRunner.run("--help");
        assertEquals(0, result.exitCode());
        assertTrue(result.out().contains("Examples:"));
        assertTrue(result.out().contains("3 --fail-on or --fail-on-new tripped, 4 the ledger failed"), result.out());
    }

    private CliRunner.Result run(String... extra) {
        String[] args = new String[4 + extra.length];
        args[0] = "--input";
        args[1] = log.toString();
        args[2] = "--output";
        args[3] = report.toString();
        System.arraycopy(extra, 0, args, 4, extra.length);
        return CliRunner.run(args);
    }
}
