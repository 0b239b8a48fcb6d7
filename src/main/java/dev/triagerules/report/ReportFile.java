package dev.triagerules.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.triagerules.base.ExactJson;
import dev.triagerules.base.Unsigned128;
import dev.triagerules.base.Unsigned64;
import dev.triagerules.base.UserError;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@code ft-crash-triage-v1} report (as {@link JsonReportWriter} writes it) read back:
 * the one reader of reports for replay, the closure gate and tickets. Strict about the
 * file (missing, not JSON, not a report, incidents not an array of objects: {@link
 * UserError}); lenient about each incident, whose keys are kept as found (see {@link
 * ReportedIncident}) for each command to check what it needs. Unknown keys are ignored,
 * so later report additions break no reader.
 *
 * @param path         the file read, for messages
 * @param inputLogPath the report's {@code input_log_path}; null when missing or null
 * @param incidents    in report order (most severe first)
 */
public record ReportFile(Path path, String inputLogPath, List<ReportedIncident> incidents) {

    public ReportFile {
        incidents = List.copyOf(incidents);
    }

    public static ReportFile read(Path report) {
        JsonNode root;
        try {
            root = ExactJson.MAPPER.readTree(report.toFile());
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
        List<ReportedIncident> read = new ArrayList<>();
        for (int i = 0; i < incidents.size(); i++) {
            JsonNode node = incidents.get(i);
            if (!node.isObject()) {
                throw new UserError(report + ": incidents[" + i + "] is not an object");
            }
            read.add(new IncidentReader(node).read(i));
        }
        return new ReportFile(report, root.path("input_log_path").asText(null), read);
    }

    /** Reads one incident object, noting each key whose value has the wrong type. */
    private static final class IncidentReader {
        private final JsonNode incident;
        private final Map<String, ReportedIncident.Problem> problems = new LinkedHashMap<>();

        IncidentReader(JsonNode incident) {
            this.incident = incident;
        }

        ReportedIncident read(int index) {
            return new ReportedIncident(index,
                    text(incident, "incident_id", ""),
                    text(incident, "class", ""),
                    text(incident, "severity", ""),
                    text(incident, "owner_hint", ""),
                    text(incident, "packet_id", ""),
                    text(incident, "suite_id", ""),
                    text(incident, "scenario_id", ""),
                    text(incident, "mode", ""),
                    text(incident, "reason_code", ""),
                    text(incident, "replay_command", ""),
                    strings(incident, "artifact_refs", ""),
                    seed(),
                    text(incident, "env_fingerprint", ""),
                    unsigned("occurrences", Unsigned64.MAX),
                    // A timestamp is unsigned 128-bit, as upstream reads ts_unix_ms.
                    unsigned("last_seen_unix_ms", Unsigned128.MAX),
                    text(incident, "rule", ""),
                    text(incident, "fixture_id", ""),
                    firstSeenLine(),
                    escalation(),
                    determinismVerdict(),
                    problems);
        }

        private ReportedIncident.Escalation escalation() {
            JsonNode node = incident.get("escalation");
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isObject()) {
                problems.put("escalation", new ReportedIncident.Problem("must be an object or null", node));
                return null;
            }
            return new ReportedIncident.Escalation(
                    node.path("escalate_immediately").asBoolean(false),
                    text(node, "linked_bead_id", "escalation."),
                    strings(node, "artifact_paths", "escalation."),
                    node.path("replay_transcript_required").asBoolean(false));
        }

        /** The optional {@code determinism: {verdict: ...}} of replayed incidents. */
        private String determinismVerdict() {
            JsonNode determinism = incident.get("determinism");
            if (determinism == null || !determinism.isObject()) {
                return null;
            }
            String verdict = text(determinism, "verdict", "determinism.");
            return verdict == null || verdict.isBlank() ? null : verdict;
        }

        /** Numbers as exact decimal text; strings (some writers quote big numbers) as they are. */
        private String seed() {
            JsonNode value = incident.get("seed");
            if (value == null || value.isNull()) {
                return null;
            }
            unsigned("seed", Unsigned64.MAX);
            if (value.isIntegralNumber()) {
                return value.bigIntegerValue().toString();
            }
            return value.isTextual() ? value.asText() : value.toString();
        }

        /** A whole number from 0 to {@code max}, written as a JSON number or as decimal text. */
        private BigInteger unsigned(String key, BigInteger max) {
            JsonNode value = incident.get(key);
            if (value == null || value.isNull()) {
                return null;
            }
            BigInteger number;
            if (value.isIntegralNumber()) {
                number = value.bigIntegerValue();
            } else if (value.isTextual() && value.asText().matches("[0-9]{1,40}")) {
                number = new BigInteger(value.asText());
            } else {
                problems.put(key, new ReportedIncident.Problem("must be a whole number, got " + value, value));
                return null;
            }
            if (number.signum() < 0 || number.compareTo(max) > 0) {
                problems.put(key, new ReportedIncident.Problem("is outside 0.." + max + ": " + number, value));
                return null;
            }
            return number;
        }

        private Long firstSeenLine() {
            JsonNode value = incident.get("first_seen_line");
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                problems.put("first_seen_line",
                        new ReportedIncident.Problem("must be a whole number, got " + value, value));
                return null;
            }
            return value.longValue();
        }

        /** A string value; null when missing, null or not a string. */
        private String text(JsonNode node, String key, String prefix) {
            JsonNode value = node.get(key);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isTextual()) {
                problems.put(prefix + key, new ReportedIncident.Problem("must be a string", value));
                return null;
            }
            return value.asText();
        }

        /** An array of strings; null when missing, null or anything else. */
        private List<String> strings(JsonNode node, String key, String prefix) {
            JsonNode value = node.get(key);
            if (value == null || value.isNull()) {
                return null;
            }
            List<String> strings = new ArrayList<>();
            if (value.isArray()) {
                for (JsonNode element : value) {
                    if (!element.isTextual()) {
                        strings = null;
                        break;
                    }
                    strings.add(element.asText());
                }
            }
            if (!value.isArray() || strings == null) {
                problems.put(prefix + key, new ReportedIncident.Problem("must be an array of strings", value));
                return null;
            }
            return strings;
        }
    }
}
