package dev.triagerules.policy;

import dev.triagerules.input.junit.JunitPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.triagerules.base.Problem;
import dev.triagerules.input.junit.Runner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code junit} and {@code masks} policy keys as PolicyLoader reads them. */
class JunitPolicyLoaderTest {
    private static final String BASE = """
            severity_order: [high, low]
            classes:
              assertion: {severity: high, owner_hint: team}
            """;

    @TempDir
    Path dir;

    @Test
    void withoutTheKeysMasksAreOffAndTheMappingHasItsDefaults() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), BASE);
        Policy policy = load(new ArrayList<>());
        assertThat(policy.masks().enabled()).isFalse();
        assertThat(policy.junit()).isEqualTo(JunitPolicy.DEFAULT);
        assertThat(policy.junit().scenario()).containsExactly("{name}");
    }

    @Test
    void keysAreReadSingleTemplatesOrLists() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), BASE);
        Files.writeString(dir.resolve("junit.yaml"), """
                junit:
                  packet: "{property:team}"
                  suite: ["{classname}", "{suite}"]
                  replay:
                    surefire: ["./mvnw test -Dtest={classname}#{method}"]
                  outcomes: {error: crash}
                masks:
                  - {pattern: "[0-9]+", replacement: "<n>"}
                """);
        List<Problem> problems = new ArrayList<>();
        Policy policy = load(problems);
        assertThat(problems).isEmpty();
        assertThat(policy.junit().packet()).containsExactly("{property:team}");
        assertThat(policy.junit().replay().get("surefire")).containsExactly("./mvnw test -Dtest={classname}#{method}");
        assertThat(policy.junit().replay().get("pytest")).isEqualTo(JunitPolicy.DEFAULT_REPLAY.get("pytest"));
        assertThat(policy.junit().outcomes()).containsEntry("error", "crash").containsEntry("failure", "fail");
        assertThat(policy.masks().apply("took 1534 ms")).isEqualTo("took <n> ms");
    }

    @Test
    void badValuesAreLocatedErrors() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), BASE);
        Files.writeString(dir.resolve("junit.yaml"), """
                # a comment
                junit:
                  runner: ant
                  scenario: "{nmae}"
                  replay:
                    make: ["make {name}"]
                  outcomes: {failure: pass}
                masks:
                  - {pattern: "(", replacement: "x"}
                """);
        List<Problem> problems = new ArrayList<>();
        assertThat(load(problems)).isNull();
        assertThat(problems).extracting(Problem::toString).containsExactly(
                dir.resolve("junit.yaml") + ":3:11: error: junit.runner: unknown runner \"ant\"; one of"
                        + " [failsafe, go, gradle, junit, mocha, nextest, pytest, surefire]",
                dir.resolve("junit.yaml") + ":4:13: error: junit.scenario: unknown placeholder {nmae} in template"
                        + " \"{nmae}\"; known: [classname, classname_path, failure, file, kind, line, message, method,"
                        + " name, runner, suite, suite_file, timestamp, type] and {property:NAME}",
                dir.resolve("junit.yaml") + ":6:5: error: junit.replay: unknown runner \"make\"; one of"
                        + " [failsafe, go, gradle, junit, mocha, nextest, pytest, surefire]",
                dir.resolve("junit.yaml") + ":7:23: error: junit.outcomes.failure must name a failing outcome"
                        + " (not empty, not \"pass\")",
                dir.resolve("junit.yaml") + ":9:15: error: masks[0].pattern is no regular expression:"
                        + " Unclosed group near index 1");
    }

    @Test
    void eachBadTemplateAndMaskIsLocatedAtItself() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), BASE);
        Path junit = dir.resolve("junit.yaml");
        Files.writeString(junit, """
                junit:
                  suite:
                    - "{classname}"
                    - "{sute}"
                  replay:
                    go: ["go test", "go test -run {nmae}"]
                masks:
                  - {pattern: "[0-9]+", replacement: "<n>"}
                  - pattern: "x*"
                    replacement: "<x>"
                  - replacement: "<y>"
                """);
        List<Problem> problems = new ArrayList<>();
        assertThat(load(problems)).isNull();
        assertThat(problems).extracting(Problem::toString).containsExactly(
                junit + ":4:7: error: junit.suite: unknown placeholder {sute} in template \"{sute}\"; known: [classname,"
                        + " classname_path, failure, file, kind, line, message, method, name, runner, suite, suite_file,"
                        + " timestamp, type] and {property:NAME}",
                junit + ":6:21: error: junit.replay.go: unknown placeholder {nmae} in template \"go test -run {nmae}\";"
                        + " known: [classname, classname_path, failure, file, kind, line, message, method, name, runner,"
                        + " suite, suite_file, timestamp, type] and {property:NAME}",
                junit + ":9:14: error: masks[1].pattern \"x*\" matches the empty text, so it would insert its"
                        + " replacement everywhere",
                junit + ":11:5: error: masks[2] needs a pattern");
    }

    @Test
    void thePolicyKnowsEveryRunnerTheReaderRecognises() {
        assertThat(JunitPolicy.RUNNERS).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(Runner.values()).map(Runner::key).toList());
        assertThat(JunitPolicy.DEFAULT_REPLAY.keySet()).containsExactlyInAnyOrderElementsOf(JunitPolicy.RUNNERS);
    }

    private Policy load(List<Problem> problems) {
        return PolicyLoader.load(dir, problems);
    }
}
