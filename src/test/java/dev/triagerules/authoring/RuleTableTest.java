package dev.triagerules.authoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triagerules.base.Problem;
import dev.triagerules.engine.RulePack;
import dev.triagerules.rules.Packs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of every rule test table of both shipped packs, one JUnit test each: a pack
 * edit that breaks a case fails {@code mvn verify} with the same message
 * {@code triage-rules test} prints.
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
            assertEquals(List.of(), problems.stream().map(Problem::toString).toList());
            assertFalse(tables.isEmpty(), "no tables in " + TableLoader.testsDir(pack.rulesDir()));
            assertEquals(TableLoader.tableFiles(pack.rulesDir(), new ArrayList<>()).size(), tables.size());
        });
        Stream<DynamicNode> cases = tables.stream().map(table -> DynamicContainer.dynamicContainer(
                packName + "/" + table.file().getFileName(), table.file().toUri(),
                table.cases().stream().map(testCase -> DynamicTest.dynamicTest(
                        packName + "/" + table.file().getFileName() + ": " + testCase.name(),
                        table.file().toUri(), () -> {
                            CaseResult result = TableRunner.run(pack, testCase);
                            assertTrue(result.passed(), () -> testCase.location() + ": "
                                    + result.describeFailure(rule -> rule.location()));
                        }))));
        return Stream.concat(Stream.of(loads), cases);
    }
}
