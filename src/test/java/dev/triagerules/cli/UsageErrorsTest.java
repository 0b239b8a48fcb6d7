package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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

    /** Was exit 1 without the pointer to the help, as if the input were bad. */
    @Test
    void anUnknownInputFormatIsBadUsage() {
        CliRunner.Result run = CliRunner.run("--input", "examples/sample-e2e.jsonl", "--output", "-",
                "--input-format", "yaml").assertExit(2);
        assertThat(run.err()).isEqualTo("""
                --input-format: unknown format "yaml"; one of auto, jsonl, junit
                See 'triage-rules --help'.
                """);
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

    /** Given before a subcommand, a triage option belonged to the main command and was ignored without a word. */
    @Test
    void aTriageOptionBeforeASubcommandIsBadUsage() {
        CliRunner.Result run = CliRunner.run("--fail-on", "high", "explain", "--reason-code", "x").assertExit(2);
        assertThat(run.err()).startsWith("--fail-on is an option of a triage run, and is not used by explain; give"
                + " explain's own options after its name (only --rules and --policy carry over)\n");
        assertThat(run.out()).isEmpty();
        CliRunner.run("--on-invalid", "skip", "explain", "--reason-code", "x").assertExit(2);
        // --help is still help; --rules and --policy carry over.
        assertThat(CliRunner.run("--help", "explain").assertOk().out()).startsWith("Usage: triage-rules");
        CliRunner.run("--rules", "rules", "--policy", "policy", "explain", "--reason-code", "x").assertOk();
    }

    @Test
    void aSubcommandsProblemPointsToThatSubcommandsHelp() {
        CliRunner.Result run = CliRunner.run("html").assertExit(2);
        assertThat(run.err()).isEqualTo("""
                Missing required options: '--report=REPORT', '--output=FILE'
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

    /** Each option that names a file, given "" (an unset variable), in a command line that is otherwise good. */
    static Stream<List<String>> emptyFileNames() {
        String log = "examples/sample-e2e.jsonl";
        return Stream.of(
                List.of("--input", log, "--output", ""),
                List.of("--input", "", "--output", "-"),
                List.of("--input", log, "--output", "o.json", "--markdown-append", ""),
                List.of("--input", log, "--output", "o.json", "--markdown", ""),
                List.of("--input", log, "--output", "o.json", "--junit-output", ""),
                List.of("--input", log, "--output", "o.json", "--html", ""),
                List.of("--input", log, "--output", "o.json", "--on-invalid", "skip", "--quarantine", ""),
                List.of("--input", log, "--output", "o.json", "--replays", ""),
                List.of("--input", log, "--output", "o.json", "--fail-on", "high", "--baseline", ""),
                List.of("--input", log, "--output", "o.json", "--rules", ""),
                List.of("--input", log, "--output", "o.json", "--cache-dir", ""),
                List.of("check", "--policy", ""),
                List.of("explain", "--input", "", "--incident", "triage64:1f559ee9a1c84e8f"),
                List.of("html", "--report", "r.json", "--output", ""),
                List.of("tickets", "--report", "r.json", "--store", ""),
                List.of("replay", "--report", "", "--severity", "critical"),
                List.of("gate", "--report", "r.json", "--transcripts", ""));
    }

    @ParameterizedTest
    @MethodSource("emptyFileNames")
    void anEmptyFileNameIsBadUsageNamingItsOption(List<String> args) {
        String option = args.get(args.lastIndexOf("") - 1);
        String command = args.get(0).startsWith("-") ? "triage-rules" : "triage-rules " + args.get(0);
        CliRunner.Result run = CliRunner.run(args.toArray(String[]::new)).assertExit(2);
        // picocli adds the value's label for a repeatable option: "'--input' (LOG)".
        assertThat(run.err()).matches(Pattern.quote("Invalid value for option '" + option + "'") + "( \\([A-Z]+\\))?"
                + Pattern.quote(": the file name is empty (an unset variable?)\nSee '" + command + " --help'.\n"));
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anEmptyLedgerLocationIsBadUsageNotNoLedger() {
        CliRunner.Result run = CliRunner.run("--input", "examples/sample-e2e.jsonl", "--output", "-", "-q",
                "--ledger", "").assertExit(2);
        assertThat(run.err()).isEqualTo("""
                --ledger: ledger location is empty: give a SQLite file path or a jdbc:postgresql: URL
                See 'triage-rules --help'.
                """);
        assertThat(run.out()).isEmpty();
    }
}
