package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * A plain triage runs on the main command alone (its subcommands cost ~70 ms to build),
 * a subcommand with no sibling; every command line prints and exits exactly as with the
 * whole command tree.
 */
class LazySubcommandsTest {
    private static final String LOG = "examples/sample-e2e.jsonl";

    @TempDir
    static Path tmp;

    static Stream<List<String>> commandLines() throws IOException {
        Path argumentFile = Files.writeString(tmp.resolve("args.txt"), "--input check --output -\n");
        return Stream.of(
                List.of(),
                List.of("--help"),
                List.of("-h"),
                List.of("-qh"),
                List.of("--version"),
                List.of("--bogus"),
                List.of("chek"),
                List.of("--input"),
                List.of("--input", "check", "--output", "-"),
                List.of("--input", LOG),
                List.of("--output", "-"),
                List.of("--input", LOG, "--output", "-", "-q", "--fail-on", "nope"),
                List.of("--input", LOG, "--output", "-", "-q", "--baseline", "x.json"),
                List.of("--input", LOG, "--output", "-", "--quarantine", "q.jsonl"),
                List.of("--input", LOG, "--output", "-", "-q"),
                List.of("--input", LOG, "--output", "-", "--no-cache"),
                List.of("--input", LOG, "--output", "-", "-q", "--fail-on", "high"),
                List.of("--input", tmp.resolve("missing.jsonl").toString(), "--output", "-"),
                List.of("--input", LOG, "--output", "-", "-q", "--", "check"),
                List.of("check", "--help"),
                List.of("--policy", "policy", "check"),
                List.of("explain", "--reason-code", "oracle_dispatch_error"),
                List.of("explain", "--reason-code", "check"),
                List.of("check", "--bogus"),
                List.of("--help", "check"),
                List.of("-q", "check"),
                List.of("ledger"),
                List.of("ledger", "--help"),
                List.of("ledger", "incidents", "--ledger", tmp.resolve("missing.db").toString()),
                List.of("ledger", "incidnets"),
                List.of("gate", "--report", tmp.resolve("missing.json").toString()),
                List.of("generate-completion"),
                List.of("@" + argumentFile));
    }

    @ParameterizedTest
    @MethodSource("commandLines")
    void printsAndExitsAsTheWholeTreeDoes(List<String> args) {
        String[] argv = args.toArray(String[]::new);
        assertThat(run(Main.commandLine(argv), argv)).isEqualTo(run(Main.commandLine(), argv));
    }

    @Test
    void aPlainTriageBuildsNoSubcommand() {
        assertThat(Main.commandLine("--input", LOG, "--output", "-", "-q").getSubcommands()).isEmpty();
        assertThat(Main.commandLine("--input", LOG, "--output", "r.json", "--packet", "FT-P2C-004", "--markdown",
                "s.md", "--fail-on", "critical").getSubcommands()).isEmpty();
    }

    @Test
    void aSubcommandIsBuiltAlone() {
        assertThat(Main.commandLine("ledger", "incidents", "--ledger", "x.db").getSubcommands()).containsOnlyKeys(
                "ledger");
        assertThat(Main.commandLine("check").getSubcommands()).containsOnlyKeys("check");
    }

    @Test
    void helpUsageErrorsAndTwoSubcommandsGetTheWholeTree() {
        List<String> all = List.copyOf(Main.commandLine().getSubcommands().keySet());
        assertThat(all).contains("check", "test", "explain", "replay", "gate", "tickets", "generate-completion");
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"-qh"}, new String[] {"--help", "check"},
                new String[] {"--input", "replay"}, new String[] {"--bogus"}, new String[] {"check", "--bogus"},
                new String[] {"explain", "--reason-code", "check"})) {
            assertThat(Main.commandLine(args).getSubcommands().keySet()).as(String.join(" ", args))
                    .containsExactlyElementsOf(all);
        }
    }

    /** Exit status, stdout and stderr; the report's timestamp is the run's own. */
    private static String run(CommandLine commandLine, String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return "exit " + exit + "\n--- stdout ---\n"
                + out.toString().replaceFirst("\"generated_unix_ms\": \\d+", "\"generated_unix_ms\": T")
                + "--- stderr ---\n" + err;
    }
}
