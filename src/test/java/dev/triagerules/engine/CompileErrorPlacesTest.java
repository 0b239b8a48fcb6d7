package dev.triagerules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triagerules.base.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drools 10 reports a bad import at line 1 and every error of a consequence at the rule's
 * first line; {@code check} names the line at fault, and the consequence's text there.
 */
class CompileErrorPlacesTest {
    private static final String HEAD = """
            package triage;

            dialect "%s"

            import dev.triagerules.engine.Failure;
            %s
            rule "r1"
                @class("zz_state")
                salience 500
            when
                $f : Failure( crashClass == null,
                              reason contains "zz" )
            then
                System.out.println("first");
            """;
    private static final String END = """
                modify( $f ) { classify( drools ) }
            end
            """;

    @TempDir
    Path tmp;

    private List<String> problems(String dialect, String imports, String consequenceLine) throws IOException {
        Path file = Files.createDirectories(tmp.resolve("r")).resolve("rules.drl");
        Files.writeString(file, HEAD.formatted(dialect, imports) + consequenceLine + "\n" + END);
        List<Problem> problems = new ArrayList<>();
        assertThat(RuleCompiler.compile(List.of(file), problems, null, null)).isNull();
        return problems.stream().map(p -> p.line() + ":" + p.column() + ": " + p.message()).toList();
    }

    @Test
    void aBadImportIsAtItsLine() throws IOException {
        assertThat(problems("mvel", "import dev.triagerules.engine.NoSuchClass;\n", "")).containsExactly(
                "6:8: Error importing : 'dev.triagerules.engine.NoSuchClass'");
    }

    @Test
    void aBadStaticImportIsAtItsLineToo() throws IOException {
        assertThat(problems("mvel", "import static dev.triagerules.engine.NoSuchClass.*;\n", "")).containsExactly(
                "6:15: Error importing : 'dev.triagerules.engine.NoSuchClass.*'");
    }

    @Test
    void anMvelCallOfNoSuchMethodIsAtItsLineAndColumn() throws IOException {
        assertThat(problems("mvel", "", "    $f.noSuchMethod( 1 );")).containsExactly(
                "15:8: rule \"r1\" consequence: unable to resolve method using strict-mode:"
                        + " dev.triagerules.engine.Failure.noSuchMethod(java.lang.Integer), at \"$f.noSuchMethod( 1 );\"");
    }

    @Test
    void aFilesErrorsComeInTheFilesOrder() throws IOException {
        // Drools finds the consequence's error before the import's.
        assertThat(problems("mvel", "import dev.triagerules.engine.NoSuchClass;\n", "    $f.noSuchMethod( 1 );"))
                .extracting(line -> line.substring(0, line.indexOf(':')))
                .containsExactly("6", "16");
    }

    @Test
    void anMvelSyntaxErrorIsAtItsLine() throws IOException {
        assertThat(problems("mvel", "", "    int y = ( 3 + ;")).containsExactly(
                "15:13: rule \"r1\" consequence: unbalanced braces ( ... ), at \"int y = ( 3 + ;\"");
    }

    @Test
    void anErrorInsideModifyIsAtTheModifyLine() throws IOException {
        Path file = Files.createDirectories(tmp.resolve("r")).resolve("rules.drl");
        Files.writeString(file, HEAD.formatted("mvel", "") + "    modify( $f ) { noSuch( drools ) }\nend\n");
        List<Problem> problems = new ArrayList<>();
        RuleCompiler.compile(List.of(file), problems, null, null);
        assertThat(problems).extracting(p -> p.line() + ":" + p.column() + ": " + p.message()).containsExactly(
                "15:20: rule \"r1\" consequence: unable to resolve method using strict-mode:"
                        + " dev.triagerules.engine.Failure.noSuch(org.drools.core.rule.consequence.KnowledgeHelper),"
                        + " at \"modify( $f ) { noSuch( drools ) }\"");
    }

    @Test
    void aJavaConsequenceErrorIsAtItsLine() throws IOException {
        assertThat(problems("java", "import java.util.List;\nimport java.util.Map;\n",
                "    System.out.println(\"second\");\n    $f.noSuchMethod( 1 );")).containsExactly(
                "18:0: rule \"r1\" consequence: The method noSuchMethod(int) is undefined for the type Failure,"
                        + " at \"$f.noSuchMethod( 1 );\"");
    }

    @Test
    void aConsequenceMvelCannotCutIsAtTheThenLine() throws IOException {
        Path file = Files.createDirectories(tmp.resolve("r")).resolve("rules.drl");
        Files.writeString(file, HEAD.formatted("mvel", "") + "    modify( $f ) { classify( drools ) ;\nend\n");
        List<Problem> problems = new ArrayList<>();
        RuleCompiler.compile(List.of(file), problems, null, null);
        assertThat(problems).extracting(p -> p.line() + ":" + p.column() + ": " + p.message()).singleElement()
                .asString().startsWith("13:0: rule \"r1\" consequence: Unable to build expression for 'consequence'")
                .contains("modify( $f ) { classify( drools ) ;");
    }

    @Test
    void aConstraintOnALaterLineOfItsPatternIsAtItsLine() throws IOException {
        Path file = Files.createDirectories(tmp.resolve("r")).resolve("rules.drl");
        Files.writeString(file, HEAD.formatted("mvel", "").replace("reason contains \"zz\" )",
                "reason contains \"zz\",\n                  noSuchField ==  \"x\" )") + END);
        List<Problem> problems = new ArrayList<>();
        RuleCompiler.compile(List.of(file), problems, null, null);
        assertThat(problems).extracting(p -> p.line() + ":" + p.column() + ": " + p.message()).singleElement()
                .asString().startsWith("13:19: Unable to Analyse Expression noSuchField == \"x\":")
                .contains("Failure.noSuchField()").doesNotContain("[Line: ");
    }
}
