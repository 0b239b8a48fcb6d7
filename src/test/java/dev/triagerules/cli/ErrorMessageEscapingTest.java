package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An error message names what it is about as given, and reaches the terminal escaped. */
class ErrorMessageEscapingTest {
    @TempDir
    Path tmp;

    @Test
    void aFileNameWithTerminalControlsIsShownEscaped() {
        Path missing = tmp.resolve("log\u001b]0;title\u0007\u202e.jsonl");
        CliRunner.Result result = CliRunner.run("-q", "--input", missing.toString(), "--output",
                tmp.resolve("r.json").toString()).assertExit(1);
        assertThat(result.err()).isEqualTo(tmp + "/log\\u001b]0;title\\u0007\\u202e.jsonl: no such file\n");
    }

    @Test
    void aUsageErrorNamingAHostileFileIsShownEscaped() {
        String report = tmp.resolve("r\u001b[2J\n\u202e.json").toString();
        CliRunner.Result result = CliRunner.run("-q", "--input", "examples/sample-e2e.jsonl", "--output", report,
                "--html", report).assertExit(2);
        assertThat(result.err()).startsWith("--output and --html name the same file (" + tmp
                + "/r\\u001b[2J\\n\\u202e.json); each output needs a file of its own\n")
                .doesNotContain("\u001b").doesNotContain("\u202e");
    }

    @Test
    void aUsageErrorQuotingAnArgumentShowsItEscaped() {
        CliRunner.Result result = CliRunner.run("--no-such-option\u001b]0;owned\u0007").assertExit(2);
        assertThat(result.err()).contains("--no-such-option\\u001b]0;owned\\u0007").doesNotContain("\u001b")
                .doesNotContain("\u0007");
    }
}
