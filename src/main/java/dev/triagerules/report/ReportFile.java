package dev.triagerules.report;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An {@code ft-crash-triage-v1} report (as {@link JsonReportWriter} writes it) read back:
 * the one reader of reports for replay, the closure gate, tickets and the HTML report. Strict about the
 * file (missing, not JSON, not a report, incidents not an array of objects: {@link
 * UserError}); lenient about each incident, whose keys are kept as found (see {@link
 * ReportedIncident}) for each command to check what it needs, but for a seed written with
 * a leading zero ({@code "007"}), refused by every command at {@code FILE:LINE:COLUMN}
 * ({@link #leadingZero}). Unknown keys are ignored, so later report additions break no reader.
 *
 * <p>Read as a stream ({@link #stream}): the keys around the incidents with the streaming
 * parser, the incidents one JSON tree at a time, each turned into its {@link ReportedIncident}
 * and its tree dropped. Reports come from elsewhere (CI artifacts): a command that needs each
 * incident once (the gate, {@code --baseline}) takes them as they come, in memory that grows
 * with their ids only; {@link #read} keeps them all and so keeps at most {@link #MAX_INCIDENTS}.
 *
 * @param path         the file read, for messages
 * @param inputLogPath the report's {@code input_log_path}; null when missing or null
 * @param incidents    in report order (most severe first)
 * @param header       the run around the incidents: counts, digests, tool version, ...
 */
public record ReportFile(Path path, String inputLogPath, List<ReportedIncident> incidents, ReportHeader header) {

    /**
     * The most incidents {@link #read} keeps, for the commands that hold a whole report (html,
     * tickets, replay): a page or a set of tickets of more is of no use to people, and a
     * report of millions of incidents made {@code html} fill a 6 GB heap and stall in garbage
     * collection instead of failing. Reading stops at the first incident over it, with a
     * {@link UserError} that says so (see docs/security.md).
     */
    public static final int MAX_INCIDENTS = 100_000;

    /**
     * A report read to its end by {@link #stream}: everything but the incidents, which went to its consumer.
     *
     * @param inputLogPath  the report's {@code input_log_path}; null when missing or null
     * @param incidentCount how many incidents the report has
     */
    public record Streamed(Path path, String inputLogPath, ReportHeader header, int incidentCount) {
    }

    public ReportFile {
        incidents = List.copyOf(incidents);
    }

    /** The same report with other incidents (e.g. checked ones). */
    public ReportFile withIncidents(List<ReportedIncident> replaced) {
        return new ReportFile(path, inputLogPath, replaced, header);
    }

    /** The whole report; a {@link UserError} when it has more than {@link #MAX_INCIDENTS} incidents. */
    public static ReportFile read(Path report) {
        return read(report, incident -> true);
    }

    /**
     * The report with only the incidents {@code keep} accepts (in report order), of which there may be at most
     * {@link #MAX_INCIDENTS}; the others are read, checked and dropped.
     */
    public static ReportFile read(Path report, Predicate<ReportedIncident> keep) {
        Kept kept = new Kept(report, keep);
        return kept.file(stream(report, kept));
    }

    /**
     * Reads a report from the bytes {@link JsonReportWriter} just wrote (e.g. to stdout), so that
     * what is shown of it is what the JSON says, with no file to read back.
     *
     * @param name how messages and {@link #path()} name it, e.g. {@code -} for stdout
     */
    public static ReportFile read(Path name, byte[] json) {
        Kept kept = new Kept(name, incident -> true);
        try (JsonParser parser = ExactJson.FACTORY.createParser(json)) {
            return kept.file(new StreamReader(name, parser, kept, () -> ExactJson.FACTORY.createParser(json)).read());
        } catch (JsonProcessingException e) {
            throw notJson(name, e);
        } catch (IOException e) {
            throw new UserError(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a report as a stream, handing each incident to {@code each} in report order as it is read.
     * The file is checked as {@link #read} checks it, but to its end only after the incidents: a
     * consumer gathers what it needs and acts only once this returns (a {@link UserError} may still
     * come after some incidents, e.g. for a repeated id or broken JSON further on, and after one no
     * more incidents come). A {@link UserError} thrown by {@code each} ends the reading.
     */
    public static Streamed stream(Path report, Consumer<ReportedIncident> each) {
        // Files.newInputStream says why it cannot open (FileInputStream said "not found" for all).
        if (Files.isDirectory(report)) {
            throw new UserError(report + ": is a folder, not a report file");
        }
        try (InputStream in = Files.newInputStream(report);
                JsonParser parser = ExactJson.FACTORY.createParser(in)) {
            return new StreamReader(report, parser, each, () -> ExactJson.FACTORY.createParser(report.toFile()))
                    .read();
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
    }

    private static UserError notJson(Path report, JsonProcessingException e) {
        return new UserError(report + ": not a JSON report: " + e.getOriginalMessage()
                + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
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

    /** The incidents {@link #read} keeps, up to {@link #MAX_INCIDENTS}. */
    private static final class Kept implements Consumer<ReportedIncident> {
        private final Path report;
        private final Predicate<ReportedIncident> keep;
        private final List<ReportedIncident> incidents = new ArrayList<>();

        Kept(Path report, Predicate<ReportedIncident> keep) {
            this.report = report;
            this.keep = keep;
        }

        @Override
        public void accept(ReportedIncident incident) {
            if (!keep.test(incident)) {
                return;
            }
            if (incidents.size() == MAX_INCIDENTS) {
                // Said at once: reading on would cost time and memory for a page that cannot be made.
                throw new UserError(report + ": more than " + MAX_INCIDENTS + " incidents (incidents["
                        + incident.index() + "] is one too many): html, tickets and replay read at most "
                        + MAX_INCIDENTS + " from one report, as they keep every one in memory; triage fewer logs"
                        + " per report (e.g. one packet at a time: --packet), or replay a part (--incident,"
                        + " --severity, --class); gate and --baseline read reports of any size");
            }
            incidents.add(incident);
        }

        ReportFile file(Streamed read) {
            return new ReportFile(report, read.inputLogPath(), incidents, read.header());
        }
    }

    /**
     * One pass over a report. Its own errors (no object, a wrong schema_version, no incidents array, an incident
     * that is no object or repeats an id) wait for the end of the file, so that broken JSON anywhere is reported
     * first, and each is reported in that order, as when the report was read whole into one tree.
     */
    private static final class StreamReader {
        /** Incidents are read as trees with the numbers exact; what follows one is the next incident. */
        private static final ObjectReader TREES =
                ExactJson.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        /** The keys around the incidents that are read; others are skipped unread, however big. */
        private static final Set<String> HEADER_KEYS = Set.of("schema_version", "input_log_path",
                "generated_unix_ms", "packet_filter", "total_entries", "failed_entries", "class_counts",
                "incident_count", "severity_counts", "escalated_incidents", "invalid_lines", "invalid_reports",
                "quarantine_path", "inputs", "triage_rules", "determinism_counts", "gating_excluded_incidents",
                "resolved_incidents");

        private final Path report;
        private final JsonParser parser;
        private final Consumer<ReportedIncident> each;
        private final Reopen text;
        private final ObjectNode root = JsonNodeFactory.instance.objectNode();
        private final Map<String, Integer> positions = new HashMap<>();
        private boolean incidentsArray;
        private String incidentError;
        private int count;

        StreamReader(Path report, JsonParser parser, Consumer<ReportedIncident> each, Reopen text) {
            this.report = report;
            this.parser = parser;
            this.each = each;
            this.text = text;
        }

        Streamed read() throws IOException {
            JsonToken start = parser.nextToken();
            if (start != JsonToken.START_OBJECT) {
                if (start != null) {
                    parser.skipChildren();
                    requireEnd();
                }
                throw new UserError(report + ": not a triage report (expected a JSON object)");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                JsonToken value = parser.nextToken();
                if (key.equals("incidents")) {
                    incidentsArray = value == JsonToken.START_ARRAY;
                    if (incidentsArray) {
                        incidents();
                    } else {
                        parser.skipChildren();
                    }
                } else if (HEADER_KEYS.contains(key)) {
                    root.set(key, TREES.readTree(parser));
                } else {
                    parser.skipChildren();
                }
            }
            requireEnd();
            String schema = root.path("schema_version").asText(null);
            if (!TriageReport.SCHEMA_VERSION.equals(schema)) {
                throw new UserError(report + ": schema_version is "
                        + (schema == null ? "missing" : "\"" + schema + "\"") + ", expected \""
                        + TriageReport.SCHEMA_VERSION + "\" (a report written by triage-rules --output)");
            }
            if (!incidentsArray) {
                throw new UserError(report + ": \"incidents\" must be an array");
            }
            if (incidentError != null) {
                throw new UserError(incidentError);
            }
            return new Streamed(report, root.path("input_log_path").asText(null), header(root), count);
        }

        /** The incidents array, one incident tree at a time; after an error, only to its end. */
        private void incidents() throws IOException {
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (incidentError != null || wrongSchema()) {
                    parser.skipChildren();
                    continue;
                }
                int i = count;
                if (token != JsonToken.START_OBJECT) {
                    incidentError = report + ": incidents[" + i + "] is not an object";
                    parser.skipChildren();
                    continue;
                }
                if (i == Integer.MAX_VALUE) { // an array of 2^31 "{}" (4 GiB): no index left to give
                    throw new UserError(report + ": more than " + Integer.MAX_VALUE + " incidents");
                }
                JsonNode tree = TREES.readTree(parser);
                String seedRefused = leadingZero(tree.get("seed"));
                if (seedRefused != null) {
                    // Placed by reading the text again, only now: a tree keeps no locations.
                    JsonNode id = tree.get("incident_id");
                    incidentError = place(report, text, "/incidents/" + i + "/seed") + ": incidents[" + i + "]"
                            + (id != null && id.isTextual() ? " (" + VisibleText.inMessage(id.asText()) + ")" : "")
                            + ": " + seedRefused;
                    continue;
                }
                ReportedIncident incident = new IncidentReader(tree).read(i);
                // One incident, one entry: replays of two would share a folder and clear each
                // other's transcripts, tickets would file one twice.
                Integer earlier = incident.incidentId() == null ? null
                        : positions.putIfAbsent(incident.incidentId(), i);
                if (earlier != null) {
                    incidentError = report + ": incidents[" + i + "] repeats the incident_id of incidents["
                            + earlier + "] ("
                            + VisibleText.inMessage(incident.incidentId()) + "); a report lists each incident once";
                    continue;
                }
                count++;
                each.accept(incident);
            }
        }

        /** A schema_version read before the incidents and not ours: its error comes at the end, no incident before. */
        private boolean wrongSchema() {
            JsonNode schema = root.get("schema_version");
            return schema != null && !TriageReport.SCHEMA_VERSION.equals(schema.asText(null));
        }

        /** Nothing after the report's value, as {@link ExactJson#MAPPER} refuses it, with its words. */
        private void requireEnd() throws IOException {
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw MismatchedInputException.from(parser, JsonNode.class, "Trailing token (of type " + trailing
                        + ") found after value (bound as `" + JsonNode.class.getName()
                        + "`): not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`");
            }
        }
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
