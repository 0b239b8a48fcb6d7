package dev.triagerules.engine;

import dev.triagerules.base.FileTrees;
import static org.assertj.core.api.Assertions.assertThat;

import dev.triagerules.base.Problem;
import dev.triagerules.cli.CliRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules that relate failures to each other are refused where they are written: failures
 * are classified per failure, in batches, once per distinct failure.
 */
class PerFailureCheckTest {
    private static final String HEADER = """
            package triage;

            dialect "mvel"

            import dev.triagerules.engine.Failure;
            import dev.triagerules.policy.ClassPolicy;

            """;

    @TempDir
    Path tmp;

    @Test
    void twoFailurePatternsInOneRuleAreRefusedAtTheSecond() throws IOException {
        String drl = HEADER + """
                rule "same reason twice"
                when
                    $a : Failure( crashClass == null )
                    $b : Failure( this != $a, reasonCode == $a.reasonCode )
                then
                end
                """;
        assertThat(refusals(drl)).containsExactly(at(drl, "$b : Failure") + "rule \"same reason twice\" matches a"
                + " second Failure (the first at line " + lineOf(drl, "$a : Failure") + ")");
    }

    @Test
    void failuresInsideNotExistsAndForallAreRefused() throws IOException {
        String drl = HEADER + """
                rule "the only failure"
                when
                    $f : Failure( crashClass == null )
                    not Failure( this != $f )
                then
                end

                rule "some other failure"
                when
                    $f : Failure( crashClass == null )
                    exists( Failure( this != $f, mode == $f.mode ) )
                then
                end

                rule "all failures alike"
                when
                    ClassPolicy( name == "x" )
                    forall( $o : Failure( mode == "strict" )
                            Failure( this == $o, reasonCode == "x" ) )
                then
                end
                """;
        assertThat(refusals(drl)).containsExactly(
                at(drl, "Failure( this != $f )") + "rule \"the only failure\" matches Failure inside not",
                at(drl, "Failure( this != $f, mode") + "rule \"some other failure\" matches Failure inside exists",
                at(drl, "$o : Failure") + "rule \"all failures alike\" matches Failure inside forall",
                at(drl, "Failure( this == $o") + "rule \"all failures alike\" matches Failure inside forall");
    }

    /** The rule of the issue: counted 9 per batch where one session of every failure counts 60. */
    @Test
    void aCountingRuleIsRefused() throws IOException {
        String drl = HEADER + """
                rule "frequent reason"
                    @class("frequent")
                when
                    $f : Failure( crashClass == null )
                    Number( intValue >= 10 ) from accumulate( Failure( reasonCode == $f.reasonCode ), count( 1 ) )
                then
                    modify( $f ) { classify( drools ) }
                end

                rule "many in one mode"
                when
                    $f : Failure( crashClass == null )
                    $all : java.util.List( size > 3 ) from collect( Failure( mode == $f.mode ) )
                then
                end
                """;
        assertThat(refusals(drl)).containsExactly(
                at(drl, "Failure( reasonCode == $f") + "rule \"frequent reason\" matches Failure inside accumulate",
                at(drl, "Failure( mode == $f") + "rule \"many in one mode\" matches Failure inside collect");
    }

    @Test
    void incidentsAreFailuresFactsToo() throws IOException {
        // The routing rule inserts an Incident for every classified failure of the session.
        String drl = """
                package triage;

                import dev.triagerules.engine.Failure;
                import dev.triagerules.engine.Incident;

                rule "escalate when another is critical"
                when
                    $f : Failure( crashClass == null )
                    Incident( severity == "critical" )
                then
                end

                rule "first of its reason"
                when
                    $f : Failure( crashClass == null )
                    not Incident( failure.reasonCode == $f.reasonCode )
                then
                end

                rule "one incident on its own"
                when
                    $i : Incident( severity == "critical" )
                then
                end
                """;
        assertThat(refusals(drl)).containsExactly(
                at(drl, "Incident( severity == \"critical\" )\nthen") + "rule \"escalate when another is critical\""
                        + " matches a second failure's fact, an Incident (the first at line "
                        + lineOf(drl, "$f : Failure( crashClass == null )\n    Incident") + ")",
                at(drl, "Incident( failure.reasonCode") + "rule \"first of its reason\" matches Incident inside not");
    }

    @Test
    void theTypeIsResolvedAsDroolsDoes() throws IOException {
        // Fully qualified, through a wildcard import, and Object (every failure is one).
        String drl = """
                package triage;

                import dev.triagerules.engine.*;

                rule "qualified"
                when
                    $a : dev.triagerules.engine.Failure( )
                    $b : Failure( this != $a )
                then
                end

                rule "anything"
                when
                    $a : Failure( )
                    $o : Object( this != $a )
                then
                end
                """;
        assertThat(refusals(drl)).containsExactly(
                at(drl, "$b : Failure") + "rule \"qualified\" matches a second Failure (the first at line "
                        + lineOf(drl, "$a : dev.") + ")",
                at(drl, "$o : Object") + "rule \"anything\" matches a second Failure (the first at line "
                        + lineOf(drl, "$a : Failure( )\n    $o") + ")");
    }

    @Test
    void importsOfOtherFilesOfThePackageCount() throws IOException {
        // Drools lets every file of a package use the imports of the others.
        Path rules = Files.createDirectories(tmp.resolve("rules"));
        Files.writeString(rules.resolve("a.drl"), HEADER);
        String drl = """
                package triage;

                rule "joined"
                when
                    $a : Failure( )
                    $b : Failure( this != $a )
                then
                end
                """;
        Files.writeString(rules.resolve("b.drl"), drl);
        List<Problem> problems = new ArrayList<>();
        assertThat(RuleCompiler.compile(List.of(rules.resolve("a.drl"), rules.resolve("b.drl")), problems, null, null))
                .isNull();
        assertThat(problems).extracting(Problem::toString).singleElement().asString()
                .startsWith(rules.resolve("b.drl") + ":" + lineOf(drl, "$b") + ":5: error: rule \"joined\" matches a"
                        + " second Failure");
    }

    @Test
    void aChildRuleAddingASecondFailureIsRefused() throws IOException {
        String drl = HEADER + """
                rule "parent"
                when
                    $a : Failure( crashClass == null )
                then
                end

                rule "child" extends "parent"
                when
                    $b : Failure( this != $a )
                then
                end
                """;
        assertThat(refusals(drl)).containsExactly(at(drl, "$b : Failure") + "rule \"child\" matches a second Failure"
                + " (the first at line " + lineOf(drl, "$a : Failure") + ")");
    }

    @Test
    void aQueryOverFailuresIsRefused() throws IOException {
        String drl = HEADER + """
                query "failures of a mode" ( String $mode )
                    $f : Failure( mode == $mode )
                end
                """;
        assertThat(refusals(drl)).containsExactly(at(drl, "$f : Failure") + "query \"failures of a mode\" matches"
                + " Failure");
    }

    @Test
    void rulesThatJudgeOneFailureAtATimeAreAccepted() throws IOException {
        // Branches of an or are separate matches; other fact types may be joined, negated or counted.
        String drl = HEADER + """
                rule "either"
                when
                    ( Failure( mode == "strict" ) or $f : Failure( mode == "hardened" ) )
                    ClassPolicy( name == "x" )
                then
                end

                rule "with its policy"
                when
                    $f : Failure( crashClass != null )
                    $p : ClassPolicy( name == $f.crashClass )
                    not ClassPolicy( name == "other" )
                    exists( ClassPolicy( ) )
                    Number( intValue > 0 ) from accumulate( ClassPolicy( ), count( 1 ) )
                    String( ) from $f.reasonCode
                    eval( $f.getReason().length() > 3 )
                then
                end
                """;
        assertThat(refusals(drl)).isEmpty();
    }

    @Test
    void theShippedPacksPass() {
        List<Problem> problems = new ArrayList<>();
        assertThat(RulePack.load(Path.of("rules"), Path.of("policy"), problems)).isNotNull();
        Path head = Path.of("examples", "frankentorch-head");
        assertThat(RulePack.load(head.resolve("rules"), head.resolve("policy"), problems)).isNotNull();
        assertThat(problems).isEmpty();
    }

    @Test
    void checkAndEveryRunRefuseIt() throws IOException {
        Path rules = FileTrees.copy(Path.of("rules"), tmp.resolve("rules"));
        String drl = HEADER + """
                rule "frequent reason"
                    @class("frequent")
                when
                    $f : Failure( crashClass == null )
                    Number( intValue >= 10 ) from accumulate( Failure( reasonCode == $f.reasonCode ), count( 1 ) )
                then
                end
                """;
        Path file = rules.resolve("frequent.drl");
        Files.writeString(file, drl);
        String expected = file + ":" + lineOf(drl, "accumulate") + ":" + (columnOf(drl, "Failure( reasonCode") + 1)
                + ": error: rule \"frequent reason\" matches Failure inside accumulate: rules must judge each failure"
                + " on its own: failures are classified in sessions of 4096 and each distinct failure only once, so"
                + " a rule that relates failures to each other sees an arbitrary part of them and silently answers"
                + " wrongly";

        CliRunner.Result check = CliRunner.run("check", "--rules", rules.toString());
        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.out()).contains(expected + "\n");

        Path cacheDir = tmp.resolve("cache");
        for (int run = 0; run < 2; run++) { // and the refusal is never cached
            CliRunner.Result triage = CliRunner.run("--rules", rules.toString(), "--input",
                    "examples/sample-e2e.jsonl", "--output", tmp.resolve("report.json").toString(), "--cache-dir",
                    cacheDir.toString());
            assertThat(triage.exitCode()).isEqualTo(1);
            assertThat(triage.err()).contains(expected);
            assertThat(tmp.resolve("report.json")).doesNotExist();
        }
    }

    /** The refusals for one rule file, as {@code line:column: message} without the shared reason. */
    private List<String> refusals(String drl) throws IOException {
        Path file = Files.createDirectories(tmp.resolve("r")).resolve("rules.drl");
        Files.writeString(file, drl);
        List<Problem> problems = new ArrayList<>();
        CompiledRules compiled = RuleCompiler.compile(List.of(file), problems, null, null);
        List<String> errors = problems.stream().filter(Problem::isError).map(p -> {
            assertThat(p.file()).isEqualTo(file);
            assertThat(p.message()).endsWith(": rules must judge each failure on its own: failures are classified in"
                    + " sessions of 4096 and each distinct failure only once, so a rule that relates failures to each"
                    + " other sees an arbitrary part of them and silently answers wrongly");
            return p.line() + ":" + p.column() + ": " + p.message().substring(0, p.message().indexOf(": rules must"));
        }).toList();
        assertThat(compiled == null).as("refused exactly when there are errors").isEqualTo(!errors.isEmpty());
        return errors;
    }

    /** {@code line:column: } of the first occurrence of {@code text}, both counted from 1. */
    private static String at(String drl, String text) {
        return lineOf(drl, text) + ":" + (columnOf(drl, text) + 1) + ": ";
    }

    private static int lineOf(String drl, String text) {
        int offset = offsetOf(drl, text);
        return (int) drl.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
    }

    private static int columnOf(String drl, String text) {
        int offset = offsetOf(drl, text);
        return offset - drl.lastIndexOf('\n', offset - 1) - 1;
    }

    private static int offsetOf(String drl, String text) {
        int offset = drl.indexOf(text);
        assertThat(offset).as("\"%s\" in the DRL", text).isNotNegative();
        return offset;
    }
}
