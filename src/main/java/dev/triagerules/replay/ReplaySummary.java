package dev.triagerules.replay;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.triagerules.history.ReplayEvidence;
import dev.triagerules.report.ReportedIncident;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What one {@code triage-rules replay} run found, in report order: each finished
 * incident's verdict and attempts (a refused one with its reason and no attempts),
 * incidents skipped (no replay command) and, after Ctrl-C, those that did not finish.
 *
 * @param complete false when the run was interrupted before every selected incident finished
 */
public record ReplaySummary(String reportPath, long generatedUnixMs, boolean complete,
        List<IncidentReplay> finished, List<Skipped> skipped, List<ReportedIncident> unfinished) {

    /** Defined by the side that reads summaries (run history), so history needs nothing of replay. */
    public static final String SCHEMA_VERSION = ReplayEvidence.SUMMARY_SCHEMA_VERSION;

    /** An incident that was selected but could not be replayed, and why. */
    public record Skipped(ReportedIncident incident, String reason) {
    }

    public ReplaySummary {
        finished = List.copyOf(finished);
        skipped = List.copyOf(skipped);
        unfinished = List.copyOf(unfinished);
    }

    /** Incidents per verdict, every verdict present (zero when none). */
    public List<IncidentReplay> refused() {
        return finished.stream().filter(replay -> replay.verdict() == Verdict.REFUSED).toList();
    }

    public Map<Verdict, Long> counts() {
        Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
        for (Verdict verdict : Verdict.values()) {
            counts.put(verdict, 0L);
        }
        finished.forEach(replay -> counts.merge(replay.verdict(), 1L, Long::sum));
        return counts;
    }

    public void write(Path file) {
        JsonFields.writePretty(file, this::writeTo);
    }

    private void writeTo(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("schema_version", SCHEMA_VERSION);
        g.writeStringField("report", reportPath);
        g.writeNumberField("generated_unix_ms", generatedUnixMs);
        g.writeBooleanField("complete", complete);
        g.writeObjectFieldStart("verdict_counts");
        for (Map.Entry<Verdict, Long> count : counts().entrySet()) {
            g.writeNumberField(count.getKey().label(), count.getValue());
        }
        g.writeEndObject();
        g.writeArrayFieldStart("incidents");
        for (IncidentReplay replay : finished) {
            ReportedIncident incident = replay.incident();
            g.writeStartObject();
            g.writeStringField("incident_id", incident.incidentId());
            g.writeStringField("class", incident.crashClass());
            g.writeStringField("severity", incident.severity());
            g.writeStringField("verdict", replay.verdict().label());
            if (replay.refusal() != null) {
                g.writeStringField("refused_reason", replay.refusal());
            }
            g.writeNumberField("failed_attempts", replay.failedAttempts());
            replay.writeAttempts(g, true);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("skipped");
        for (Skipped skip : skipped) {
            g.writeStartObject();
            g.writeStringField("incident_id", skip.incident().label());
            g.writeStringField("reason", skip.reason());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("unfinished");
        for (ReportedIncident incident : unfinished) {
            g.writeString(incident.label());
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
