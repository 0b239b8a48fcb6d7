package dev.triagerules.report;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.triagerules.base.ExactJson;
import dev.triagerules.base.Unsigned128;
import dev.triagerules.base.Unsigned64;
import dev.triagerules.base.UserError;
import dev.triagerules.base.VisibleText;
import dev.triagerules.engine.FileSetDigest;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An {@code ft-crash-triage-v1} report (as {@link JsonReportWriter} writes it) read back:
 * the one reader of reports for replay, the closure gate, tickets and the HTML report. Strict about the
 * file (missing, not JSON, not a report, incidents not an array of objects: {@link
 * UserError}); lenient about each incident, whose keys are kept as found (see {@link
 * ReportedIncident}) for each command to check what it needs, but for a seed written with
 * a leading zero ({@code "007"}), refused by every command at {@code FILE:LINE:COLUMN}
 * ({@link #leadingZero}). Unknown keys are ignored, so later report additions break no reader.
 *
 * @param path         the file read, for messages
 * @param inputLogPath the report's {@code input_log_path}; null when missing or null
 * @param incidents    in report order (most severe first)
 * @param header       the run around the incidents: counts, digests, tool version, ...
 */
public record ReportFile(Path path, String inputLogPath, List<ReportedIncident> incidents, ReportHeader header) {

    public ReportFile {
        incidents = List.copyOf(incidents);
    }

    /** The same report with other incidents (e.g. checked ones). */
    public ReportFile withIncidents(List<ReportedIncident> replaced) {
        return new ReportFile(path, inputLogPath, replaced, header);
    }

    public static ReportFile read(Path report) {
        JsonNode root;
        // Files.newInputStream says why it cannot open (FileInputStream said "not found" for all).
        if (Files.isDirectory(report)) {
            throw new UserError(report + ": is a folder, not a report file");
        }
        try (InputStream in = Files.newInputStream(report)) {
            root = ExactJson.MAPPER.readTree(in);
        } catch (NoSuchFileException e) {
            throw new UserError(report + ": report not found");
        } catch (AccessDeniedException e) {
            throw new UserError(report + ": cannot read: permission denied");
        } catch (JsonProcessingException e) {
            throw notJson(report, e);
        } catch (FileSystemException e) {
            throw new UserError(report + ": cannot read: " + (e.getReason() != null ? e.getReason() : e.getMessage()),
                    e);
        } catch (IOException e) {
            throw new UserError(report + ": cannot read: " + e.getMessage(), e);
        }
        // Read again only to place a refusal: the tree keeps no locations.
        return of(report, root, pointer -> place(report, () -> ExactJson.FACTORY.createParser(report.toFile()),
                pointer));
    }

    /**
     * Reads a report from the bytes {@link JsonReportWriter} just wrote (e.g. to stdout), so that
     * what is shown of it is what the JSON says, with no file to read back.
     *
     * @param name how messages and {@link #path()} name it, e.g. {@code -} for stdout
     */
    public static ReportFile read(Path name, byte[] json) {
        try {
            return of(name, ExactJson.MAPPER.readTree(json),
                    pointer -> place(name, () -> ExactJson.FACTORY.createParser(json), pointer));
        } catch (JsonProcessingException e) {
            throw notJson(name, e);
        } catch (IOException e) {
            throw new UserError(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static UserError notJson(Path report, JsonProcessingException e) {
        return new UserError(report + ": not a JSON report: " + e.getOriginalMessage()
                + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    }

    /** Where a value of the report is: {@code FILE:LINE:COLUMN} of the value at a JSON pointer. */
    @FunctionalInterface
    private interface Places {
        String of(String pointer);
    }

    /** Opens a parser over the report's text again. */
    @FunctionalInterface
    private interface Reopen {
        JsonParser open() throws IOException;
    }

    /**
     * {@code FILE:LINE:COLUMN} of the value at {@code pointer}, read from the text again,
     * skipping every value not on the way to it; the file alone when it cannot be found (the
     * file changed since it was read).
     */
    private static String place(Path file, Reopen text, String pointer) {
        try (JsonParser p = text.open()) {
            for (JsonToken token = p.nextToken(); token != null; token = p.nextToken()) {
                if (token == JsonToken.FIELD_NAME || token.isStructEnd()) {
                    continue;
                }
                String at = p.getParsingContext().pathAsPointer().toString();
                if (at.equals(pointer)) {
                    JsonLocation location = p.currentTokenLocation();
                    return file + ":" + location.getLineNr() + ":" + location.getColumnNr();
                }
                if (token.isStructStart() && !pointer.startsWith(at + "/")) {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            // Placed by the file alone: the message still says what is wrong.
        }
        return file.toString();
    }

    /**
     * Why a seed is refused, or null: a string of digits with a leading zero ({@code "007"},
     * {@code "00"}) whose number is an unsigned 64-bit integer. No report writer writes one
     * (a seed is a JSON number); replay would pass it as written, and what a program makes of
     * {@code TRIAGE_SEED=010} (a shell: octal 8) is its own, so it is not the seed it looks
     * like. Read as that number, tickets filed it as 7 and the page showed "007", while the
     * gate refused it; every command now refuses it with the gate's advice.
     */
    private static String leadingZero(JsonNode seed) {
        if (seed == null || !seed.isTextual() || !seed.asText().matches("0+[0-9]+")) {
            return null;
        }
        BigInteger number = new BigInteger(seed.asText());
        if (!Unsigned64.inRange(number)) {
            return null; // out of range: the seed's own problem, noted with the incident
        }
        String text = seed.asText();
        return "seed \"" + text + "\" has a leading zero, which no report writer writes (a seed is a JSON number):"
                + " replay would pass it as written (TRIAGE_SEED=" + text + "), and a program may read that otherwise"
                + " than " + number + " (a shell reads 010 as octal 8); write the seed as " + number
                + " and replay again";
    }

    private static ReportFile of(Path report, JsonNode root, Places places) {
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
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < incidents.size(); i++) {
            JsonNode node = incidents.get(i);
            if (!node.isObject()) {
                throw new UserError(report + ": incidents[" + i + "] is not an object");
            }
            String seedRefused = leadingZero(node.get("seed"));
            if (seedRefused != null) {
                JsonNode id = node.get("incident_id");
                throw new UserError(places.of("/incidents/" + i + "/seed") + ": incidents[" + i + "]"
                        + (id != null && id.isTextual() ? " (" + VisibleText.inMessage(id.asText()) + ")" : "") + ": "
                        + seedRefused);
            }
            ReportedIncident incident = new IncidentReader(node).read(i);
            // One incident, one entry: replays of two would share a folder and clear each
            // other's transcripts, tickets would file one twice.
            Integer earlier = incident.incidentId() == null ? null : positions.putIfAbsent(incident.incidentId(), i);
            if (earlier != null) {
                throw new UserError(report + ": incidents[" + i + "] repeats the incident_id of incidents[" + earlier
                        + "] (" + VisibleText.inMessage(incident.incidentId()) + "); a report lists each incident once");
            }
            read.add(incident);
        }
        return new ReportFile(report, root.path("input_log_path").asText(null), read, header(root));
    }

    /** The keys around the incidents; lenient: what is missing or of the wrong type is null. */
    private static ReportHeader header(JsonNode root) {
        JsonNode provenance = root.path("triage_rules");
        return new ReportHeader(
                Lenient.unsigned(root.get("generated_unix_ms")),
                Lenient.text(root.get("packet_filter")),
                Lenient.whole(root.get("total_entries")),
                Lenient.whole(root.get("failed_entries")),
                Lenient.counts(root.get("class_counts")),
                Lenient.whole(root.get("incident_count")),
                Lenient.counts(root.get("severity_counts")),
                Lenient.whole(root.get("escalated_incidents")),
                Lenient.whole(root.get("invalid_lines")),
                Lenient.whole(root.get("invalid_reports")),
                Lenient.text(root.get("quarantine_path")),
                Lenient.strings(root.get("inputs")),
                Lenient.text(provenance.get("version")),
                Lenient.digest(provenance.get("rules")),
                Lenient.digest(provenance.get("policy")),
                Lenient.counts(root.get("determinism_counts")),
                Lenient.whole(root.get("gating_excluded_incidents")),
                Lenient.strings(root.get("resolved_incidents")));
    }

    /** Values of optional keys: null when missing, null or of another type. */
    private static final class Lenient {
        private Lenient() {
        }

        static String text(JsonNode value) {
            return value != null && value.isTextual() ? value.asText() : null;
        }

        static Long whole(JsonNode value) {
            return value != null && value.isIntegralNumber() && value.canConvertToLong() ? value.longValue() : null;
        }

        static Boolean bool(JsonNode value) {
            return value != null && value.isBoolean() ? value.booleanValue() : null;
        }

        static BigInteger unsigned(JsonNode value) {
            if (value == null || !value.isIntegralNumber()) {
                return null;
            }
            BigInteger number = value.bigIntegerValue();
            return Unsigned64.inRange(number) ? number : null;
        }

        /** A number as written ({@code 0.25}); null when not a number. */
        static String decimal(JsonNode value) {
            return value != null && value.isNumber() ? value.decimalValue().toPlainString() : null;
        }

        static List<String> strings(JsonNode value) {
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
            return strings;
        }

        /** An object of whole numbers, in file order; keys with other values are left out. */
        static Map<String, Long> counts(JsonNode value) {
            if (value == null || !value.isObject()) {
                return null;
            }
            Map<String, Long> counts = new LinkedHashMap<>();
            value.fields().forEachRemaining(field -> {
                Long count = whole(field.getValue());
                if (count != null) {
                    counts.put(field.getKey(), count);
                }
            });
            return counts;
        }

        static FileSetDigest digest(JsonNode value) {
            if (value == null || !value.isObject()) {
                return null;
            }
            List<FileSetDigest.FileDigest> files = new ArrayList<>();
            for (JsonNode file : value.path("files")) {
                String path = text(file.get("path"));
                String sha256 = text(file.get("sha256"));
                if (path != null && sha256 != null) {
                    files.add(new FileSetDigest.FileDigest(path, sha256));
                }
            }
            return new FileSetDigest(text(value.get("path")), text(value.get("sha256")), files);
        }
    }

    private static final Set<String> LIFECYCLE_KEYS =
            Set.of("status", "first_seen_unix_ms", "last_seen_unix_ms", "runs_seen");

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
                    problems,
                    text(incident, "first_seen_input", ""),
                    determinism(),
                    lifecycle(),
                    text(incident, "masked_reason_code", ""),
                    text(incident, "first_seen_file", ""));
        }

        /** The optional {@code determinism} object in full; its values are read leniently. */
        private ReportedIncident.Determinism determinism() {
            JsonNode node = incident.get("determinism");
            if (node == null || !node.isObject()) {
                return null;
            }
            JsonNode replay = node.get("replay");
            ReportedIncident.ReplayCounts replayCounts = replay == null || !replay.isObject() ? null
                    : new ReportedIncident.ReplayCounts(Lenient.whole(replay.get("attempts")),
                            Lenient.whole(replay.get("passes")), Lenient.whole(replay.get("failures")),
                            Lenient.whole(replay.get("hung")), Lenient.strings(replay.get("verdicts")));
            JsonNode ledger = node.get("ledger");
            ReportedIncident.LedgerCounts ledgerCounts = ledger == null || !ledger.isObject() ? null
                    : new ReportedIncident.LedgerCounts(Lenient.whole(ledger.get("runs")),
                            Lenient.whole(ledger.get("passing_runs")), Lenient.whole(ledger.get("failing_runs")),
                            Lenient.whole(ledger.get("mixed_runs")));
            return new ReportedIncident.Determinism(
                    Lenient.text(node.get("verdict")),
                    Lenient.text(node.get("rule")),
                    Lenient.whole(node.get("runs")),
                    Lenient.whole(node.get("passing_runs")),
                    Lenient.whole(node.get("failing_runs")),
                    Lenient.whole(node.get("mixed_runs")),
                    Lenient.whole(node.get("passes")),
                    Lenient.whole(node.get("failures")),
                    Lenient.decimal(node.get("flake_rate")),
                    Lenient.bool(node.get("same_seed_mixed")),
                    Lenient.strings(node.get("reason_codes")),
                    Lenient.whole(node.get("infra_excluded_runs")),
                    replayCounts,
                    ledgerCounts,
                    Lenient.strings(node.get("evidence")),
                    Lenient.strings(node.get("labels")),
                    Lenient.bool(incident.get("gating_excluded")),
                    Lenient.text(incident.get("gating_exclusion_reason")));
        }

        /** The optional {@code lifecycle} object of a ledger; unknown scalar keys are kept as text. */
        private ReportedIncident.Lifecycle lifecycle() {
            JsonNode node = incident.get("lifecycle");
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isObject()) {
                problems.put("lifecycle", new ReportedIncident.Problem("must be an object or null", node));
                return null;
            }
            Map<String, String> others = new LinkedHashMap<>();
            node.fields().forEachRemaining(field -> {
                if (!LIFECYCLE_KEYS.contains(field.getKey()) && field.getValue().isValueNode()
                        && !field.getValue().isNull()) {
                    others.put(field.getKey(), field.getValue().asText());
                }
            });
            return new ReportedIncident.Lifecycle(
                    Lenient.text(node.get("status")),
                    Lenient.unsigned(node.get("first_seen_unix_ms")),
                    Lenient.unsigned(node.get("last_seen_unix_ms")),
                    Lenient.whole(node.get("runs_seen")),
                    others);
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
                    flag(node, "escalate_immediately", "escalation."),
                    text(node, "linked_bead_id", "escalation."),
                    strings(node, "artifact_paths", "escalation."),
                    flag(node, "replay_transcript_required", "escalation."));
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

        /** true or false; false when missing or null, and when of another type (named in the problems). */
        private boolean flag(JsonNode node, String key, String prefix) {
            JsonNode value = node.get(key);
            if (value == null || value.isNull()) {
                return false;
            }
            if (!value.isBoolean()) {
                problems.put(prefix + key, new ReportedIncident.Problem("must be true or false", value));
                return false;
            }
            return value.booleanValue();
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
