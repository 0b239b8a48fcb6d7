package dev.triagerules.cli;

import static dev.triagerules.cli.PackCopy.edit;
import static dev.triagerules.cli.PackCopy.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code triage-rules check} on the shipped packs and on copies broken in every way it reports. */
class CheckCommandTest {

    @TempDir
    Path tmp;

    @Test
    void shippedPacksAreCleanEvenStrictly() {
        CliRunner.Result v1 = CliRunner.run("check", "--strict");
        assertEquals("", v1.err());
        assertEquals(List.of("rules/ (9 rule files, 6 classes), policy/ (6 files), rules/tests/ (6 tables, 87 cases):"
                + " 0 errors, 0 warnings"), lines(v1.out()));
        assertEquals(0, v1.exitCode());

        CliRunner.Result head = CliRunner.run("check", "--strict", "--rules", "examples/frankentorch-head/rules",
                "--policy", "examples/frankentorch-head/policy");
        assertEquals(List.of("examples/frankentorch-head/rules/ (13 rule files, 10 classes),"
                + " examples/frankentorch-head/policy/ (6 files), examples/frankentorch-head/rules/tests/"
                + " (10 tables, 126 cases): 0 errors, 0 warnings"), lines(head.out()));
        assertEquals(0, head.exitCode());
    }

    @Test
    void reportsEveryErrorOfRulesPolicyAndTablesAtOnce() throws IOException {
        PackCopy pack = PackCopy.of("", tmp);
        edit(pack.policy().resolve("classes.yaml"), "  dispatch_routing:\n    severity: high",
                "  dispatch_routing:\n    severity: urgent");
        Files.writeString(pack.policy().resolve("owners.yaml"), "owners:\n  ft-core-owners: core@example.org\n");
        edit(pack.rules().resolve("serialization-parser.drl"), "reason contains \"checksum\"",
                "reason contains \"checksum\" ||| oops");
        edit(pack.rules().resolve("tests/oracle-infra.yaml"), "    reason_code: oracle\n",
                "    reason_code: oracle\n    packet: FT-P2C-001\n");

        CliRunner.Result result = CliRunner.run(pack.args("check"));
        List<String> out = lines(result.out());
        assertEquals(5, out.size(), result.out());
        assertEquals(pack.policy().resolve("owners.yaml") + ":1:1: error: unknown key \"owners\""
                + " (expected one of: annotations, classes, escalation, flake, junit, lifecycle, masks, replay,"
                + " severity_order, tickets)", out.get(0));
        assertEquals(pack.policy().resolve("classes.yaml") + ":6:3: error: class \"dispatch_routing\" has severity"
                + " \"urgent\", which is not in severity_order [critical, high, medium, low] ("
                + pack.policy().resolve("severities.yaml") + ":2:1)", out.get(1));
        assertTrue(out.get(2).startsWith(pack.rules().resolve("serialization-parser.drl") + ":15:48: error: "),
                out.get(2));
        assertEquals(pack.rules().resolve("tests/oracle-infra.yaml") + ":10:5: error: unknown key \"packet\""
                + " (expected one of: env_fingerprint, expect, fixture_id, mode, name, outcome, packet_id,"
                + " reason_code, scenario_id, suite_id)", out.get(3));
        assertEquals(pack.rules() + "/ (9 rule files), " + pack.policy() + "/ (7 files), " + pack.rules()
                + "/tests/ (6 tables, 74 cases): 4 errors, 0 warnings", out.get(4));
        assertEquals(1, result.exitCode());
        assertEquals("", result.err());
    }

    @Test
    void aClassTheRulesAssignWithoutPolicyIsAnErrorAndAnUnusedPolicyClassAWarning() throws IOException {
        PackCopy pack = PackCopy.of("", tmp);
        edit(pack.policy().resolve("classes.yaml"), "  tensor_meta_state:", "  tensor_meta:");
        CliRunner.Result result = CliRunner.run(pack.args("check"));
        List<String> out = lines(result.out());
        assertEquals(3, out.size(), result.out());
        assertEquals(pack.rules().resolve("tensor-meta-state.drl") + ":8: error: rule \"tensor_meta_state\" assigns"
                + " class \"tensor_meta_state\", which has no entry in the policy (" + pack.policy().resolve(
                "classes.yaml") + "); add it under classes:",
                out.get(0));
        assertTrue(out.get(1).startsWith(pack.policy().resolve("classes.yaml") + ":15:3: warning: policy class"
                + " \"tensor_meta\" is assigned by no rule in "), out.get(1));
        assertEquals(pack.rules() + "/ (9 rule files), " + pack.policy() + "/ (6 files), " + pack.rules()
                + "/tests/ (6 tables, 87 cases): 1 error, 1 warning", out.get(2));
        assertEquals(1, result.exitCode());
    }

    @Test
    void warnsOfShadowedAndUntestedRulesFromTheTables() throws IOException {
        PackCopy pack = PackCopy.of("", tmp);
        Path drl = pack.rules().resolve("extra.drl");
        Files.writeString(drl, PackCopy.SHADOWED_AND_UNTESTED_DRL);

        CliRunner.Result result = CliRunner.run(pack.args("check"));
        assertEquals(List.of(
                // in precedence order: vmap_trace (450) before keyset_routing (100)
                drl + ":18: warning: rule \"vmap_trace\" is exercised by no test case in " + pack.rules() + "/tests/",
                drl + ":8: warning: rule \"keyset_routing\" is fully shadowed by higher-precedence rule"
                        + " \"dispatch_routing\": it matches 5 test cases but wins none (cases: \"routes"
                        + " dispatch_routing (keyset_conflict)\", \"patterns dispatch + keyset, upper case"
                        + " (Dispatch_Keyset_Mismatch)\", \"pattern keyset (keyset_conflict)\", \"pattern keyset,"
                        + " upper case (KeySet)\", \"dispatch_routing over serialization_parser (keyset_checksum)\")",
                pack.rules() + "/ (10 rule files, 6 classes), " + pack.policy() + "/ (6 files), " + pack.rules()
                        + "/tests/ (6 tables, 87 cases): 0 errors, 2 warnings"), lines(result.out()));
        assertEquals(0, result.exitCode(), "warnings alone pass");
        assertEquals(1, CliRunner.run(pack.args("check", "--strict")).exitCode(), "--strict fails on warnings");
    }

    @Test
    void withoutTablesThereAreNoCoverageWarnings() throws IOException {
        PackCopy pack = PackCopy.of("", tmp);
        try (var tables = Files.list(pack.rules().resolve("tests"))) {
            for (Path table : tables.toList()) {
                Files.delete(table);
            }
        }
        Files.writeString(pack.rules().resolve("extra.drl"), PackCopy.SHADOWED_AND_UNTESTED_DRL);
        CliRunner.Result result = CliRunner.run(pack.args("check", "--strict"));
        assertEquals(List.of(pack.rules() + "/ (10 rule files, 6 classes), " + pack.policy() + "/ (6 files), "
                + pack.rules() + "/tests/ (no test tables): 0 errors, 0 warnings"), lines(result.out()));
        assertEquals(0, result.exitCode());
    }

    @Test
    void warnsWhenTwoClassesShareASalience() throws IOException {
        PackCopy pack = PackCopy.of("", tmp);
        edit(pack.rules().resolve("tensor-meta-state.drl"), "salience 200", "salience 300");
        CliRunner.Result result = CliRunner.run(pack.args("check"));
        assertTrue(result.out().contains(pack.rules().resolve("tensor-meta-state.drl") + ":8: warning: rule"
                + " \"tensor_meta_state\" has the salience of rule \"serialization_parser\" (300, "
                + pack.rules().resolve("serialization-parser.drl") + ":8): when both match, Drools' load order"
                + " decides between their classes; give each its own salience")
                || result.out().contains(pack.rules().resolve("serialization-parser.drl") + ":8: warning: rule"
                + " \"serialization_parser\" has the salience of rule \"tensor_meta_state\""), result.out());
        assertEquals(1, CliRunner.run(pack.args("check", "--strict")).exitCode());
    }

    @Test
    void rulesAndPolicyGivenBeforeTheSubcommandCount() throws IOException {
        PackCopy pack = PackCopy.of("", tmp);
        edit(pack.policy().resolve("classes.yaml"), "  tensor_meta_state:", "  tensor_meta:");
        CliRunner.Result result = CliRunner.run("--rules", pack.rules().toString(), "--policy",
                pack.policy().toString(), "check");
        assertEquals(1, result.exitCode(), result.out());
        assertTrue(result.out().endsWith(": 1 error, 1 warning\n"), result.out());
    }

    @Test
    void runsWithoutTheMainCommandsRequiredOptionsButUsageErrorsStillExitTwo() {
        CliRunner.Result result = CliRunner.run("check", "--no-such-option");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().startsWith("Unknown option: '--no-such-option'"), result.err());
        CliRunner.Result main = CliRunner.run();
        assertEquals(2, main.exitCode());
        assertTrue(main.err().startsWith("Missing required options: '--input=LOG', '--output=REPORT'"), main.err());
    }
}
