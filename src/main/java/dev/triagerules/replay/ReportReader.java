package dev.triagerules.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triagerules.UserError;
import dev.triagerules.report.TriageReport;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the incidents out of an {@code ft-crash-triage-v1} report, in report order. It is
 * lenient about the incidents themselves (missing keys become null, for the gate to
 * report) and strict about the file (not JSON, not a report: {@link UserError}).
 */
public final class ReportReader {
    // Seeds are unsigned 64-bit: whole numbers must not pass through long or double.
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private ReportReader() {
    }

    public static List<ReportIncident> read(Path report) {
        JsonNode root;
        try {
            root = JSON.readTree(report.toFile());
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new UserError(report + ": report not found");
        } catch (JsonProcessingException e) {
            throw new UserError(report + ": not a JSON report: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new UserError(report + ": cannot read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new UserError(report + ": not a triage report (expected a JSON object)");
        }
        String schema = root.path("schema_version").asText(null);
        if (!TriageReport.SCHEMA_VERSION.equals(schema)) {
            throw new UserError(report + ": schema_version is " + (schema == null ? "missing" : "\"" + schema + "\"")
                    + ", expected \"" + TriageReport.SCHEMA_VERSION + "\" (a report written by triage-rules --output)");
        }
        JsonNode incidents = root.get("incidents");
        if (incidents == null || !incidents.isArray()) {
            throw new UserError(report + ": \"incidents\" must be an array");
        }
        List<ReportIncident> read = new ArrayList<>();
        for (int i = 0; i < incidents.size(); i++) {
            JsonNode node = incidents.get(i);
            if (!node.isObject()) {
                throw new UserError(report + ": incidents[" + i + "] is not an object");
            }
            read.add(incident(i, node));
        }
        return read;
    }

    private static ReportIncident incident(int index, JsonNode node) {
        JsonNode escalation = node.get("escalation");
        ReportIncident.Escalation readEscalation = escalation == null || !escalation.isObject() ? null
                : new ReportIncident.Escalation(
                        escalation.path("escalate_immediately").asBoolean(false),
                        text(escalation, "linked_bead_id"),
                        strings(escalation, "artifact_paths"),
                        escalation.path("replay_transcript_required").asBoolean(false));
        return new ReportIncident(index, text(node, "incident_id"), text(node, "class"), text(node, "severity"),
                text(node, "packet_id"), text(node, "suite_id"), text(node, "scenario_id"), text(node, "mode"),
                text(node, "replay_command"), strings(node, "artifact_refs"), seed(node.get("seed")),
                text(node, "env_fingerprint"), readEscalation);
    }

    /** A string value; null when missing, null or not a string. */
    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static List<String> strings(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || !value.isArray()) {
            return null;
        }
        List<String> strings = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                return null;
            }
            strings.add(element.asText());
        }
        return List.copyOf(strings);
    }

    /** Numbers as exact decimal text; strings (some writers quote big numbers) as they are. */
    private static String seed(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        return value.isTextual() ? value.asText() : value.toString();
    }
}
