package dev.triagerules.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small hand-made ft-crash-triage-v1 reports for replay and gate tests. */
public final class ReportFixtures {
    public static final ObjectMapper JSON = new ObjectMapper();
    /** Above Long.MAX_VALUE on purpose: seeds are unsigned 64-bit. */
    public static final String BIG_SEED = "18446744073709551615";

    private ReportFixtures() {
    }

    /** A report with no incidents; add them with {@link #incident}. */
    public static ObjectNode report() {
        ObjectNode report = JSON.createObjectNode();
        report.put("schema_version", "ft-crash-triage-v1");
        report.putArray("incidents");
        return report;
    }

    /** Adds a complete incident (critical ones with a full escalation) and returns it for changes. */
    public static ObjectNode incident(ObjectNode report, String id, String severity, String command) {
        ArrayNode incidents = (ArrayNode) report.get("incidents");
        ObjectNode incident = incidents.addObject();
        incident.put("incident_id", id);
        incident.put("class", "critical".equals(severity) ? "autograd_state" : "oracle_infra");
        incident.put("severity", severity);
        incident.put("owner_hint", "owners");
        incident.put("packet_id", "FT-P2C-002");
        incident.put("suite_id", "dispatch_key");
        incident.put("scenario_id", "dispatch_key/strict:case_1");
        incident.put("mode", "strict");
        incident.put("reason_code", "boom");
        incident.put("replay_command", command);
        incident.putArray("artifact_refs").add("artifacts/parity_report.json");
        incident.put("seed", new BigInteger(BIG_SEED));
        incident.put("env_fingerprint", "det64:00000000000000aa");
        incident.put("occurrences", 1);
        if ("critical".equals(severity)) {
            ObjectNode escalation = incident.putObject("escalation");
            escalation.put("escalate_immediately", true);
            escalation.put("linked_bead_id", "bd-3v0.7");
            escalation.putArray("artifact_paths").add("artifacts/parity_report.json").add("e2e.jsonl");
            escalation.put("replay_transcript_required", true);
        } else {
            incident.putNull("escalation");
        }
        return incident;
    }

    public static Path write(ObjectNode report, Path file) throws IOException {
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        return file;
    }
}
