package dev.triagerules.report;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** The report keys a ledger adds; all ours, after every other key, only with a ledger. */
final class LifecycleJson {
    private LifecycleJson() {
    }

    /** {@code lifecycle}, last in an incident. */
    static void writeIncidentKeys(LifecycleReport.Lifecycle lifecycle, JsonGenerator g) throws IOException {
        g.writeFieldName("lifecycle");
        if (lifecycle == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeStringField("status", lifecycle.status());
        g.writeStringField("previous_status", lifecycle.previousStatus());
        g.writeNumberField("status_changed_unix_ms", lifecycle.statusChangedUnixMs());
        g.writeNumberField("first_seen_unix_ms", lifecycle.firstSeenUnixMs());
        g.writeNumberField("last_seen_unix_ms", lifecycle.lastSeenUnixMs());
        g.writeNumberField("runs_seen", lifecycle.runsSeen());
        g.writeBooleanField("opened_in_run", lifecycle.openedInRun());
        g.writeStringField("rule", lifecycle.rule());
        g.writeStringField("reason", lifecycle.reason());
        g.writeEndObject();
    }

    /** {@code lifecycle_counts} and {@code resolved_incidents}, last in the report. */
    static void writeReportKeys(LifecycleReport report, JsonGenerator g) throws IOException {
        if (report == null) {
            return;
        }
        g.writeObjectFieldStart("lifecycle_counts");
        for (var count : report.statusCounts().entrySet()) {
            g.writeNumberField(count.getKey(), count.getValue());
        }
        g.writeEndObject();
        g.writeArrayFieldStart("resolved_incidents");
        for (String id : report.resolvedIncidents()) {
            g.writeString(id);
        }
        g.writeEndArray();
    }
}
