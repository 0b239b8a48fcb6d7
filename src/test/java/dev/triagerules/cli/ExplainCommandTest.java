package dev.triagerules.cli;

import static dev.triagerules.cli.PackCopy.edit;
import static dev.triagerules.cli.PackCopy.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triagerules.LogLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code triage-rules explain}: every matching rule, the winner and why, and the routing. */
class ExplainCommandTest {
    private static final String SAMPLE = "examples/sample-e2e.jsonl";

    @TempDir
    Path tmp;

    @Test
    void listsEveryMatchingRuleTheWinnerAndTheRouting() {
        CliRunner.Result result = CliRunner.run("explain", "--reason-code", "Oracle_Dispatch_Error");
        assertEquals(List.of(
                "failure: reason_code \"Oracle_Dispatch_Error\" (rules match reason \"oracle_dispatch_error\")",
                "",
                "3 rules match, in precedence order (highest salience first):",
                "  oracle_infra      salience   600  rules/oracle-infra.drl:9      wins",
                "  dispatch_routing  salience   400  rules/dispatch-routing.drl:8  outranked by oracle_infra",
                "  unclassified      salience -1000  rules/unclassified.drl:9      outranked by oracle_infra",
                "",
                "winner: rule \"oracle_infra\" (rules/oracle-infra.drl:9): the highest salience (600) of the 3"
                        + " matching rules",
                "class:      oracle_infra",
                "severity:   medium",
                "owner:      ft-conformance-infra-owners",
                "escalation: none (policy has no escalation for severity medium)"), lines(result.out()));
        assertEquals("", result.err());
        assertEquals(0, result.exitCode());
    }

    @Test
    void theHeadPackRoutesTheSameCodeElsewhereWithEscalation() {
        CliRunner.Result result = CliRunner.run("explain", "--rules", "examples/frankentorch-head/rules",
                "--policy", "examples/frankentorch-head/policy", "--reason-code", "scalar_math_drift",
                "--packet", "FT-P2C-001", "--mode", "strict");
        assertEquals(List.of(
                "failure: reason_code \"scalar_math_drift\"",
                "         packet_id=FT-P2C-001 mode=strict",
                "",
                "2 rules match, in precedence order (highest salience first):",
                "  kernel_math   salience   400  examples/frankentorch-head/rules/kernel-math.drl:8   wins",
                "  unclassified  salience -1000  examples/frankentorch-head/rules/unclassified.drl:9  outranked by"
                        + " kernel_math",
                "",
                "winner: rule \"kernel_math\" (examples/frankentorch-head/rules/kernel-math.drl:8): the highest"
                        + " salience (400) of the 2 matching rules",
                "class:      kernel_math",
                "severity:   critical",
                "owner:      ft-kernel-cpu-owners",
                "escalation: escalate_immediately=true linked_bead_id=bd-3v0.7 attach_artifact_paths=true"
                        + " replay_transcript_required=true"), lines(result.out()));
        assertEquals(0, result.exitCode());
    }

    @Test
    void withPolicyMasksTheMaskedReasonCodeIsShownBesideTheLoggedOne() {
        CliRunner.Result result = CliRunner.run("explain", "--rules", "examples/junit/rules",
                "--policy", "examples/junit/policy", "--reason-code", "java.lang.AssertionError: took 1534 ms at 0x7f3a9c21");
        List<String> out = lines(result.out());
        assertEquals("failure: reason_code \"java.lang.AssertionError: took 1534 ms at 0x7f3a9c21\" (rules match"
                + " reason \"java.lang.assertionerror: took 1534 ms at 0x7f3a9c21\")", out.get(0));
        assertEquals("         masked reason_code \"java.lang.AssertionError: took <n> ms at <hex>\" (policy masks:"
                + " folding and incident_id use it)", out.get(1));
        assertTrue(out.contains("class:      assertion"), result.out());
        assertEquals(0, result.exitCode());
        // Without masks (the default pack) there is no such line.
        assertTrue(CliRunner.run("explain", "--reason-code", "took 1534 ms").out().lines()
                .noneMatch(line -> line.contains("masked")));
    }

    @Test
    void explainsAnIncidentOfARealLog() throws IOException {
        JsonNode report = new ObjectMapper().readTree(CliRunner.run("--input", SAMPLE, "--output", "-", "-q").out());
        JsonNode incident = report.get("incidents").get(0);
        String id = incident.get("incident_id").asText();
        assertEquals("triage64:1f559ee9a1c84e8f", id);
        assertEquals(3, incident.get("occurrences").asInt());

        CliRunner.Result result = CliRunner.run("explain", "--input", SAMPLE, "--incident", id);
        List<String> out = lines(result.out());
        assertEquals("incident triage64:1f559ee9a1c84e8f in examples/sample-e2e.jsonl: 3 failures fold into it"
                + " (lines 13, 123, 220); explaining the first, line " + incident.get("first_seen_line").asInt(),
                out.get(0));
        assertEquals("failure: reason_code \"scheduler_dispatch_conflict\"", out.get(1));
        assertEquals("         packet_id=FT-P2C-008 suite_id=nn_state scenario_id=nn_state/hardened:case_3"
                + " mode=hardened fixture_id=nn_state_cases.json env_fingerprint=det64:538454127b096494", out.get(2));
        assertEquals("  autograd_state    salience   500  rules/autograd-state.drl:8    wins", out.get(5));
        assertEquals("  dispatch_routing  salience   400  rules/dispatch-routing.drl:8  outranked by autograd_state",
                out.get(6));
        assertTrue(out.contains("class:      " + incident.get("class").asText()), result.out());
        assertTrue(out.contains("owner:      " + incident.get("owner_hint").asText()), result.out());
        assertEquals(0, result.exitCode());
    }

    @Test
    void aFolderOfJunitReportsNamesEachFailuresReportAndLine() throws IOException {
        String[] pack = {"--rules", "examples/junit/rules", "--policy", "examples/junit/policy"};
        Path surefire = Path.of("src/test/resources/junit/surefire/TEST-demo.CalculatorTest.xml");
        Path folder = Files.createDirectories(tmp.resolve("reports"));
        Path first = Files.copy(surefire, folder.resolve("TEST-a.xml"));
        // The same test cases a line further down: the second report's failure is at line 136, not 135.
        Path second = Files.writeString(folder.resolve("TEST-b.xml"),
                Files.readString(surefire).replaceFirst("\n", "\n<!-- a second report of the run -->\n"));
        String id = "triage64m:aa2b24c465617ba7";

        CliRunner.Result result = CliRunner.run("explain", pack[0], pack[1], pack[2], pack[3], "--input",
                folder.toString(), "--incident", id).assertOk();
        assertEquals("incident " + id + " in " + folder + ": 2 failures fold into it (" + first + ":135, " + second
                + ":136); explaining the first, " + first + ":135", lines(result.out()).get(0));

        // One report given as a file is one file: its lines, as a JSONL log's.
        CliRunner.Result single = CliRunner.run("explain", pack[0], pack[1], pack[2], pack[3], "--input",
                surefire.toString(), "--incident", id).assertOk();
        assertEquals("incident " + id + " in " + surefire + ": 1 failure folds into it (line 135); explaining the"
                + " first, line 135", lines(single.out()).get(0));
    }

    @Test
    void theLogsTextIsShownEscapedNotAsTerminalControls() throws IOException {
        // A terminal-title sequence in packet_id, colour and a bidirectional override in the reason.
        Path log = LogLines.write(tmp.resolve("hostile.jsonl"), List.of(LogLines.entry("P\u001b]0;title\u0007",
                "dispatch_key/strict:case_1", "strict", "fail", "oracle\u001b[31mRED\u202e\u0007", 7)));
        JsonNode report = new ObjectMapper().readTree(CliRunner.run("--input", log.toString(), "--output", "-", "-q")
                .out());
        String id = report.get("incidents").get(0).get("incident_id").asText();

        CliRunner.Result result = CliRunner.run("explain", "--input", log.toString(), "--incident", id);
        assertEquals(0, result.exitCode(), result.err());
        List<String> out = lines(result.out());
        assertEquals("failure: reason_code \"oracle\\u001b[31mRED\\u202e\\u0007\" (rules match reason"
                + " \"oracle\\u001b[31mred\\u202e\\u0007\")", out.get(1));
        assertTrue(out.get(2).startsWith("         packet_id=P\\u001b]0;title\\u0007 suite_id=dispatch_key "), out.get(2));
        assertTrue(result.out().chars().noneMatch(c -> c < 0x20 && c != '\n' || c == 0x202e), result.out());
    }

    @Test
    void anIncidentNotInTheLogIsAnError() {
        CliRunner.Result result = CliRunner.run("explain", "--input", SAMPLE, "--incident", "triage64:0000000000000000");
        assertEquals(1, result.exitCode());
        assertEquals("", result.out());
        assertEquals("examples/sample-e2e.jsonl: no incident triage64:0000000000000000 (80 failed entries fold"
                + " into 41 incidents with these rules and policy)\n", result.err());
    }

    @Test
    void withOnInvalidSkipAnIncidentOfAReportMadeWithSkipIsExplained() throws IOException {
        Path log = LogLines.write(tmp.resolve("e2e.jsonl"), List.of(
                LogLines.entry("s1", "fail", "keyset_conflict"),
                "{oops",
                LogLines.entry("s2", "fail", "decode_failure"),
                "not an entry",
                LogLines.entry("s2", "fail", "decode_failure")));
        Path reportFile = tmp.resolve("triage.json");
        CliRunner.run("--input", log.toString(), "--output", reportFile.toString(), "--on-invalid", "skip", "-q")
                .assertOk();
        JsonNode report = new ObjectMapper().readTree(reportFile.toFile());
        assertEquals(2, report.get("invalid_lines").asInt());
        JsonNode incident = null;
        for (JsonNode each : report.get("incidents")) {
            if (each.get("scenario_id").asText().equals("s2")) {
                incident = each;
            }
        }
        assertEquals(2, incident.get("occurrences").asInt(), incident.toString());
        String id = incident.get("incident_id").asText();

        // Skipped as the main command skips them: the same lines, counted and said the same way.
        CliRunner.Result result = CliRunner.run("explain", "--input", log.toString(), "--incident", id,
                "--on-invalid", "skip").assertOk();
        assertEquals("incident " + id + " in " + log + ": 2 failures fold into it (lines 3, 5); explaining the"
                + " first, line " + incident.get("first_seen_line").asInt(), lines(result.out()).get(0));
        assertEquals("failure: reason_code \"decode_failure\"", lines(result.out()).get(1));
        assertEquals("triage-rules: 2 invalid lines skipped (explain keeps no quarantine)\n", result.err());
        assertFalse(Files.exists(tmp.resolve("e2e.quarantine.jsonl")));

        // An id not in the log: the counts agree with the report's.
        CliRunner.Result missing = CliRunner.run("explain", "--input", log.toString(), "--incident",
                "triage64:0000000000000000", "--on-invalid", "skip").assertExit(1);
        assertEquals("triage-rules: 2 invalid lines skipped (explain keeps no quarantine)\n" + log
                + ": no incident triage64:0000000000000000 (" + report.get("failed_entries").asInt()
                + " failed entries fold into " + report.get("incidents").size()
                + " incidents with these rules and policy)\n", missing.err());

        // Without it the first invalid line stops explain, named by file and line, as it stops the main command.
        for (String[] stop : List.of(new String[0], new String[] {"--on-invalid", "stop"})) {
            List<String> args = new ArrayList<>(List.of("explain", "--input", log.toString(), "--incident", id));
            args.addAll(List.of(stop));
            CliRunner.Result stopped = CliRunner.run(args.toArray(String[]::new)).assertExit(1);
            assertEquals("", stopped.out());
            assertTrue(stopped.err().startsWith(log + ":2:2: "), stopped.err());
            assertTrue(stopped.err().contains("\n  | {oops"), stopped.err());
        }
    }

    @Test
    void withOnInvalidSkipAnUnreadableJunitReportIsSkippedWhole() throws IOException {
        String[] pack = {"--rules", "examples/junit/rules", "--policy", "examples/junit/policy"};
        Path folder = Files.createDirectories(tmp.resolve("reports"));
        Files.copy(Path.of("src/test/resources/junit/broken/truncated.xml"), folder.resolve("TEST-a.xml"));
        Files.copy(Path.of("src/test/resources/junit/failsafe/TEST-demo.CheckoutIT.xml"), folder.resolve("TEST-b.xml"));
        Path reportFile = tmp.resolve("triage.json");
        CliRunner.run(pack[0], pack[1], pack[2], pack[3], "--input", folder.toString(), "--input-format", "junit",
                "--output", reportFile.toString(), "--on-invalid", "skip", "-q").assertOk();
        JsonNode report = new ObjectMapper().readTree(reportFile.toFile());
        assertEquals(1, report.get("invalid_reports").asInt());
        String id = report.get("incidents").get(0).get("incident_id").asText();

        CliRunner.Result result = CliRunner.run("explain", pack[0], pack[1], pack[2], pack[3], "--input",
                folder.toString(), "--input-format", "junit", "--incident", id, "--on-invalid", "skip").assertOk();
        assertTrue(result.out().startsWith("incident " + id + " in " + folder + ": 1 failure folds into it"),
                result.out());
        assertEquals("triage-rules: 1 invalid JUnit XML report skipped (explain keeps no quarantine)\n",
                result.err());

        CliRunner.Result stopped = CliRunner.run("explain", pack[0], pack[1], pack[2], pack[3], "--input",
                folder.toString(), "--input-format", "junit", "--incident", id).assertExit(1);
        assertTrue(stopped.err().startsWith(folder.resolve("TEST-a.xml") + ":6:1: not well-formed XML"),
                stopped.err());
    }

    @Test
    void usageErrorsExitTwo() {
        assertUsageError("Missing required option: '--reason-code=CODE' (or --input LOG --incident ID)", "explain");
        assertUsageError("--input needs --incident ID", "explain", "--input", SAMPLE);
        assertUsageError("--incident needs --input LOG", "explain", "--incident", "triage64:1f559ee9a1c84e8f");
        assertUsageError("--input/--incident explain a logged failure; they cannot be combined with --reason-code"
                + " or the other failure fields", "explain", "--input", SAMPLE, "--incident", "x", "--mode", "strict");
        assertUsageError("--outcome pass: passing entries are not failures and are never classified",
                "explain", "--reason-code", "x", "--outcome", "pass");
        assertUsageError("--input-format: unknown format \"yaml\"; one of auto, jsonl, junit",
                "explain", "--input", SAMPLE, "--incident", "x", "--input-format", "yaml");
        assertUsageError("--on-invalid reads --input LOG; --reason-code explains a made-up failure, read from"
                + " no log", "explain", "--reason-code", "x", "--on-invalid", "skip");
        assertUsageError("--input-format reads --input LOG; --reason-code explains a made-up failure, read from"
                + " no log", "explain", "--reason-code", "x", "--input-format", "jsonl");
    }

    private static void assertUsageError(String message, String... args) {
        CliRunner.Result result = CliRunner.run(args);
        assertEquals(2, result.exitCode(), result.err());
        assertEquals(message, lines(result.err()).get(0));
    }

    @Test
    void tiedSaliencesAreCalledOut() throws IOException {
        PackCopy pack = PackCopy.of("", tmp);
        edit(pack.rules().resolve("tensor-meta-state.drl"), "salience 200", "salience 400");
        CliRunner.Result result = CliRunner.run(pack.args("explain", "--reason-code", "dispatch_index_mismatch"));
        assertTrue(result.out().matches("(?s).*\\nwinner: rule \"(dispatch_routing|tensor_meta_state)\" \\(.*\\):"
                + " tied at salience 400 with \"(dispatch_routing|tensor_meta_state)\"; salience does not order"
                + " them, so Drools' own order \\(rule load order\\) chose. Give them different saliences\\n.*"),
                result.out());
        assertEquals(0, result.exitCode());
    }

    @Test
    void withoutACatchAllAnUnmatchedCodeHasNoWinner() throws IOException {
        PackCopy pack = PackCopy.of("", tmp);
        Files.delete(pack.rules().resolve("unclassified.drl"));
        CliRunner.Result result = CliRunner.run(pack.args("explain", "--reason-code", "mystery"));
        assertEquals(List.of(
                "failure: reason_code \"mystery\"",
                "",
                "no classification rule matches",
                "",
                "winner: none: no rule classified reason_code \"mystery\"; the rules need a catch-all rule (lowest"
                        + " salience) for unmatched codes"), lines(result.out()));
        assertEquals(1, result.exitCode());
    }
}
