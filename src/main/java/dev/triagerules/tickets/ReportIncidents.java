package dev.triagerules.tickets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triagerules.UserError;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the incidents of an {@code ft-crash-triage-v1} report, in report order (most
 * severe first). Only the keys the tickets need are read; unknown keys are ignored so
 * that later report additions do not break ticketing.
 */
public final class ReportIncidents {
    public static final String SCHEMA_VERSION = "ft-crash-triage-v1";

    // Big integers must not pass through double: seeds and timestamps are unsigned 64-bit.
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final BigInteger MAX_U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** The report's header fields the markdown mentions, and its incidents. */
    public record Report(String inputLogPath, List<ReportIncident> incidents) {
    }

    private ReportIncidents() {
    }

    public static Report read(Path report) {
        JsonNode root;
        try {
            root = JSON.readTree(report.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new UserError(report + ": report not found");
        } catch (JsonProcessingException e) {
            throw new UserError(report + ": not a JSON report: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UserError(report + ": cannot read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new UserError(report + ": not a triage report (expected a JSON object)");
        }
        String schema = root.path("schema_version").asText(null);
        if (!SCHEMA_VERSION.equals(schema)) {
            throw new UserError(report + ": schema_version is " + (schema == null ? "missing" : "\"" + schema + "\"")
                    + ", expected \"" + SCHEMA_VERSION + "\" (a report written by triage-rules --output)");
        }
        JsonNode incidents = root.get("incidents");
        if (incidents == null || !incidents.isArray()) {
            throw new UserError(report + ": \"incidents\" must be an array");
        }
        List<ReportIncident> result = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < incidents.size(); i++) {
            ReportIncident incident = incident(new Where(report, i), incidents.get(i));
            if (!seen.add(incident.incidentId())) {
                throw new UserError(report + ": incident " + incident.incidentId() + " is listed twice");
            }
            result.add(incident);
        }
        return new Report(root.path("input_log_path").asText(null), List.copyOf(result));
    }

    /** Names the incident in messages: file, position and (once known) id. */
    private record Where(Path report, int index) {
        String describe(JsonNode incident) {
            JsonNode id = incident.get("incident_id");
            return report + ": incidents[" + index + "]" + (id != null && id.isTextual() ? " (" + id.asText() + ")" : "");
        }
    }

    private static ReportIncident incident(Where where, JsonNode node) {
        if (!node.isObject()) {
            throw new UserError(where.report() + ": incidents[" + where.index() + "] is not an object");
        }
        return new ReportIncident(
                text(where, node, "incident_id", true),
                text(where, node, "class", true),
                text(where, node, "severity", true),
                text(where, node, "owner_hint", true),
                text(where, node, "packet_id", false),
                text(where, node, "suite_id", false),
                text(where, node, "scenario_id", false),
                text(where, node, "mode", false),
                text(where, node, "reason_code", false),
                text(where, node, "replay_command", false),
                strings(where, node, "artifact_refs"),
                unsigned(where, node, "seed").map(BigInteger::toString).orElse(null),
                text(where, node, "env_fingerprint", false),
                unsigned(where, node, "occurrences").map(n -> n.min(BigInteger.valueOf(Long.MAX_VALUE)).longValue()).orElse(1L),
                unsigned(where, node, "last_seen_unix_ms").orElse(BigInteger.ZERO),
                text(where, node, "rule", false),
                text(where, node, "fixture_id", false),
                escalation(where, node),
                flakeVerdict(where, node));
    }

    private static ReportIncident.Escalation escalation(Where where, JsonNode incident) {
        JsonNode node = incident.get("escalation");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new UserError(where.describe(incident) + ": \"escalation\" must be an object or null");
        }
        return new ReportIncident.Escalation(
                node.path("escalate_immediately").asBoolean(false),
                text(where, node, "linked_bead_id", false),
                strings(where, node, "artifact_paths"),
                node.path("replay_transcript_required").asBoolean(false));
    }

    /** The optional {@code determinism: {verdict: ...}} added by the replay feature. */
    private static String flakeVerdict(Where where, JsonNode incident) {
        JsonNode determinism = incident.get("determinism");
        if (determinism == null || determinism.isNull() || !determinism.isObject()) {
            return null;
        }
        String verdict = text(where, determinism, "verdict", false);
        return verdict == null || verdict.isBlank() ? null : verdict;
    }

    private static String text(Where where, JsonNode node, String field, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new UserError(where.describe(node) + ": \"" + field + "\" is missing");
            }
            return null;
        }
        if (!value.isValueNode()) {
            throw new UserError(where.describe(node) + ": \"" + field + "\" must be a string");
        }
        String text = value.asText();
        if (required && text.isBlank()) {
            throw new UserError(where.describe(node) + ": \"" + field + "\" is empty");
        }
        return text;
    }

    private static List<String> strings(Where where, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new UserError(where.describe(node) + ": \"" + field + "\" must be an array of strings");
        }
        List<String> result = new ArrayList<>();
        value.forEach(item -> result.add(item.asText()));
        return result;
    }

    /** An unsigned 64-bit integer, written as a JSON number or as decimal text. */
    private static java.util.Optional<BigInteger> unsigned(Where where, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return java.util.Optional.empty();
        }
        BigInteger number;
        if (value.isIntegralNumber()) {
            number = value.bigIntegerValue();
        } else if (value.isTextual() && value.asText().matches("[0-9]{1,20}")) {
            number = new BigInteger(value.asText());
        } else {
            throw new UserError(where.describe(node) + ": \"" + field + "\" must be a whole number, got " + value);
        }
        if (number.signum() < 0 || number.compareTo(MAX_U64) > 0) {
            throw new UserError(where.describe(node) + ": \"" + field + "\" is outside 0.." + MAX_U64 + ": " + number);
        }
        return java.util.Optional.of(number);
    }
}
