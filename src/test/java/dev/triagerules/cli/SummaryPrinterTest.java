package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triagerules.LogLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main command's stderr, line for line: it says what the report and the policy say, nothing more. */
class SummaryPrinterTest {
    @TempDir
    Path tmp;

    private Path log() {
        return LogLines.write(tmp.resolve("e2e.jsonl"), List.of(
                LogLines.entry("s1", "fail", "autograd_reentrant_hang"),
                LogLines.entry("s2", "fail", "autograd_reentrant_hang"),
                LogLines.entry("s3", "pass", "ok"),
                LogLines.entry("s4", "fail", "dispatch_keyset_mismatch")));
    }

    @Test
    void escalatedIncidentsThatNeedATranscriptAreOneLine() {
        Path report = tmp.resolve("triage.json");
        CliRunner.Result result = CliRunner.run("--input", log().toString(), "--output", report.toString())
                .assertOk();
        assertThat(result.err()).isEqualTo(String.join("\n",
                "triage-rules: 4 entries, 3 failed, 3 incidents -> " + report,
                "  class             severity   failures  incidents  owner",
                "  autograd_state    critical          2          2  ft-autograd-owners",
                "  dispatch_routing  high              1          1  ft-dispatch-owners",
                "  2 incidents escalated: each needs a reproducible replay transcript before closure",
                ""));
    }

    @Test
    void oneEntryAndOneIncidentAreCountedInTheSingular() {
        Path log = LogLines.write(tmp.resolve("one.jsonl"), List.of(LogLines.entry("s4", "fail",
                "dispatch_keyset_mismatch")));
        Path report = tmp.resolve("triage.json");
        assertThat(PackCopy.lines(CliRunner.run("--input", log.toString(), "--output", report.toString()).assertOk()
                .err()).get(0)).isEqualTo("triage-rules: 1 entry, 1 failed, 1 incident -> " + report);
    }

    @Test
    void aPolicyThatAsksForNoTranscriptIsNotSaidToAskForOne() throws IOException {
        PackCopy pack = PackCopy.of("", tmp.resolve("pack"));
        PackCopy.edit(pack.policy().resolve("severities.yaml"), "replay_transcript_required: true",
                "replay_transcript_required: false");
        Path report = tmp.resolve("triage.json");
        CliRunner.Result result = CliRunner.run("--rules", pack.rules().toString(), "--policy",
                pack.policy().toString(), "--input", log().toString(), "--output", report.toString()).assertOk();
        assertThat(PackCopy.lines(result.err())).endsWith("  2 incidents escalated");
        assertThat(result.err()).doesNotContain("transcript");
    }

    @Test
    void transcriptsAskedForWithoutEscalationAreSaidSo() throws IOException {
        PackCopy pack = PackCopy.of("", tmp.resolve("pack"));
        PackCopy.edit(pack.policy().resolve("severities.yaml"), "escalate_immediately: true",
                "escalate_immediately: false");
        CliRunner.Result result = CliRunner.run("--rules", pack.rules().toString(), "--policy",
                pack.policy().toString(), "--input", log().toString(), "--output", tmp.resolve("triage.json").toString())
                .assertOk();
        assertThat(PackCopy.lines(result.err()))
                .endsWith("  2 incidents need a reproducible replay transcript before closure")
                .noneMatch(line -> line.contains("escalated"));
    }

    @Test
    void skippedLinesAndATrippedGateAreListed() throws IOException {
        Path log = log();
        Files.writeString(log, Files.readString(log) + "{not json\n");
        Path report = tmp.resolve("triage.json");
        CliRunner.Result result = CliRunner.run("--input", log.toString(), "--output", report.toString(),
                "--on-invalid", "skip", "--fail-on", "critical").assertExit(3);
        List<String> lines = PackCopy.lines(result.err());
        assertThat(lines.subList(lines.size() - 4, lines.size() - 2)).containsExactly(
                "  1 invalid line skipped -> " + tmp.resolve("triage.quarantine.jsonl"),
                "triage-rules: --fail-on critical: 2 incidents at or above critical");
        assertThat(lines.subList(lines.size() - 2, lines.size())).allMatch(line -> line.matches(
                "  triage64:[0-9a-f]{16} critical autograd_state autograd_reentrant_hang"));
    }

    /** A JUnit XML report skipped whole was counted among the skipped lines ("1 invalid line skipped"). */
    @Test
    void skippedLinesAndSkippedJunitReportsAreEachCountedInTheirOwnTerms() throws IOException {
        Path log = log();
        Files.writeString(log, Files.readString(log) + "{not json\n{nor this\n");
        Path reports = Files.createDirectories(tmp.resolve("reports"));
        Files.copy(Path.of("src/test/resources/junit/broken/truncated.xml"), reports.resolve("TEST-a.xml"));
        Files.copy(Path.of("src/test/resources/junit/failsafe/TEST-demo.CheckoutIT.xml"), reports.resolve("TEST-b.xml"));
        Path report = tmp.resolve("triage.json");
        Path markdown = tmp.resolve("summary.md");
        Path quarantine = tmp.resolve("triage.quarantine.jsonl");
        CliRunner.Result result = CliRunner.run("--input", log.toString(), "--input", reports.toString(), "--output",
                report.toString(), "--on-invalid", "skip", "--markdown", markdown.toString()).assertOk();
        assertThat(PackCopy.lines(result.err())).last()
                .isEqualTo("  2 invalid lines and 1 invalid JUnit XML report skipped -> " + quarantine);
        assertThat(Files.readString(markdown))
                .contains(", 2 invalid lines and 1 invalid JUnit XML report quarantined in `" + quarantine + "`.");
        assertThat(Files.readAllLines(quarantine)).hasSize(3);
    }

    @Test
    void reasonCodesInTheFailOnListingAreShownEscaped() {
        Path log = LogLines.write(tmp.resolve("hostile.jsonl"), List.of(
                LogLines.entry("s1", "fail", "reentrant\u001b]0;owned\u0007\u001b[2J\ntriage-rules: all clear")));
        CliRunner.Result result = CliRunner.run("--input", log.toString(), "--output", tmp.resolve("r.json").toString(),
                "--fail-on", "critical").assertExit(3);
        List<String> lines = PackCopy.lines(result.err());
        assertThat(lines.get(lines.size() - 1)).matches("  triage64:[0-9a-f]{16} critical autograd_state "
                + java.util.regex.Pattern.quote("reentrant\\u001b]0;owned\\u0007\\u001b[2J\\ntriage-rules: all clear"));
        assertThat(result.err()).doesNotContain("\u001b").doesNotContain("\u0007");
    }

    @Test
    void readableNonAsciiInTheFailOnListingIsShownAsItself() {
        Path log = LogLines.write(tmp.resolve("unicode.jsonl"), List.of(
                LogLines.entry("s1", "fail", "reentrant_größe_测试\u200b\u202e")));
        CliRunner.Result result = CliRunner.run("--input", log.toString(), "--output", tmp.resolve("r.json").toString(),
                "--fail-on", "critical").assertExit(3);
        List<String> lines = PackCopy.lines(result.err());
        assertThat(lines.get(lines.size() - 1)).matches("  triage64:[0-9a-f]{16} critical autograd_state "
                + java.util.regex.Pattern.quote("reentrant_größe_测试\\u200b\\u202e"));
    }
}
