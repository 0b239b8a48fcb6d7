package dev.triagerules.authoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triagerules.base.Problem;
import dev.triagerules.engine.RulePack;
import dev.triagerules.rules.Packs;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The rule tests of both shipped packs: every case of every rule test table
 * ({@code <rules>/tests/*.yaml}), one JUnit test each, one container per crash class (a
 * table per rule file). A pack edit that breaks a case fails {@code mvn verify} with the
 * message {@code triage-rules test} prints. The tables are the one place rule cases live.
 */
class RuleTableTest {

    @TestFactory
    Stream<DynamicNode> v1() {
        return tests("v1", Packs.v1());
    }

    @TestFactory
    Stream<DynamicNode> head() {
        return tests("head", Packs.head());
    }

    private static Stream<DynamicNode> tests(String packName, RulePack pack) {
        List<Problem> problems = new ArrayList<>();
        List<TestTable> tables = TableLoader.load(pack.rulesDir(), problems);
        DynamicTest loads = DynamicTest.dynamicTest(packName + ": every table loads", () -> {
            assertThat(problems).extracting(Problem::toString).isEmpty();
            assertThat(tables).as("tables in " + TableLoader.testsDir(pack.rulesDir())).isNotEmpty();
            assertThat(tables).hasSameSizeAs(TableLoader.tableFiles(pack.rulesDir(), new ArrayList<>()));
        });
        Stream<DynamicNode> classes = tables.stream().map(table -> DynamicContainer.dynamicContainer(
                packName + ": " + crashClass(table) + " (" + table.file() + ")", table.file().toUri(),
                table.cases().stream().map(testCase -> DynamicTest.dynamicTest(testCase.name(),
                        table.file().toUri(), () -> {
                            CaseResult result = TableRunner.run(pack, testCase);
                            assertThat(result.passed()).as(() -> testCase.location() + ": "
                                    + result.describeFailure(rule -> rule.location())).isTrue();
                        }))));
        return Stream.concat(Stream.of(loads), classes);
    }

    /** The class a table tests: tables are named after their rule file, {@code oracle-infra.yaml}. */
    private static String crashClass(TestTable table) {
        return table.file().getFileName().toString().replaceFirst("\\.ya?ml$", "").replace('-', '_');
    }
}
