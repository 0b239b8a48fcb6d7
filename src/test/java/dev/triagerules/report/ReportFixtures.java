package dev.triagerules.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Hand-made {@code ft-crash-triage-v1} reports for the tests of what reads reports (replay,
 * gate, tickets, the report reader): one shape of incident, made complete, for tests to
 * change what they test.
 */
public final class ReportFixtures {
    public static final ObjectMapper JSON = new ObjectMapper();
    /** The largest unsigned 64-bit seed, above Long.MAX_VALUE on purpose: it must survive exactly. */
    public static final String BIG_SEED = "18446744073709551615";

    private ReportFixtures() {
    }

    /** A report with no incidents; add them with {@link #incident(ObjectNode, String, String, String)}. */
    public static ObjectNode report() {
        ObjectNode report = JSON.createObjectNode();
        report.put("schema_version", TriageReport.SCHEMA_VERSION);
        report.put("generated_unix_ms", 1_700_000_000_000L);
        report.put("input_log_path", "e2e.jsonl");
        report.putArray("incidents");
        return report;
    }

    /**
     * Adds an incident for replay tests, running {@code command}, and returns it for
     * changes: packet FT-P2C-002, scenario dispatch_key/strict:case_1, class autograd_state
     * when critical (with an escalation that needs a transcript), else oracle_infra.
     */
    public static ObjectNode incident(ObjectNode report, String id, String severity, String command) {
        ObjectNode incident = incident(id, "critical".equals(severity) ? "autograd_state" : "oracle_infra", severity,
                "owners", "FT-P2C-002", "dispatch_key", "dispatch_key/strict:case_1", "boom", command,
                "artifacts/parity_report.json", "det64:00000000000000aa", 1);
        ((ArrayNode) report.get("incidents")).add(incident);
        return incident;
    }

    /**
     * Incident {@code n} for ticket tests: id {@link #id}, its own packet, scenario, reason and
     * cargo replay command; class autograd_state when critical, else dispatch_routing.
     */
    public static ObjectNode incident(int n, String severity, String owner, long occurrences, long lastSeenUnixMs) {
        String crashClass = "critical".equals(severity) ? "autograd_state" : "dispatch_routing";
        ObjectNode incident = incident(id(n), crashClass, severity, owner, "FT-P2C-00" + (n % 9), "nn_state",
                "nn_state/strict:case_" + n, "reason_" + n, "cargo test -p ft-conformance case_" + n + " -- --nocapture",
                "artifacts/phase2c/case_" + n + ".json", "det64:1a5adcb7cc17c7fa", occurrences);
        incident.put("last_seen_unix_ms", lastSeenUnixMs);
        incident.put("rule", crashClass);
        incident.put("fixture_id", "nn_state_cases.json");
        incident.put("first_seen_line", 10 + n);
        incident.set("escalation", incident.remove("escalation")); // last, as the writer puts it
        return incident;
    }

    /** The id {@code triage64:<hex16>} of incident {@code n}. */
    public static String id(int n) {
        return String.format("triage64:%016x", 0x1000_0000_0000_0000L + n * 0x0101_0101_0101L);
    }

    public static Path write(ObjectNode report, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** {@code FILE:LINE:COLUMN} of the first {@code text} in a report as {@link #write} wrote it. */
    public static String place(Path file, String text) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                int column = lines.get(i).indexOf(text);
                if (column >= 0) {
                    return file + ":" + (i + 1) + ":" + (column + 1);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError(text + " is not in " + file);
    }

    /** A report of these incidents. */
    public static Path write(Path file, List<ObjectNode> incidents) {
        ObjectNode report = report();
        incidents.forEach(((ArrayNode) report.get("incidents"))::add);
        return write(report, file);
    }

    /**
     * A report of {@code count} incidents made one at a time and written as they are made, for
     * reports bigger than a test would hold as one tree; {@code complete} false stops the file
     * right after the last incident, as a cut-off download would.
     */
    public static Path write(Path file, int count, IntFunction<ObjectNode> incident, boolean complete) {
        try (Writer out = Files.newBufferedWriter(file)) {
            out.write("{\"schema_version\": \"" + TriageReport.SCHEMA_VERSION + "\", \"incidents\": [\n");
            for (int n = 0; n < count; n++) {
                out.write((n == 0 ? "" : ",\n") + JSON.writeValueAsString(incident.apply(n)));
            }
            if (complete) {
                out.write("\n], \"incident_count\": " + count + "}\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static ObjectNode incident(String id, String crashClass, String severity, String owner, String packet,
            String suite, String scenario, String reason, String command, String artifact, String env,
            long occurrences) {
        ObjectNode incident = JSON.createObjectNode();
        incident.put("incident_id", id);
        incident.put("class", crashClass);
        incident.put("severity", severity);
        incident.put("owner_hint", owner);
        incident.put("packet_id", packet);
        incident.put("suite_id", suite);
        incident.put("scenario_id", scenario);
        incident.put("mode", "strict");
        incident.put("reason_code", reason);
        incident.put("replay_command", command);
        incident.putArray("artifact_refs").add(artifact);
        incident.put("seed", new BigInteger(BIG_SEED));
        incident.put("env_fingerprint", env);
        incident.put("occurrences", occurrences);
        if ("critical".equals(severity)) {
            ObjectNode escalation = incident.putObject("escalation");
            escalation.put("escalate_immediately", true);
            escalation.put("linked_bead_id", "bd-3v0.7");
            escalation.putArray("artifact_paths").add(artifact).add("e2e.jsonl");
            escalation.put("replay_transcript_required", true);
        } else {
            incident.putNull("escalation");
        }
        return incident;
    }
}
