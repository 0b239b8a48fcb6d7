package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay commands the JUnit pack writes for real reports of each runner, through
 * {@code replay --dry-run} with the pack's own replay.allow: the runners' forms run (Surefire's
 * {@code Class#method}, go's {@code ^Name$} included), what the pack had to quote and what
 * a hostile report smuggles in are refused.
 */
class JunitReplayTest {
    private static final Path REPORTS = Path.of("src/test/resources/junit");
    private static final String POLICY = "examples/junit/policy";

    @TempDir
    Path tmp;

    /** The commands a dry run would run and the ones it would refuse, in its order. */
    private record DryRun(List<String> run, List<String> refused, String out) {
    }

    private DryRun dryRun(Path input) {
        Path report = tmp.resolve(input.getFileName() + ".json");
        CliRunner.run("--input", input.toString(), "--output", report.toString(), "--rules", "examples/junit/rules",
                "--policy", POLICY, "--quiet").assertOk();
        CliRunner.Result result = CliRunner.run("replay", "--report", report.toString(), "--policy", POLICY,
                "--dry-run").assertOk();
        List<String> run = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        List<String> lines = result.out().lines().toList();
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith("run     ")) {
                run.add(lines.get(i + 1).strip());
            } else if (lines.get(i).startsWith("refuse  ")) {
                refused.add(lines.get(i + 1).strip());
            }
        }
        return new DryRun(run, refused, result.out());
    }

    @Test
    void eachRunnersRealReportReplaysItsFailuresWithThePacksPolicy() {
        Map<String, List<String>> runs = Map.of(
                "surefire", List.of("mvn test -Dtest=demo.CalculatorTest#dividesRoundingDown",
                        "mvn test -Dtest=demo.CalculatorTest#cachesResults",
                        "mvn test -Dtest=demo.CalculatorTest#readsConfiguration",
                        "mvn test -Dtest=demo.CalculatorTest#connectsToService",
                        "mvn test -Dtest=demo.CalculatorTest#finishesQuickly"),
                "failsafe", List.of("mvn verify -Dit.test=demo.CheckoutIT#appliesDiscount",
                        "mvn verify -Dit.test=demo.CheckoutIT#reservesStock"),
                "gradle", List.of("gradle test --tests demo.CalculatorTest.cachesResults",
                        "gradle test --tests demo.CalculatorTest.dividesRoundingDown"),
                "gotestsum.xml", List.of("go test -run ^TestParseLength$ example.com/junitdemo",
                        "go test -run ^TestParseNil$ example.com/junitdemo"),
                "nextest.xml", List.of("cargo nextest run tests::writes_journal",
                        "cargo nextest run tests::parses_amount", "cargo nextest run tests::retries_lock"));
        runs.forEach((input, expected) -> {
            DryRun dry = dryRun(REPORTS.resolve(input));
            assertThat(dry.run()).as(input).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(dry.refused()).as(input).isEmpty();
        });

        // Names the pack had to quote (brackets, spaces) never match: replayed by hand.
        DryRun pytest = dryRun(REPORTS.resolve("pytest-xunit1.xml"));
        assertThat(pytest.run()).containsExactlyInAnyOrder("pytest tests/test_inventory.py::test_parses_sku",
                "pytest tests/test_inventory.py::test_restock_threshold",
                "pytest tests/test_inventory.py::test_reads_database");
        assertThat(pytest.refused()).containsExactly("pytest tests/test_inventory.py::'test_quantity_limits[12]'");
        assertThat(pytest.out()).contains("character ''' (U+0027) at column 33 is not allowed");
        DryRun mocha = dryRun(REPORTS.resolve("mocha.xml"));
        assertThat(mocha.run()).isEmpty();
        assertThat(mocha.refused()).containsExactlyInAnyOrder("npx mocha --grep 'cart reads the session'",
                "npx mocha --grep 'cart computes the total'", "npx mocha --grep 'cart loads prices in time'");
    }

    @Test
    void aHostileReportsNamesAreRefused() throws Exception {
        // The real Surefire and gotestsum reports, their failing tests renamed by an attacker.
        Path surefire = Files.createDirectories(tmp.resolve("surefire"));
        String calculator = Files.readString(REPORTS.resolve("surefire/TEST-demo.CalculatorTest.xml"));
        Files.writeString(surefire.resolve("TEST-demo.CalculatorTest.xml"), calculator
                .replace("name=\"cachesResults\"", "name=\"cachesResults$(touch pwned)\"")
                .replace("name=\"finishesQuickly\"", "name=\"finishesQuickly;id\"")
                .replace("name=\"readsConfiguration\"", "name=\"-Dmaven.repo.local=/tmp/evil\"")
                .replace("name=\"connectsToService\"", "name=\"connects$HOME\"")
                .replace("name=\"dividesRoundingDown\" classname=\"demo.CalculatorTest\"",
                        "name=\"dividesRoundingDown\" classname=\"demo.CalculatorTest#x -Dexec=y\""),
                StandardCharsets.UTF_8);
        DryRun java = dryRun(surefire);
        assertThat(java.run()).isEmpty();
        assertThat(java.refused()).hasSize(5);

        Path go = tmp.resolve("gotestsum-hostile.xml");
        Files.writeString(go, Files.readString(REPORTS.resolve("gotestsum.xml"))
                .replace("classname=\"example.com/junitdemo\" name=\"TestParseLength\"",
                        "classname=\"../../outside\" name=\"TestParseLength\"")
                .replace("classname=\"example.com/junitdemo\" name=\"TestParseNil\"",
                        "classname=\"example.com/junitdemo\" name=\"TestParseNil$HOME\""), StandardCharsets.UTF_8);
        DryRun gotest = dryRun(go);
        assertThat(gotest.run()).isEmpty();
        assertThat(gotest.refused()).hasSize(2);
        assertThat(gotest.out()).contains("matches none of the 8 replay.allow pattern(s)");
    }
}
