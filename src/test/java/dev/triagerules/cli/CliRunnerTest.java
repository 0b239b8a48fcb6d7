package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The test helper tells why a command failed: both streams are in the assertion message. */
class CliRunnerTest {

    @Test
    void anUnexpectedExitShowsStdoutAndStderr() {
        CliRunner.Result result = CliRunner.run("--bogus");
        result.assertExit(2);
        assertThatThrownBy(result::assertOk)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("--- stderr ---\nUnknown option: '--bogus'")
                .hasMessageContaining("expected: 0");
    }

    @Test
    void anExpectedExitPassesAndChains() {
        CliRunner.Result result = CliRunner.run("--version").assertOk();
        assertThat(result.out()).startsWith("triage-rules ");
    }
}
