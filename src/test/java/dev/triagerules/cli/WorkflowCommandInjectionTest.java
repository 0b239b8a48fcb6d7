package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triagerules.base.VisibleText;
import dev.triagerules.report.ReportFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GitHub Actions' runner reads every line a step prints, stdout and stderr, as a workflow
 * command when it starts with {@code ::} after white space, or has the legacy {@code ##[}
 * anywhere. A log or report that put {@code ::stop-commands::tok} at the start of a printed
 * line silenced every later annotation of the job; {@code ##[error]} forged one, and
 * {@code ::add-mask::} or {@code ::set-output} reached the workflow. Only the tool's own
 * annotations may be commands.
 */
class WorkflowCommandInjectionTest {
    private static final String COMMANDS = "set-env|set-output|save-state|add-mask|add-path|add-matcher"
            + "|remove-matcher|debug|warning|error|notice|group|endgroup|echo|stop-commands";
    private static final Pattern AT_START = Pattern.compile("^[\\s\\u00a0]*::(" + COMMANDS + ")[ :].*");
    private static final Pattern LEGACY = Pattern.compile(".*##\\[(" + COMMANDS + ")[ \\]].*");
    private static final String HOSTILE = "##[error]forged ::error::x ##[stop-commands]tok";

    @TempDir
    Path tmp;

    @Test
    void noLineFromAReportIsAWorkflowCommand() throws Exception {
        ObjectNode r = ReportFixtures.report();
        ReportFixtures.incident(r, "::stop-commands::tok", "critical", "::add-mask::secret " + HOSTILE);
        ObjectNode second = ReportFixtures.incident(r, "triage64:c2 " + HOSTILE, "critical", "\u00a0::error::x");
        second.put("reason_code", HOSTILE);
        second.put("owner_hint", "owner " + HOSTILE);
        Path report = ReportFixtures.write(r, tmp.resolve("triage.json"));
        List<String> lines = new ArrayList<>();
        for (CliRunner.Result result : List.of(
                CliRunner.run("replay", "--report", report.toString(), "--dry-run"),
                CliRunner.run("replay", "--report", report.toString(), "--transcripts", tmp.resolve("t").toString(),
                        "--attempts", "1"),
                CliRunner.run("gate", "--report", report.toString(), "--transcripts", tmp.resolve("t").toString()),
                CliRunner.run("tickets", "--report", report.toString(), "--dry-run"))) {
            lines.addAll(result.out().lines().toList());
            lines.addAll(result.err().lines().toList());
        }
        assertThat(lines).as("what the commands printed").isNotEmpty()
                .anySatisfy(line -> assertThat(line).contains("\\u003a:stop-commands::tok"))
                .anySatisfy(line -> assertThat(line).contains("#\\u0023[error]forged"))
                .noneMatch(line -> AT_START.matcher(line).matches() || LEGACY.matcher(line).matches());
    }

    @Test
    void noLineOfTheSummaryOrAnErrorFromALogIsAWorkflowCommand() throws Exception {
        Path log = tmp.resolve("e2e.jsonl");
        String entry = "{\"schema_version\":\"ft-conformance-log-v1\",\"ts_unix_ms\":1,\"suite_id\":\"s\","
                + "\"scenario_id\":\"s/strict:case_1\",\"fixture_id\":\"f\",\"packet_id\":\"FT-P2C-002\","
                + "\"mode\":\"strict\",\"seed\":1,\"env_fingerprint\":\"e\",\"artifact_refs\":[],"
                + "\"replay_command\":\"\",\"outcome\":\"fail\",\"reason_code\":\"" + HOSTILE + "\"}\n";
        Files.writeString(log, entry + "::stop-commands::tok ##[error]bad line\n");
        List<String> lines = new ArrayList<>();
        for (CliRunner.Result result : List.of(
                CliRunner.run("--input", log.toString(), "--output", tmp.resolve("r.json").toString(),
                        "--on-invalid", "skip"),
                CliRunner.run("--input", log.toString(), "--output", tmp.resolve("r.json").toString()))) {
            lines.addAll(result.out().lines().toList());
            lines.addAll(result.err().lines().toList());
        }
        assertThat(lines).as("what the runs printed").isNotEmpty()
                .noneMatch(line -> AT_START.matcher(line).matches() || LEGACY.matcher(line).matches());
    }

    @Test
    void textIsDefusedLineByLine() {
        assertThat(VisibleText.noWorkflowCommands("::error::x")).isEqualTo("\\u003a:error::x");
        assertThat(VisibleText.noWorkflowCommands("a\n  ::warning::y\nb ::c")).isEqualTo("a\n  \\u003a:warning::y\nb ::c");
        assertThat(VisibleText.noWorkflowCommands("x ##[error]y ###[z")).isEqualTo("x #\\u0023[error]y ##\\u0023[z");
        assertThat(VisibleText.noWorkflowCommands("cargo nextest run tests::retries_lock"))
                .isEqualTo("cargo nextest run tests::retries_lock");
        assertThat(VisibleText.ascii("::add-mask::s")).isEqualTo("\\u003a:add-mask::s");
    }
}
