package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A command line that does not parse: the problem, suggestions, where the help is; exit 2, nothing on stdout. */
class UsageErrorsTest {

    @Test
    void aMisspeltOptionGetsItsSuggestionsAndAPointerToTheHelp() {
        CliRunner.Result run = CliRunner.run("--inptu", "e2e.jsonl").assertExit(2);
        assertThat(run.err()).isEqualTo("""
                Unknown options: '--inptu', 'e2e.jsonl'
                Possible solutions: --input, --input-format
                See 'triage-rules --help'.
                """);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aMisspeltCommandGetsTheCommandsItMayMean() {
        CliRunner.Result run = CliRunner.run("ledgr", "runs").assertExit(2);
        assertThat(run.err()).isEqualTo("""
                Unmatched arguments from index 0: 'ledgr', 'runs'
                Did you mean: triage-rules ledger or triage-rules generate-completion?
                See 'triage-rules --help'.
                """);
    }

    @Test
    void aSubcommandsProblemPointsToThatSubcommandsHelp() {
        CliRunner.Result run = CliRunner.run("html").assertExit(2);
        assertThat(run.err()).isEqualTo("""
                Missing required options: '--report=REPORT', '--out=FILE'
                See 'triage-rules html --help'.
                """);
        CliRunner.Result nested = CliRunner.run("ledger", "incidents", "--statsu", "new").assertExit(2);
        assertThat(nested.err()).isEqualTo("""
                Unknown options: '--statsu', 'new'
                Possible solutions: --status
                See 'triage-rules ledger incidents --help'.
                """);
    }

    @Test
    void aValueTheCommandRefusesIsOneLineNotTheWholeHelp() {
        CliRunner.Result run = CliRunner.run("--input", "e2e.jsonl", "--output", "triage.json", "--ledger",
                "ledger?mode=x.db").assertExit(2);
        assertThat(run.err()).isEqualTo("""
                --ledger: ledger?mode=x.db: a SQLite ledger path may not contain '?'
                See 'triage-rules --help'.
                """);
    }
}
