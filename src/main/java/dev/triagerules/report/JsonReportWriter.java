package dev.triagerules.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import dev.triagerules.engine.FileSetDigest;
import dev.triagerules.engine.ClassifiedEntry;
import dev.triagerules.input.LogEntry;
import dev.triagerules.input.junit.JunitMapper;
import dev.triagerules.policy.Escalation;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a report as pretty JSON in the upstream layout (serde_json's pretty printer):
 * two-space indent, {@code "key": value}, one array element a line, {@code {}} and
 * {@code []} when empty, lowercase hex in escapes, no trailing newline. Upstream keys come
 * first in upstream order; our keys follow.
 */
public final class JsonReportWriter {
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            // Characters outside the BMP as their four UTF-8 bytes, as serde_json writes them
            // (the byte generator would otherwise escape each half of the pair).
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    private JsonReportWriter() {
    }

    /**
     * Writes UTF-8 bytes straight from the strings: Jackson's byte generator, not its char
     * generator behind an {@code OutputStreamWriter} (which encodes every character a
     * second time).
     */
    public static void write(TriageReport report, OutputStream out) throws IOException {
        write(report, JSON.createGenerator(out, JsonEncoding.UTF8));
    }

    public static void write(TriageReport report, Writer out) throws IOException {
        write(report, JSON.createGenerator(out));
    }

    private static void write(TriageReport report, JsonGenerator generator) throws IOException {
        try (JsonGenerator g = generator) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setPrettyPrinter(upstreamLayout());
            writeReport(report, g);
        }
    }

    static DefaultPrettyPrinter upstreamLayout() {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        return new DefaultPrettyPrinter(separators).withObjectIndenter(indenter).withArrayIndenter(indenter);
    }

    private static void writeReport(TriageReport report, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("schema_version", TriageReport.SCHEMA_VERSION);
        g.writeNumberField("generated_unix_ms", report.generatedUnixMs());
        g.writeStringField("input_log_path", report.inputLogPath());
        g.writeStringField("packet_filter", report.packetFilter());
        g.writeNumberField("total_entries", report.totalEntries());
        g.writeNumberField("failed_entries", report.failedEntries());
        g.writeObjectFieldStart("class_counts");
        for (Map.Entry<String, Long> count : report.classCounts().entrySet()) {
            g.writeNumberField(count.getKey(), count.getValue());
        }
        g.writeEndObject();
        g.writeArrayFieldStart("incidents");
        for (FoldedIncident incident : report.incidents()) {
            writeIncident(incident, incident.firstInput() != null ? incident.firstInput() : report.inputLogPath(), g);
            if (report.lifecycle() != null) {
                LifecycleJson.writeIncidentKeys(report.lifecycle().byIncident().get(incident.incidentId()), g);
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        // Our additions, after every upstream key.
        g.writeNumberField("incident_count", report.incidents().size());
        g.writeObjectFieldStart("severity_counts");
        for (Map.Entry<String, Long> count : report.severityCounts().entrySet()) {
            g.writeNumberField(count.getKey(), count.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("escalated_incidents", report.escalatedIncidents());
        g.writeNumberField("invalid_lines", report.invalidLines());
        if (report.invalidReports() > 0) { // only JUnit XML has them: a JSONL report keeps its keys
            g.writeNumberField("invalid_reports", report.invalidReports());
        }
        if (report.quarantinePath() != null) {
            g.writeStringField("quarantine_path", report.quarantinePath());
        }
        writeProvenance(report.provenance(), g);
        DeterminismJson.writeReportKeys(report.determinism(), g);
        LifecycleJson.writeReportKeys(report.lifecycle(), g);
        g.writeEndObject();
    }

    /** Writes an incident's keys, leaving its object open for keys that follow. */
    private static void writeIncident(FoldedIncident folded, String inputLogPath, JsonGenerator g)
            throws IOException {
        ClassifiedEntry incident = folded.first();
        LogEntry entry = incident.entry();
        g.writeStartObject();
        g.writeStringField("incident_id", folded.incidentId());
        g.writeStringField("class", incident.getCrashClass());
        g.writeStringField("severity", incident.getSeverity());
        g.writeStringField("owner_hint", incident.getOwnerHint());
        g.writeStringField("packet_id", entry.packetId());
        g.writeStringField("suite_id", entry.suiteId());
        g.writeStringField("scenario_id", entry.scenarioId());
        g.writeStringField("mode", entry.mode());
        g.writeStringField("reason_code", entry.reasonCode());
        g.writeStringField("replay_command", entry.replayCommand());
        writeStrings("artifact_refs", entry.artifactRefs(), g);
        g.writeFieldName("seed");
        g.writeNumber(Long.toUnsignedString(entry.seed()));
        g.writeStringField("env_fingerprint", entry.envFingerprint());
        g.writeNumberField("occurrences", folded.occurrences());
        g.writeFieldName("last_seen_unix_ms");
        g.writeNumber(folded.lastSeenUnixMs().toString());
        // Our additions.
        g.writeStringField("rule", incident.getRule());
        g.writeStringField("fixture_id", entry.fixtureId());
        g.writeNumberField("first_seen_line", incident.lineNumber());
        if (folded.firstFile() != null) { // only for a run of several files: a JSONL report stays upstream-exact
            g.writeStringField("first_seen_file", folded.firstFile());
        }
        String masked = incident.incident().getFailure().getMaskedReasonCode();
        if (masked != null) { // only with policy masks: the frankentorch report stays upstream-exact
            g.writeStringField("masked_reason_code", masked);
        }
        writeEscalation(incident.getEscalation(), folded, inputLogPath, g);
        DeterminismJson.writeIncidentKeys(folded, g);
    }

    private static void writeEscalation(Escalation escalation, FoldedIncident folded, String inputLogPath,
            JsonGenerator g) throws IOException {
        g.writeFieldName("escalation");
        if (escalation == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeBooleanField("escalate_immediately", escalation.escalateImmediately());
        g.writeStringField("linked_bead_id", escalation.linkedBeadId());
        if (escalation.attachArtifactPaths()) {
            writeStrings("artifact_paths", artifactPaths(folded, inputLogPath), g);
        }
        g.writeBooleanField("replay_transcript_required", escalation.replayTranscriptRequired());
        g.writeEndObject();
    }

    /**
     * The kept failure's artifact_refs, then the log it was read from. A run of one file
     * appends its name as given (stdin, {@code -}, nothing), as always, so a JSONL report keeps
     * every byte (upstream appends it even when artifact_refs name it). A folder or glob run's
     * name is no file anyone can open, so its incidents append their {@code first_seen_file}
     * instead. A JUnit incident's artifact_refs start with its report: it is not listed twice.
     */
    private static List<String> artifactPaths(FoldedIncident folded, String inputLogPath) {
        LogEntry entry = folded.first().entry();
        List<String> paths = new ArrayList<>(entry.artifactRefs());
        String seenIn = folded.firstFile();
        String log = seenIn != null ? seenIn : "-".equals(inputLogPath) ? null : inputLogPath;
        boolean listsItsReport = JunitMapper.SCHEMA_VERSION.equals(entry.schemaVersion()) || seenIn != null;
        if (log != null && !(listsItsReport && paths.contains(log))) {
            paths.add(log);
        }
        return paths;
    }

    private static void writeProvenance(TriageReport.Provenance provenance, JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("triage_rules");
        g.writeStringField("version", provenance.toolVersion());
        writeDigest("rules", provenance.rules(), g);
        writeDigest("policy", provenance.policy(), g);
        g.writeEndObject();
    }

    private static void writeDigest(String name, FileSetDigest digest, JsonGenerator g) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeStringField("path", digest.path());
        g.writeStringField("sha256", digest.sha256());
        g.writeArrayFieldStart("files");
        for (FileSetDigest.FileDigest file : digest.files()) {
            g.writeStartObject();
            g.writeStringField("path", file.path());
            g.writeStringField("sha256", file.sha256());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeStrings(String field, List<String> values, JsonGenerator g) throws IOException {
        g.writeArrayFieldStart(field);
        for (String value : values) {
            g.writeString(value);
        }
        g.writeEndArray();
    }
}
