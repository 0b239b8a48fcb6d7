package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules that go wrong while classifying (no incident, or more than one, for a failure)
 * stop the run with FILE:LINE of the failing entry, on every way in, as input errors do;
 * a failure with two incidents names the rules that asserted them.
 */
class RuleRunErrorsTest {
    private static final String SAMPLE = "examples/sample-e2e.jsonl";
    private static final String NO_CATCH_ALL = SAMPLE + ":30: no rule classified reason_code"
            + " \"optimizer_step_mismatch\"; the rules need a catch-all rule (lowest salience) for unmatched codes";

    @TempDir
    Path tmp;

    private PackCopy withoutCatchAll() throws IOException {
        PackCopy pack = PackCopy.of("", tmp);
        Files.delete(pack.rules().resolve("unclassified.drl"));
        return pack;
    }

    /** The routing rule twice, under another name in a file of its own. */
    private PackCopy withRoutingTwice(String source) throws IOException {
        PackCopy pack = PackCopy.of(source, tmp);
        Path routing = pack.rules().resolve("routing.drl");
        Files.writeString(pack.rules().resolve("routing-copy.drl"), Files.readString(routing)
                .replace("rule \"route classified failure\"", "rule \"route classified failure again\""));
        return pack;
    }

    /** The main command with the pack: {@code --rules R --policy P --input MORE...}. */
    private static String[] run(PackCopy pack, String... more) {
        return Stream.concat(Stream.of("--rules", pack.rules().toString(), "--policy",
                pack.policy().toString(), "--input"), Stream.of(more)).toArray(String[]::new);
    }

    @Test
    void aFailureNoRuleClassifiesIsNamedByFileAndLine() throws IOException {
        PackCopy pack = withoutCatchAll();
        CliRunner.Result result = CliRunner.run(run(pack, SAMPLE, "--output", "-", "-q")).assertExit(1);
        assertThat(result.err().lines().toList()).containsExactly(NO_CATCH_ALL);
    }

    @Test
    void aDuplicatedRoutingRuleIsNamedWithTheOneItCopies() throws IOException {
        PackCopy pack = withRoutingTwice("");
        CliRunner.Result result = CliRunner.run(run(pack, SAMPLE, "--output", "-", "-q")).assertExit(1);
        // Line 1 is the log's first failure: every failure has two incidents, the first in input order is named.
        assertThat(result.err()).startsWith(SAMPLE + ":1: the rules asserted 2 incidents for one failure"
                        + " (reason_code \"")
                .contains("rule \"route classified failure\" (" + pack.rules().resolve("routing.drl") + ":23)")
                .contains("rule \"route classified failure again\" (" + pack.rules().resolve("routing-copy.drl")
                        + ":23)")
                .doesNotContain("Exception");
        assertThat(result.err().lines()).hasSize(1);
    }

    @Test
    void anIncidentInsertedBesideTheRoutingRuleNamesBothRules() throws IOException {
        PackCopy pack = PackCopy.of("", tmp);
        Path extra = pack.rules().resolve("zz-extra.drl");
        Files.writeString(extra, """
                package triage;

                dialect "mvel"

                import dev.triagerules.engine.Failure;
                import dev.triagerules.engine.Incident;
                import dev.triagerules.policy.ClassPolicy;

                rule "extra incident"
                    salience -20000
                when
                    $failure : Failure( crashClass == "autograd_state" )
                    $policy  : ClassPolicy( name == "oracle_infra" )
                then
                    insert( new Incident( $failure, $policy ) );
                end
                """);
        CliRunner.Result result = CliRunner.run(run(pack, SAMPLE, "--output", "-", "-q")).assertExit(1);
        assertThat(result.err()).matches("(?s)" + SAMPLE.replace(".", "\\.") + ":\\d+: the rules asserted 2"
                + " incidents for one failure \\(reason_code \"[a-z_]+\"\\): class \"autograd_state\" by rule"
                + " \"route classified failure\" \\(.*routing\\.drl:23\\) and class \"oracle_infra\" by rule"
                + " \"extra incident\" \\(.*zz-extra\\.drl:9\\) \\(rules fired for it, in order: rule"
                + " \"autograd_state\" \\(.*autograd-state\\.drl:8\\), .*");
    }

    @Test
    void severalInputsNameTheOneTheFailureIsIn() throws IOException {
        PackCopy pack = withoutCatchAll();
        Path passing = tmp.resolve("passing.jsonl");
        Files.write(passing, Files.readAllLines(Path.of(SAMPLE)).stream()
                .filter(line -> line.contains("\"outcome\":\"pass\"")).limit(5).toList());
        CliRunner.Result result = CliRunner.run(run(pack, passing.toString(), "--input", SAMPLE, "--output", "-",
                "-q")).assertExit(1);
        assertThat(result.err().lines().toList()).containsExactly(NO_CATCH_ALL);
    }

    @Test
    void stdinIsNamedAsInputErrorsNameIt() throws IOException {
        PackCopy pack = withoutCatchAll();
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream(Files.readAllBytes(Path.of(SAMPLE))));
            CliRunner.Result result = CliRunner.run(run(pack, "-", "--output", "-", "-q")).assertExit(1);
            assertThat(result.err().lines().toList()).containsExactly(NO_CATCH_ALL.replace(SAMPLE, "-"));
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void explainOfAnIncidentNamesTheLine() throws IOException {
        PackCopy pack = withoutCatchAll();
        CliRunner.Result result = CliRunner.run(pack.args("explain", "--input", SAMPLE, "--incident",
                "triage64:1f559ee9a1c84e8f")).assertExit(1);
        assertThat(result.err().lines().toList()).containsExactly(NO_CATCH_ALL);
    }

    @Test
    void aFolderOfJunitReportsNamesTheReport() throws IOException {
        PackCopy pack = withRoutingTwice("examples/junit");
        Path report = Path.of("src/test/resources/junit/surefire/TEST-demo.CalculatorTest.xml");
        CliRunner.Result result = CliRunner.run(run(pack, report.getParent().toString(), "--input-format", "junit",
                "--output", "-", "-q")).assertExit(1);
        assertThat(result.err()).startsWith(report + ":57: the rules asserted 2 incidents for one failure")
                .contains("rule \"route classified failure again\" (" + pack.rules().resolve("routing-copy.drl"));
    }
}
