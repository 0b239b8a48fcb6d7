package dev.triagerules.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.triagerules.history.Determinism;
import dev.triagerules.history.DeterminismReport;
import dev.triagerules.history.RecordedRuns;
import dev.triagerules.history.ReplayEvidence;
import dev.triagerules.history.RunSummary;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/** The report keys of the flaky-or-deterministic verdict; all ours, after every upstream key. */
final class DeterminismJson {
    private DeterminismJson() {
    }

    /**
     * {@code first_seen_input} (the run {@code first_seen_line} is in), {@code determinism},
     * {@code gating_excluded} and {@code gating_exclusion_reason}, last in an incident;
     * nothing when not judged.
     */
    static void writeIncidentKeys(FoldedIncident folded, JsonGenerator g) throws IOException {
        Determinism d = folded.determinism();
        if (d == null) {
            return;
        }
        g.writeStringField("first_seen_input", folded.firstInput());
        g.writeObjectFieldStart("determinism");
        g.writeStringField("verdict", d.verdict());
        // Counts no one counted are null, not zeros that read as "never failed" (a ledger run
        // without --history keeps no per-key counts of its log; its ledger object has them).
        writeCount("runs", d.countedInLogs(), d.runs(), g);
        writeCount("passing_runs", d.countedInLogs(), d.passingRuns(), g);
        writeCount("failing_runs", d.countedInLogs(), d.failingRuns(), g);
        writeCount("mixed_runs", d.countedInLogs(), d.mixedRuns(), g);
        writeCount("passes", d.countedInLogs(), d.passes(), g);
        writeCount("failures", d.countedInLogs(), d.failures(), g);
        g.writeFieldName("flake_rate");
        if (d.flakeRate() == null) {
            g.writeNull();
        } else {
            g.writeNumber(share(d.flakeRate()));
        }
        g.writeBooleanField("same_seed_mixed", d.sameSeedMixed());
        writeStrings("reason_codes", d.reasonCodes(), g);
        g.writeNumberField("infra_excluded_runs", d.excludedRuns());
        g.writeFieldName("replay");
        ReplayEvidence.Counts replay = d.replay();
        if (replay == null) {
            g.writeNull();
        } else {
            g.writeStartObject();
            g.writeNumberField("attempts", replay.attempts());
            g.writeNumberField("passes", replay.passes());
            g.writeNumberField("failures", replay.failures());
            g.writeNumberField("hung", replay.hung());
            writeStrings("verdicts", replay.verdicts(), g);
            g.writeEndObject();
        }
        RecordedRuns.Counts ledger = d.ledger();
        if (ledger != null) { // only with a ledger: reports without one keep their keys as before
            g.writeObjectFieldStart("ledger");
            g.writeNumberField("runs", ledger.runs());
            g.writeNumberField("passing_runs", ledger.passingRuns());
            g.writeNumberField("failing_runs", ledger.failingRuns());
            g.writeNumberField("mixed_runs", ledger.mixedRuns());
            g.writeEndObject();
        }
        g.writeStringField("rule", d.rule());
        writeStrings("evidence", d.evidence(), g);
        writeStrings("labels", d.labels(), g);
        g.writeEndObject();
        g.writeBooleanField("gating_excluded", d.gatingExcluded());
        g.writeStringField("gating_exclusion_reason", d.gatingExclusion());
    }

    /** {@code inputs}, {@code determinism_counts}, {@code gating_excluded_incidents}, {@code infra_suspect_runs}. */
    static void writeReportKeys(DeterminismReport report, JsonGenerator g) throws IOException {
        if (report == null) {
            return;
        }
        writeStrings("inputs", report.runs().stream().map(RunSummary::input).toList(), g);
        g.writeObjectFieldStart("determinism_counts");
        for (Map.Entry<String, Long> count : report.counts().entrySet()) {
            g.writeNumberField(count.getKey(), count.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("gating_excluded_incidents", report.gatingExcluded());
        g.writeArrayFieldStart("infra_suspect_runs");
        for (RunSummary run : report.infraSuspectRuns()) {
            g.writeStartObject();
            g.writeStringField("input", run.input());
            g.writeNumberField("entries", run.entries());
            g.writeNumberField("failures", run.failures());
            g.writeNumberField("failure_share", share(run.failureShare()));
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeCount(String field, boolean counted, long value, JsonGenerator g) throws IOException {
        g.writeFieldName(field);
        if (counted) {
            g.writeNumber(value);
        } else {
            g.writeNull();
        }
    }

    /** Four decimals, written the same on every machine. */
    private static BigDecimal share(double value) {
        return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }

    private static void writeStrings(String field, List<String> values, JsonGenerator g) throws IOException {
        g.writeArrayFieldStart(field);
        for (String value : values) {
            g.writeString(value);
        }
        g.writeEndArray();
    }
}
