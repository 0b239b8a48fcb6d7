package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several runs (input files), replays and the verdicts in the report, end to end through the CLI. */
class FlakyCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** One log line: scenario case_N of packet FT-P2C-002, failing with reasonCode unless it is null. */
    private static String entry(int scenario, long seed, String reasonCode, long ts) {
        ObjectNode e = JSON.createObjectNode();
        e.put("schema_version", "ft-conformance-log-v1");
        e.put("ts_unix_ms", ts);
        e.put("suite_id", "tensor_meta");
        e.put("scenario_id", "tensor_meta/strict:case_" + scenario);
        e.put("fixture_id", "tensor_meta_cases.json");
        e.put("packet_id", "FT-P2C-002");
        e.put("mode", "strict");
        e.put("seed", seed);
        e.put("env_fingerprint", "det64:1a5adcb7cc17c7fa");
        e.putArray("artifact_refs").add("fixtures/tensor_meta_cases.json");
        e.put("replay_command", "cargo test case_" + scenario + " --seed " + seed);
        e.put("outcome", reasonCode == null ? "pass" : "fail");
        e.put("reason_code", reasonCode == null ? "parity_ok" : reasonCode);
        return e.toString();
    }

    private Path log(String name, String... lines) throws IOException {
        Path file = tmp.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    /**
     * Two runs: case_1 fails in run 1 and passes in run 2 (flaky), case_2 fails in both
     * (deterministic), case_3 fails only in run 2 (insufficient evidence).
     */
    private List<Path> twoRuns(Path dir) throws IOException {
        return List.of(
                log(dir.resolve("run-1.jsonl").toString(), entry(1, 11, "rank_mismatch", 100),
                        entry(2, 21, "stride_overflow", 101), entry(4, 41, null, 102)),
                log(dir.resolve("run-2.jsonl").toString(), entry(1, 12, null, 200),
                        entry(2, 22, "stride_overflow", 201), entry(3, 31, "index_out_of_bounds", 202)));
    }

    private JsonNode triage(String... args) throws IOException {
        Path report = tmp.resolve("report-" + System.nanoTime() + ".json");
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--output", report.toString(), "-q"));
        CliRunner.Result result = CliRunner.run(all.toArray(String[]::new));
        assertEquals(0, result.exitCode(), result.err());
        return JSON.readTree(report.toFile());
    }

    private static Map<String, JsonNode> byScenario(JsonNode report) {
        Map<String, JsonNode> incidents = new HashMap<>();
        report.get("incidents").forEach(i -> incidents.put(i.get("scenario_id").asText().replaceAll(".*:", ""), i));
        return incidents;
    }

    @Test
    void everyIncidentGetsAVerdictFromTheRunsItAppearedIn() throws IOException {
        List<Path> runs = twoRuns(tmp.resolve("logs"));
        JsonNode report = triage("--input", runs.get(0).toString(), "--input", runs.get(1).toString());
        assertEquals(6, report.get("total_entries").asInt(), "entries summed over inputs");
        assertEquals(4, report.get("failed_entries").asInt());
        assertEquals(runs.get(0).toString(), report.get("input_log_path").asText(), "the first input");
        assertEquals(List.of(runs.get(0).toString(), runs.get(1).toString()), texts(report.get("inputs")));
        Map<String, JsonNode> incidents = byScenario(report);

        JsonNode flaky = incidents.get("case_1").get("determinism");
        assertEquals("flaky", flaky.get("verdict").asText());
        assertEquals(2, flaky.get("runs").asInt());
        assertEquals(1, flaky.get("passing_runs").asInt());
        assertEquals(1, flaky.get("failing_runs").asInt());
        assertEquals(0.5, flaky.get("flake_rate").asDouble());
        assertEquals("failed in 1 of 2 runs and passed in 1", flaky.get("evidence").get(0).asText());
        assertEquals(List.of("flaky"), texts(flaky.get("labels")));
        assertTrue(incidents.get("case_1").get("gating_excluded").asBoolean(), "shipped policy: flaky does not gate");

        JsonNode deterministic = incidents.get("case_2").get("determinism");
        assertEquals("deterministic", deterministic.get("verdict").asText());
        assertEquals(2, deterministic.get("failures").asInt());
        assertFalse(incidents.get("case_2").get("gating_excluded").asBoolean());
        JsonNode folded = incidents.get("case_2");
        assertEquals(2, folded.get("occurrences").asInt(), "folding spans runs");
        assertEquals(21, folded.get("seed").asLong(), "the first run's entry is kept");
        assertEquals(201, folded.get("last_seen_unix_ms").asLong(), "last seen is the latest");

        assertEquals("insufficient_evidence", incidents.get("case_3").get("determinism").get("verdict").asText());
        JsonNode counts = report.get("determinism_counts");
        assertEquals(1, counts.get("flaky").asInt());
        assertEquals(1, counts.get("deterministic").asInt());
        assertEquals(1, counts.get("insufficient_evidence").asInt());
        assertEquals(1, report.get("gating_excluded_incidents").asInt());
        assertEquals(0, report.get("infra_suspect_runs").size());
    }

    @Test
    void theSummarySaysWhatTheVerdictsWeighed() throws IOException {
        List<Path> runs = twoRuns(tmp.resolve("summary"));
        String out = tmp.resolve("summary.json").toString();
        CliRunner.Result together = CliRunner.run("--input", runs.get(0).toString(), "--input", runs.get(1).toString(),
                "--output", out).assertOk();
        assertThat(together.err().lines()).contains(
                "  2 runs: 1 flaky, 1 deterministic, 1 insufficient evidence; 1 out of CI gating");
        // The same runs one after the other into a ledger: the second weighs the first through it.
        String ledger = tmp.resolve("ledger.db").toString();
        CliRunner.run("--input", runs.get(0).toString(), "--output", out, "--ledger", ledger, "-q").assertOk();
        CliRunner.Result second = CliRunner.run("--input", runs.get(1).toString(), "--output", out,
                "--ledger", ledger).assertOk();
        assertThat(second.err().lines()).contains(
                "  1 run and the ledger's history: 0 flaky, 1 deterministic, 1 insufficient evidence; 0 out of CI gating");
    }

    @Test
    void theOrderOfTheInputsIsTheOrderOfTheRuns() throws IOException {
        List<Path> runs = twoRuns(tmp.resolve("logs"));
        JsonNode report = triage("--input", runs.get(1).toString(), "--input", runs.get(0).toString());
        JsonNode folded = byScenario(report).get("case_2");
        assertEquals(22, folded.get("seed").asLong(), "run 2 came first this time");
        assertEquals(runs.get(1).toString(), report.get("input_log_path").asText());
    }

    @Test
    void anEscalatedIncidentAttachesTheInputItsKeptFailureCameFrom() throws IOException {
        Path first = log("a.jsonl", entry(5, 51, null, 100));
        Path second = log("b.jsonl", entry(5, 52, "dependency_cycle_detected", 200));
        Path third = log("c.jsonl", entry(5, 53, "dependency_cycle_detected", 300));
        JsonNode critical = byScenario(triage("--input", first.toString(), "--input", second.toString(), "--input",
                third.toString())).get("case_5");
        assertEquals("critical", critical.get("severity").asText());
        JsonNode paths = critical.get("escalation").get("artifact_paths");
        assertEquals(second.toString(), paths.get(paths.size() - 1).asText());
        assertEquals("flaky", critical.get("determinism").get("verdict").asText());
        assertTrue(critical.get("escalation").get("escalate_immediately").asBoolean(),
                "a flaky critical incident is still escalated, and labelled flaky");
        assertEquals(List.of("flaky"), texts(critical.get("determinism").get("labels")));
    }

    @Test
    void aFolderIsItsLogsSortedByName() throws IOException {
        Path dir = tmp.resolve("matrix");
        twoRuns(dir);
        Files.writeString(dir.resolve("notes.txt"), "not a log");
        JsonNode report = triage("--input", dir.toString());
        assertEquals(List.of(dir.resolve("run-1.jsonl").toString(), dir.resolve("run-2.jsonl").toString()),
                texts(report.get("inputs")));
        assertEquals(1, report.get("determinism_counts").get("deterministic").asInt());
    }

    @Test
    void aGlobIsExpandedInItsFolderSortedByName() throws IOException {
        Path dir = tmp.resolve("glob");
        twoRuns(dir);
        log(dir.resolve("other.jsonl").toString(), entry(9, 1, "rank_mismatch", 1));
        JsonNode report = triage("--input", dir + "/run-*.jsonl");
        assertEquals(List.of(dir.resolve("run-1.jsonl").toString(), dir.resolve("run-2.jsonl").toString()),
                texts(report.get("inputs")));
        assertEquals(6, report.get("total_entries").asInt());
    }

    @Test
    void aFileGivenTwiceIsAnErrorNotTwoRuns() throws IOException {
        Path dir = tmp.resolve("twice");
        twoRuns(dir);
        String byName = dir + "/./run-1.jsonl";
        CliRunner.Result result = CliRunner.run("--input", dir + "/run-*.jsonl", "--input", byName, "--output", "-");
        assertEquals(1, result.exitCode());
        assertEquals("--input " + byName + ": the same file as " + dir.resolve("run-1.jsonl") + ", already an"
                + " input; each file is one run, so give it once", result.err().strip());
    }

    @Test
    void aHardLinkOrStdinRedirectedFromAnInputIsTheSameFileAndStdinIsReadOnce() throws Exception {
        Path dir = tmp.resolve("linked");
        twoRuns(dir);
        Path first = dir.resolve("run-1.jsonl");
        Path hardLink = Files.createLink(dir.resolve("also-run-1.jsonl"), first);
        CliRunner.Result linked = CliRunner.run("--input", hardLink.toString(), "--input", first.toString(),
                "--output", "-");
        assertEquals(1, linked.exitCode());
        assertEquals("--input " + first + ": the same file as " + hardLink + ", already an input; each file is one"
                + " run, so give it once", linked.err().strip());

        CliRunner.Result twice = CliRunner.run("--input", "-", "--input", "-", "--output", "-");
        assertEquals(1, twice.exitCode());
        assertEquals("--input -: given twice; standard input can be read only once", twice.err().strip());

        // stdin is the JVM's own: a process of its own, its stdin the file also named.
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dtriage.home=" + Path.of("").toAbsolutePath(),
                "dev.triagerules.cli.Main", "-q", "--input", "-", "--input", first.toString(), "--output",
                tmp.resolve("r.json").toString())
                .redirectInput(first.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, process.waitFor());
        assertEquals("--input " + first + ": the same file as -, already an input; each file is one run, so give"
                + " it once", out.strip());
    }

    @Test
    void aGlobMatchingNothingIsAnError() {
        CliRunner.Result result = CliRunner.run("--input", tmp + "/none-*.jsonl", "--output", "-");
        assertEquals(1, result.exitCode());
        assertEquals(tmp + "/none-*.jsonl: no file matches", result.err().strip());
    }

    @Test
    void anInfrastructureSuspectRunIsFlaggedAndLeftOutOfTheHistory() throws IOException {
        List<Path> runs = new ArrayList<>(twoRuns(tmp.resolve("logs")));
        List<String> broken = new ArrayList<>();
        broken.add(entry(2, 23, null, 300)); // case_2 passes here: would make it look flaky
        for (int i = 0; i < 9; i++) {
            broken.add(entry(100 + i, 1000 + i, "legacy_oracle_unavailable", 301 + i));
        }
        runs.add(log("logs/run-3.jsonl", broken.toArray(String[]::new)));
        JsonNode report = triage("--input", tmp.resolve("logs").toString());
        JsonNode suspect = report.get("infra_suspect_runs");
        assertEquals(1, suspect.size());
        assertEquals(runs.get(2).toString(), suspect.get(0).get("input").asText());
        assertEquals(10, suspect.get(0).get("entries").asInt());
        assertEquals(9, suspect.get(0).get("failures").asInt());
        assertEquals(0.9, suspect.get(0).get("failure_share").asDouble());
        assertEquals(16, report.get("total_entries").asInt(), "its entries still count");
        assertEquals(13, report.get("failed_entries").asInt());
        JsonNode case2 = byScenario(report).get("case_2").get("determinism");
        assertEquals("deterministic", case2.get("verdict").asText(), "the pass in the broken run is ignored");
        assertEquals(1, case2.get("infra_excluded_runs").asInt());
        assertEquals("1 infrastructure-suspect run(s) with this scenario left out of the history",
                case2.get("evidence").get(1).asText());
        JsonNode oracle = byScenario(report).get("case_100");
        assertEquals("insufficient_evidence", oracle.get("determinism").get("verdict").asText(),
                "incidents of the broken run are still reported");
    }

    @Test
    void replaySummariesAddAttempts() throws IOException {
        Path run = log("one.jsonl", entry(1, 11, "rank_mismatch", 100), entry(2, 21, "stride_overflow", 101));
        Map<String, JsonNode> first = byScenario(triage("--input", run.toString(), "--history"));
        String mixed = first.get("case_1").get("incident_id").asText();
        String reproduced = first.get("case_2").get("incident_id").asText();
        Path summary = tmp.resolve("replay-summary.json");
        Files.writeString(summary, """
                {"schema_version": "triage-rules-replay-summary-v1", "report": "r.json", "generated_unix_ms": 1,
                 "complete": true, "verdict_counts": {},
                 "incidents": [
                   {"incident_id": "%s", "verdict": "flaky", "failed_attempts": 1, "attempts": [
                     {"attempt": 1, "exit_code": 0, "timed_out": false},
                     {"attempt": 2, "exit_code": 101, "timed_out": false},
                     {"attempt": 3, "exit_code": 0, "timed_out": false}]},
                   {"incident_id": "%s", "verdict": "reproduced", "failed_attempts": 3, "attempts": [
                     {"attempt": 1, "exit_code": 101, "timed_out": false},
                     {"attempt": 2, "exit_code": 101, "timed_out": false},
                     {"attempt": 3, "exit_code": 101, "timed_out": false}]},
                   {"incident_id": "triage64:ffffffffffffffff", "verdict": "hung", "attempts": []}],
                 "skipped": [], "unfinished": []}
                """.formatted(mixed, reproduced));
        JsonNode report = triage("--input", run.toString(), "--replays", summary.toString());
        Map<String, JsonNode> incidents = byScenario(report);
        JsonNode flaky = incidents.get("case_1").get("determinism");
        assertEquals("flaky", flaky.get("verdict").asText());
        assertEquals("replays were mixed: 1 of 3 attempts failed", flaky.get("evidence").get(0).asText());
        assertEquals(3, flaky.get("replay").get("attempts").asInt());
        assertEquals(List.of("flaky"), texts(flaky.get("replay").get("verdicts")));
        JsonNode deterministic = incidents.get("case_2").get("determinism");
        assertEquals("deterministic", deterministic.get("verdict").asText());
        assertEquals("reproduced in all 3 replay attempts (min_replay_attempts 2)",
                deterministic.get("evidence").get(0).asText());
    }

    /**
     * Before: a summary made before replay recorded not_runnable counted two attempts that
     * exited 127 (a program not found, or a test's own status: the file cannot say) as two
     * failed replays, and the incident came out deterministic, "reproduced in all 2 replay
     * attempts", while the gate refuses that replay. Now the run stops, naming the attempt.
     */
    @Test
    void anOlderSummaryWhoseAttemptExited127IsRefusedAndNoReportWritten() throws IOException {
        Path run = log("one.jsonl", entry(2, 21, "stride_overflow", 101));
        String ledger = tmp.resolve("ledger.db").toString();
        String id = byScenario(triage("--input", run.toString(), "--ledger", ledger)).get("case_2")
                .get("incident_id").asText();
        Path summary = log("replay-summary.json", """
                {"schema_version": "triage-rules-replay-summary-v1", "incidents": [
                  {"incident_id": "%s", "verdict": "reproduced", "failed_attempts": 2, "attempts": [
                    {"attempt": 1, "exit_code": 127, "timed_out": false},
                    {"attempt": 2, "exit_code": 127, "timed_out": false}]}]}""".formatted(id));
        Path report = tmp.resolve("refused.json");

        CliRunner.Result result = CliRunner.run("--input", run.toString(), "--replays", summary.toString(),
                "--ledger", ledger, "--output", report.toString());

        assertEquals(1, result.exitCode(), result.err());
        assertThat(JSON.readTree(CliRunner.run("ledger", "runs", "--json", "--ledger", ledger).assertOk().out()))
                .as("only the first run is recorded").hasSize(1);
        assertThat(result.err()).isEqualTo(summary + ":3:33: incidents[0].attempts[0] exited 127 (the shell's"
                + " \"not found\") and the summary does not say whether it ran (no not_runnable): made by an older"
                + " triage-rules; replay again\n");
        assertFalse(Files.exists(report));
    }

    @Test
    void aFileThatIsNoReplaySummaryIsRefused() throws IOException {
        Path run = log("one.jsonl", entry(1, 11, "rank_mismatch", 100));
        Path bogus = log("bogus.json", "{\"schema_version\": \"ft-crash-triage-v1\"}");
        CliRunner.Result result = CliRunner.run("--input", run.toString(), "--replays", bogus.toString(),
                "--output", "-");
        assertEquals(1, result.exitCode());
        assertTrue(result.err().startsWith(bogus + ": not a replay summary"), result.err());
    }

    /**
     * Before: the last "exit_code" counted, so a failing attempt given a second exit_code 0
     * read as a pass (html --replays refused the same file), and a second summary after the
     * first was never read.
     */
    @Test
    void aSummaryWithAKeyGivenTwiceOrTextAfterItIsRefusedAndNoReportWritten() throws IOException {
        Path run = log("one.jsonl", entry(1, 11, "rank_mismatch", 100));
        String id = byScenario(triage("--input", run.toString(), "--history")).get("case_1").get("incident_id")
                .asText();
        String summary = """
                {"schema_version": "triage-rules-replay-summary-v1", "incidents": [
                  {"incident_id": "%s", "verdict": "reproduced", "attempts": [
                    {"attempt": 1, "exit_code": 101, "exit_code": 0}]}]}
                """.formatted(id);
        Path twice = log("twice.json", summary);
        Path trailing = log("trailing.json", summary.replace("\"exit_code\": 0", "\"timed_out\": false"), "{}");
        Path report = tmp.resolve("refused.json");

        CliRunner.Result duplicate = CliRunner.run("--input", run.toString(), "--replays", twice.toString(),
                "--output", report.toString());
        CliRunner.Result after = CliRunner.run("--input", run.toString(), "--replays", trailing.toString(),
                "--output", report.toString());

        assertEquals(1, duplicate.exitCode(), duplicate.err());
        assertThat(duplicate.err()).startsWith(twice + ":3:49: not a replay summary: Duplicate field 'exit_code'\n");
        assertEquals(1, after.exitCode(), after.err());
        assertThat(after.err()).startsWith(trailing + ":5:1: not a replay summary: text after the summary's JSON"
                + " value\n");
        assertFalse(Files.exists(report));
    }

    @Test
    void oneInputWithoutReplaysKeepsTodaysReportUnlessHistoryIsAskedFor() throws IOException {
        Path run = log("one.jsonl", entry(1, 11, "rank_mismatch", 100), entry(1, 11, null, 101),
                entry(2, 21, "stride_overflow", 102));
        JsonNode plain = triage("--input", run.toString());
        assertNull(plain.get("incidents").get(0).get("determinism"));
        assertNull(plain.get("determinism_counts"));
        assertNull(plain.get("inputs"));

        JsonNode judged = triage("--input", run.toString(), "--history");
        JsonNode sameSeed = byScenario(judged).get("case_1").get("determinism");
        assertEquals("flaky", sameSeed.get("verdict").asText());
        assertTrue(sameSeed.get("same_seed_mixed").asBoolean());
        assertEquals("passed and failed with the same seed 11 and env fingerprint det64:1a5adcb7cc17c7fa:"
                + " the strongest evidence of a flake", sameSeed.get("evidence").get(0).asText());
        assertEquals("insufficient_evidence",
                byScenario(judged).get("case_2").get("determinism").get("verdict").asText());
    }

    @Test
    void theDeterminismKeysComeAfterEveryUpstreamKey() throws IOException {
        List<Path> runs = twoRuns(tmp.resolve("logs"));
        Path report = tmp.resolve("layout.json");
        CliRunner.Result result = CliRunner.run("--input", tmp.resolve("logs").toString(), "--output",
                report.toString(), "-q");
        assertEquals(0, result.exitCode(), result.err());
        List<String> incidentKeys = new ArrayList<>();
        JSON.readTree(report.toFile()).get("incidents").get(0).fieldNames().forEachRemaining(incidentKeys::add);
        assertEquals(List.of("escalation", "first_seen_input", "determinism", "gating_excluded",
                "gating_exclusion_reason"), incidentKeys.subList(incidentKeys.size() - 5, incidentKeys.size()));
        List<String> reportKeys = new ArrayList<>();
        JSON.readTree(report.toFile()).fieldNames().forEachRemaining(reportKeys::add);
        assertEquals(List.of("triage_rules", "inputs", "determinism_counts", "gating_excluded_incidents",
                "infra_suspect_runs"), reportKeys.subList(reportKeys.size() - 5, reportKeys.size()));
        assertEquals(2, runs.size());
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
