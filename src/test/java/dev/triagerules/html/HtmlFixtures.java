package dev.triagerules.html;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triagerules.report.ReportFile;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reports for the HTML tests, shaped like the tool's own (every key the report writer
 * writes, values as long as in the golden upstream reports), made deterministically.
 */
final class HtmlFixtures {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String XSS_REASON = "<img src=x onerror=alert(1)>";
    static final String XSS_OWNER = "\"><script>alert(2)</script>";
    static final String XSS_COMMAND = "echo '</script><script>alert(3)</script>' && cargo test";
    static final List<String> SEVERITIES = List.of("critical", "high", "medium", "low");
    static final List<String> CLASSES = List.of("autograd_state", "dispatch_routing", "serialization_parser",
            "oracle_infra", "tensor_meta_state", "unclassified");
    static final List<String> OWNERS = List.of("ft-autograd-owners", "ft-dispatch-owners",
            "ft-serialize-and-durability-owners", "ft-conformance-infra-owners", "ft-core-owners",
            "crash-triage-owner");
    static final List<String> REASONS = List.of("dependency_cycle_detected", "dispatch_key_mismatch",
            "checkpoint_version_unsupported", "legacy_oracle_unavailable", "stride_overflow", "parity_drift");

    private HtmlFixtures() {
    }

    /** A report with {@code count} incidents, with flaky verdicts when {@code judged}, lifecycles when {@code ledger}. */
    static ObjectNode report(int count, boolean judged, boolean ledger) {
        ObjectNode report = JSON.createObjectNode();
        report.put("schema_version", "ft-crash-triage-v1");
        report.put("generated_unix_ms", 1771275700000L);
        report.put("input_log_path", "artifacts/e2e_matrix_full_v1.jsonl");
        report.putNull("packet_filter");
        report.put("total_entries", count * 12L);
        report.put("failed_entries", count * 2L);
        ObjectNode classCounts = report.putObject("class_counts");
        ArrayNode incidents = report.putArray("incidents");
        for (int i = 0; i < count; i++) {
            incidents.add(incident(i, judged, ledger));
        }
        for (String crashClass : CLASSES.stream().sorted().toList()) {
            classCounts.put(crashClass, count / 3);
        }
        report.put("incident_count", count);
        ObjectNode severityCounts = report.putObject("severity_counts");
        SEVERITIES.forEach(s -> severityCounts.put(s, count / 2));
        report.put("escalated_incidents", count / 6);
        report.put("invalid_lines", 0);
        ObjectNode provenance = report.putObject("triage_rules");
        provenance.put("version", "0.1.0");
        digest(provenance.putObject("rules"), "rules", "routing.drl");
        digest(provenance.putObject("policy"), "policy", "classes.yaml");
        if (ledger) {
            report.putArray("resolved_incidents").add("triage64:00000000000000aa").add("triage64:00000000000000bb");
        }
        return report;
    }

    private static void digest(ObjectNode node, String path, String file) {
        node.put("path", path);
        node.put("sha256", "9f".repeat(32));
        ObjectNode entry = node.putArray("files").addObject();
        entry.put("path", file);
        entry.put("sha256", "3c".repeat(32));
    }

    static ObjectNode incident(int i, boolean judged, boolean ledger) {
        ObjectNode incident = JSON.createObjectNode();
        int c = i % CLASSES.size();
        String packet = String.format(Locale.ROOT, "FT-P2C-%03d", 1 + i % 8);
        String scenario = "dispatch_key/strict:case_" + i;
        String severity = SEVERITIES.get(i % 7 % SEVERITIES.size());
        incident.put("incident_id", String.format(Locale.ROOT, "triage64:%016x", 0x9e3779b97f4a7c15L * (i + 1)));
        incident.put("class", CLASSES.get(c));
        incident.put("severity", severity);
        incident.put("owner_hint", OWNERS.get(c));
        incident.put("packet_id", packet);
        incident.put("suite_id", "dispatch_key");
        incident.put("scenario_id", scenario);
        incident.put("mode", i % 2 == 0 ? "strict" : "hardened");
        incident.put("reason_code", REASONS.get(i % REASONS.size()));
        incident.put("replay_command", "cargo run -p ft-conformance --bin run_e2e_matrix -- --mode strict --packet "
                + packet + " --scenario " + scenario);
        incident.putArray("artifact_refs")
                .add("crates/ft-conformance/fixtures/dispatch_key_cases.json")
                .add("artifacts/phase2c/" + packet + "/parity_report.json")
                .add("artifacts/phase2c/" + packet + "/contract_table.md");
        incident.put("seed", new BigInteger("13087268272494444008").add(BigInteger.valueOf(i)));
        incident.put("env_fingerprint", "det64:1a5adcb7cc17c7fa");
        incident.put("occurrences", 1 + i % 5);
        incident.put("last_seen_unix_ms", 1771275657409L + i * 1000L);
        incident.put("rule", CLASSES.get(c));
        incident.put("fixture_id", "dispatch_key_cases.json");
        incident.put("first_seen_line", 10 + i * 7);
        if (i % 6 == 0) {
            ObjectNode escalation = incident.putObject("escalation");
            escalation.put("escalate_immediately", true);
            escalation.put("linked_bead_id", "bd-3v0.7");
            escalation.putArray("artifact_paths").add("crates/ft-conformance/fixtures/dispatch_key_cases.json")
                    .add("artifacts/e2e_matrix_full_v1.jsonl");
            escalation.put("replay_transcript_required", true);
        } else {
            incident.putNull("escalation");
        }
        if (judged) {
            boolean flaky = i % 4 == 0;
            incident.put("first_seen_input", "runs/run-" + (i % 3) + ".jsonl");
            ObjectNode d = incident.putObject("determinism");
            d.put("verdict", flaky ? "flaky" : "deterministic");
            d.put("runs", 3);
            d.put("passing_runs", flaky ? 1 : 0);
            d.put("failing_runs", flaky ? 1 : 3);
            d.put("mixed_runs", flaky ? 1 : 0);
            d.put("passes", flaky ? 2 : 0);
            d.put("failures", flaky ? 2 : 3);
            d.put("flake_rate", flaky ? new java.math.BigDecimal("0.5") : new java.math.BigDecimal("0"));
            d.put("same_seed_mixed", flaky);
            d.putArray("reason_codes").add(REASONS.get(i % REASONS.size()));
            d.put("infra_excluded_runs", 0);
            d.putNull("replay");
            d.put("rule", flaky ? "flaky_mixed_runs" : "deterministic_every_run");
            d.putArray("evidence").add(flaky ? "passed in 1 of 3 runs" : "failed in every run");
            d.putArray("labels").add(flaky ? "flaky" : "deterministic");
            incident.put("gating_excluded", flaky);
            if (flaky) {
                incident.put("gating_exclusion_reason", "flaky");
            } else {
                incident.putNull("gating_exclusion_reason");
            }
        }
        if (ledger) {
            ObjectNode lifecycle = incident.putObject("lifecycle");
            lifecycle.put("status", List.of("new", "recurring", "regressed").get(i % 3));
            lifecycle.put("first_seen_unix_ms", 1771000000000L + i);
            lifecycle.put("runs_seen", 1 + i % 9);
            lifecycle.put("last_seen_unix_ms", 1771275657409L + i * 1000L);
        }
        return incident;
    }

    /** Puts markup where logs put text: a reason code, an owner and a replay command. */
    static ObjectNode hostile(ObjectNode incident) {
        incident.put("reason_code", XSS_REASON);
        incident.put("owner_hint", XSS_OWNER);
        incident.put("replay_command", XSS_COMMAND);
        incident.put("scenario_id", "a&b <b>bold</b> ' \" `");
        return incident;
    }

    static ReportFile write(ObjectNode report, Path file) throws IOException {
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        return ReportFile.read(file);
    }

    /**
     * A replay summary in {@code dir} for one incident, as {@code triage-rules replay} lays it out:
     * {@code replay-summary.json} and the transcript {@code <incident>/attempt-1.json}, whose output
     * carries markup.
     */
    static Path replaySummary(Path dir, String incidentId) throws IOException {
        String folder = dev.triagerules.replay.TranscriptStore.folderName(incidentId);
        Files.createDirectories(dir.resolve(folder));
        ObjectNode transcript = JSON.createObjectNode();
        transcript.put("schema_version", "triage-rules-replay-transcript-v1");
        transcript.put("incident_id", incidentId);
        transcript.put("attempt", 1);
        transcript.put("output", "running case\n<script>alert(4)</script>\npanicked at 'dependency cycle'\n");
        Files.writeString(dir.resolve(folder).resolve("attempt-1.json"), JSON.writeValueAsString(transcript));
        ObjectNode summary = JSON.createObjectNode();
        summary.put("schema_version", "triage-rules-replay-summary-v1");
        summary.put("report", "triage.json");
        summary.put("generated_unix_ms", 1771275800000L);
        summary.put("complete", true);
        ObjectNode replayed = summary.putArray("incidents").addObject();
        replayed.put("incident_id", incidentId);
        replayed.put("verdict", "reproduced");
        replayed.put("failed_attempts", 1);
        ObjectNode attempt = replayed.putArray("attempts").addObject();
        attempt.put("attempt", 1);
        attempt.put("exit_code", 101);
        attempt.put("timed_out", false);
        attempt.put("duration_ms", 1520);
        attempt.put("transcript", "replay-transcripts/" + folder + "/attempt-1.json");
        summary.putArray("skipped");
        summary.putArray("unfinished");
        Path file = dir.resolve("replay-summary.json");
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
        return file;
    }

    /** Trends over five runs, built by hand. */
    static HtmlTrends trends() {
        List<HtmlTrends.Run> runs = List.of(
                new HtmlTrends.Run("nightly-101", 1770800000000L, new HtmlTrends.Counts(40, 40, 0, 0)),
                new HtmlTrends.Run("nightly-102", 1770886400000L, new HtmlTrends.Counts(46, 9, 3, 0)),
                new HtmlTrends.Run("nightly-103", 1770972800000L, new HtmlTrends.Counts(38, 2, 12, 2)),
                new HtmlTrends.Run("nightly-104", 1771059200000L, new HtmlTrends.Counts(41, 5, 4, 2)),
                new HtmlTrends.Run("nightly-105", 1771145600000L, new HtmlTrends.Counts(35, 1, 7, 0)));
        List<HtmlTrends.ClassTrend> classes = List.of(
                new HtmlTrends.ClassTrend("autograd_state", List.of(counts(10), counts(14), counts(9), counts(11),
                        counts(8))),
                new HtmlTrends.ClassTrend("oracle_infra", List.of(counts(30), counts(32), counts(29), counts(30),
                        counts(27))));
        HtmlTrends.IncidentTrend old = new HtmlTrends.IncidentTrend("triage64:019df45f4873f68e", "autograd_state",
                "critical", "ft-autograd-owners", "recurring", 1770800000000L, 1771145600000L, 5, 1770800000000L);
        HtmlTrends.IncidentTrend back = new HtmlTrends.IncidentTrend("triage64:7f3a00c0ffee0001", "oracle_infra",
                "high", XSS_OWNER, "regressed", 1770886400000L, 1771145600000L, 3, 1771059200000L);
        return new HtmlTrends(runs, classes, List.of(old, back), List.of(old, back),
                List.of(new HtmlTrends.FlakyScenario("FT-P2C-004", "dispatch_key", "dispatch_key/strict:case_7",
                        "strict", "det64:1a5adcb7cc17c7fa", 5, 2, 3, 1, true, 101)));
    }

    private static HtmlTrends.Counts counts(long open) {
        return new HtmlTrends.Counts(open, 1, 1, 0);
    }
}
