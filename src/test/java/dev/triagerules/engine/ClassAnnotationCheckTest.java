package dev.triagerules.engine;

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

/** A rule that calls classify(drools) must say which class it assigns: refused where it is written. */
class ClassAnnotationCheckTest {
    private static final String DRL = """
            package triage;

            dialect "mvel"

            import dev.triagerules.engine.Failure;

            rule "named"
                @class("zz_state")
                salience 700
            when
                $f : Failure( crashClass == null, reason contains "zz" )
            then
                modify( $f ) { classify( drools ) }
            end

            rule "unnamed"
                salience 600
            when
                $f : Failure( crashClass == null, reason contains "yy" )
            then
                modify( $f ) { classify( drools ) }
            end

            rule "classifies nothing"
            when
                Failure( reason contains "xx" )
            then
                System.out.println("a rule about classify is fine");
            end
            """;

    @TempDir
    Path tmp;

    @Test
    void aRuleThatClassifiesWithoutItsClassIsRefusedAtTheRule() throws IOException {
        Path file = Files.createDirectories(tmp.resolve("r")).resolve("rules.drl");
        Files.writeString(file, DRL);
        List<Problem> problems = new ArrayList<>();
        assertThat(RuleCompiler.compile(List.of(file), problems, null, null)).isNull();
        assertThat(problems).extracting(p -> p.line() + ":" + p.column() + ": " + p.message()).containsExactly(
                "16:1: rule \"unnamed\" calls classify(drools) but has no @class(\"...\") annotation: a classification"
                        + " rule names the class it assigns, e.g. @class(\"autograd_state\")");
    }

    @Test
    void checkReportsItAndExitsOne() throws IOException {
        Path rules = Files.createDirectories(tmp.resolve("rules"));
        Files.writeString(rules.resolve("zz.drl"), DRL);
        CliRunner.Result result = CliRunner.run("check", "--rules", rules.toString()).assertExit(1);
        assertThat(result.out()).contains(rules.resolve("zz.drl") + ":16:1: error: rule \"unnamed\" calls"
                + " classify(drools) but has no @class(\"...\") annotation");
    }
}
