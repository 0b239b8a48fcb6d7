package dev.triagerules.tickets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triagerules.report.ReportFile;
import dev.triagerules.report.ReportedIncident;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Small ft-crash-triage-v1 reports for ticket tests. */
public final class TestReports {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Above Long.MAX_VALUE: must survive exactly. */
    static final String BIG_SEED = "18446744073709551557";

    private TestReports() {
    }

    /** An incident with the id {@code triage64:<hex16>} of {@code n}. */
    public static ObjectNode incident(int n, String severity, String owner, long occurrences, long lastSeen) {
        ObjectNode i = JSON.createObjectNode();
        i.put("incident_id", id(n));
        i.put("class", "critical".equals(severity) ? "autograd_state" : "dispatch_routing");
        i.put("severity", severity);
        i.put("owner_hint", owner);
        i.put("packet_id", "FT-P2C-00" + (n % 9));
        i.put("suite_id", "nn_state");
        i.put("scenario_id", "nn_state/strict:case_" + n);
        i.put("mode", "strict");
        i.put("reason_code", "reason_" + n);
        i.put("replay_command", "cargo test -p ft-conformance case_" + n + " -- --nocapture");
        i.putArray("artifact_refs").add("artifacts/phase2c/case_" + n + ".json");
        i.put("seed", new BigInteger(BIG_SEED));
        i.put("env_fingerprint", "det64:1a5adcb7cc17c7fa");
        i.put("occurrences", occurrences);
        i.put("last_seen_unix_ms", lastSeen);
        i.put("rule", i.get("class").asText());
        i.put("fixture_id", "nn_state_cases.json");
        i.put("first_seen_line", 10 + n);
        if ("critical".equals(severity)) {
            ObjectNode e = i.putObject("escalation");
            e.put("escalate_immediately", true);
            e.put("linked_bead_id", "bd-3v0.7");
            e.putArray("artifact_paths").add("artifacts/phase2c/case_" + n + ".json").add("e2e.jsonl");
            e.put("replay_transcript_required", true);
        } else {
            i.putNull("escalation");
        }
        return i;
    }

    public static String id(int n) {
        return String.format("triage64:%016x", 0x1000_0000_0000_0000L + n * 0x0101_0101_0101L);
    }

    public static Path write(Path file, List<ObjectNode> incidents) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema_version", "ft-crash-triage-v1");
        root.put("generated_unix_ms", 1_700_000_000_000L);
        root.put("input_log_path", "e2e.jsonl");
        ArrayNode array = root.putArray("incidents");
        incidents.forEach(array::add);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    public static List<ReportedIncident> read(Path file) {
        return TicketIncidents.requireComplete(ReportFile.read(file)).incidents();
    }
}
