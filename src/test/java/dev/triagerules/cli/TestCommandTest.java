package dev.triagerules.cli;

import static dev.triagerules.cli.PackCopy.edit;
import static dev.triagerules.cli.PackCopy.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code triage-rules test}: failures as file:line, the summary line and per-rule coverage. */
class TestCommandTest {

    @TempDir
    Path tmp;

    @Test
    void shippedPackPassesWithEveryRuleCovered() {
        CliRunner.Result result = CliRunner.run("test");
        assertEquals(List.of(
                "87 passed, 0 failed",
                "coverage (test cases each classification rule won):",
                "  rule \"oracle_infra\" (rules/oracle-infra.drl:9): 16 cases",
                "  rule \"autograd_state\" (rules/autograd-state.drl:8): 14 cases, outranked in 2 more",
                "  rule \"dispatch_routing\" (rules/dispatch-routing.drl:8): 18 cases, outranked in 5 more",
                "  rule \"serialization_parser\" (rules/serialization-parser.drl:8): 15 cases, outranked in 7 more",
                "  rule \"tensor_meta_state\" (rules/tensor-meta-state.drl:8): 9 cases, outranked in 12 more",
                "  rule \"unclassified\" (rules/unclassified.drl:9): 15 cases, outranked in 72 more",
                "rules with no case: none"), lines(result.out()));
        assertEquals("", result.err());
        assertEquals(0, result.exitCode());
    }

    @Test
    void headPackPasses() {
        CliRunner.Result result = CliRunner.run("test", "--rules", "examples/frankentorch-head/rules",
                "--policy", "examples/frankentorch-head/policy");
        assertEquals("126 passed, 0 failed", lines(result.out()).get(0));
        assertEquals("rules with no case: none", lines(result.out()).get(12));
        assertEquals(0, result.exitCode());
    }

    @Test
    void aRuleEditThatBreaksCasesFailsThemWithTheirFileAndLine() throws IOException {
        PackCopy pack = PackCopy.of("", tmp);
        // tensor_meta_state above serialization_parser: the cases pinning their order fail.
        edit(pack.rules().resolve("tensor-meta-state.drl"), "salience 200", "salience 350");
        CliRunner.Result result = CliRunner.run(pack.args("test"));
        String by = " (rule tensor_meta_state at " + pack.rules().resolve("tensor-meta-state.drl") + ":8)";
        Path serialization = pack.rules().resolve("tests/serialization-parser.yaml");
        Path tensorMeta = pack.rules().resolve("tests/tensor-meta-state.yaml");
        assertEquals(List.of(
                serialization + ":35: case serialization_parser over tensor_meta_state (serialization_rank_check):"
                        + " expected serialization_parser, got tensor_meta_state" + by,
                serialization + ":38: case serialization_parser over tensor_meta_state (checksum_stride_error):"
                        + " expected serialization_parser, got tensor_meta_state" + by,
                serialization + ":41: case serialization_parser over tensor_meta_state (decode_index):"
                        + " expected serialization_parser, got tensor_meta_state" + by,
                tensorMeta + ":35: case serialization_parser over tensor_meta_state (serialization_rank_check):"
                        + " expected serialization_parser, got tensor_meta_state" + by,
                tensorMeta + ":38: case serialization_parser over tensor_meta_state (checksum_stride_error):"
                        + " expected serialization_parser, got tensor_meta_state" + by,
                "82 passed, 5 failed"), lines(result.out()).subList(0, 6));
        assertEquals(1, result.exitCode());
    }

    @Test
    void aWrongSeverityOwnerOrRuleExpectationNamesTheField() throws IOException {
        PackCopy pack = PackCopy.of("", tmp);
        Path table = pack.rules().resolve("tests/dispatch-routing.yaml");
        edit(table, "{class: dispatch_routing, severity: high, owner: ft-dispatch-owners, rule: dispatch_routing}",
                "{class: dispatch_routing, severity: critical, owner: ft-core-owners, rule: keyset}");
        CliRunner.Result result = CliRunner.run(pack.args("test"));
        assertEquals(table + ":5: case routes dispatch_routing (keyset_conflict): expected severity critical,"
                + " owner ft-core-owners, rule keyset, got severity high, owner ft-dispatch-owners, rule"
                + " dispatch_routing (rule dispatch_routing at " + pack.rules().resolve("dispatch-routing.drl")
                + ":8)", lines(result.out()).get(0));
        assertEquals("86 passed, 1 failed", lines(result.out()).get(1));
        assertEquals(1, result.exitCode());
    }

    @Test
    void rulesNoCaseWinsAreListed() throws IOException {
        PackCopy pack = PackCopy.of("", tmp);
        Path drl = pack.rules().resolve("extra.drl");
        Files.writeString(drl, PackCopy.SHADOWED_AND_UNTESTED_DRL);
        CliRunner.Result result = CliRunner.run(pack.args("test"));
        List<String> out = lines(result.out());
        assertEquals("87 passed, 0 failed", out.get(0));
        assertEquals("  rule \"vmap_trace\" (" + drl + ":18): 0 cases", out.get(4));
        assertEquals("  rule \"keyset_routing\" (" + drl + ":8): 0 cases, outranked in 5 more", out.get(8));
        assertEquals("rules with no case: \"vmap_trace\" (" + drl + ":18), \"keyset_routing\" (" + drl
                + ":8) shadowed by \"dispatch_routing\"", out.get(10));
        assertEquals(0, result.exitCode(), "coverage gaps are check's warnings, not test failures");
    }

    @Test
    void aBrokenTableOrNoTablesIsAnError() throws IOException {
        PackCopy pack = PackCopy.of("", tmp);
        Path table = pack.rules().resolve("tests/unclassified.yaml");
        edit(table, "    reason_code: mystery\n", "");
        CliRunner.Result broken = CliRunner.run(pack.args("test"));
        assertEquals(table + ":5:5: error: case \"routes unclassified (mystery)\" needs a reason_code\n",
                broken.err());
        assertEquals("", broken.out());
        assertEquals(1, broken.exitCode());

        try (var tables = Files.list(pack.rules().resolve("tests"))) {
            for (Path file : tables.toList()) {
                Files.delete(file);
            }
        }
        CliRunner.Result none = CliRunner.run(pack.args("test"));
        assertEquals(pack.rules() + "/tests/: no test tables; add *.yaml files with cases (see"
                + " docs/writing-rules.md)\n", none.err());
        assertEquals(1, none.exitCode());
    }
}
