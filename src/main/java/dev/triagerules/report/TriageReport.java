package dev.triagerules.report;

import dev.triagerules.engine.FileSetDigest;
import dev.triagerules.history.DeterminismReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The {@code ft-crash-triage-v1} report: the upstream fields first, then ours.
 *
 * @param classCounts    failed entries (not incidents) per class, by class name
 * @param severityCounts failed entries per severity, in the policy's severity order
 * @param incidents      most severe first, then by incident id
 * @param invalidLines   JSONL lines rejected under {@code --on-invalid skip} (0 otherwise)
 * @param invalidReports JUnit XML reports skipped whole under {@code --on-invalid skip} (0 otherwise)
 * @param quarantinePath where those lines and reports went, or null
 * @param determinism    the runs read and the flaky-or-deterministic verdicts; null when not judged
 * @param lifecycle      what a ledger says of the incidents; null without a ledger
 */
public record TriageReport(
        long generatedUnixMs,
        String inputLogPath,
        String packetFilter,
        long totalEntries,
        long failedEntries,
        SortedMap<String, Long> classCounts,
        List<FoldedIncident> incidents,
        Map<String, Long> severityCounts,
        Provenance provenance,
        long invalidLines,
        long invalidReports,
        String quarantinePath,
        DeterminismReport determinism,
        LifecycleReport lifecycle) {

    public static final String SCHEMA_VERSION = "ft-crash-triage-v1";

    /** A report without a ledger. */
    public TriageReport(long generatedUnixMs, String inputLogPath, String packetFilter, long totalEntries,
            long failedEntries, SortedMap<String, Long> classCounts, List<FoldedIncident> incidents,
            Map<String, Long> severityCounts, Provenance provenance, long invalidLines, long invalidReports,
            String quarantinePath, DeterminismReport determinism) {
        this(generatedUnixMs, inputLogPath, packetFilter, totalEntries, failedEntries, classCounts, incidents,
                severityCounts, provenance, invalidLines, invalidReports, quarantinePath, determinism, null);
    }

    /** This report with what a ledger says of its incidents. */
    public TriageReport withLifecycle(LifecycleReport lifecycle) {
        return new TriageReport(generatedUnixMs, inputLogPath, packetFilter, totalEntries, failedEntries,
                classCounts, incidents, severityCounts, provenance, invalidLines, invalidReports, quarantinePath,
                determinism, lifecycle);
    }

    /** A report without verdicts. */
    public TriageReport(long generatedUnixMs, String inputLogPath, String packetFilter, long totalEntries,
            long failedEntries, SortedMap<String, Long> classCounts, List<FoldedIncident> incidents,
            Map<String, Long> severityCounts, Provenance provenance) {
        this(generatedUnixMs, inputLogPath, packetFilter, totalEntries, failedEntries, classCounts, incidents,
                severityCounts, provenance, 0, 0, null, null);
    }

    /** What produced the report: tool version and digests of the rule and policy files. */
    public record Provenance(String toolVersion, FileSetDigest rules, FileSetDigest policy) {
    }

    /**
     * What {@code --on-invalid skip} skipped, in the input's own terms ("2 invalid lines",
     * "1 invalid JUnit XML report", or both); empty when nothing was.
     */
    public String skippedText() {
        List<String> parts = new ArrayList<>(2);
        if (invalidLines > 0) {
            parts.add(invalidLines + (invalidLines == 1 ? " invalid line" : " invalid lines"));
        }
        if (invalidReports > 0) {
            parts.add(invalidReports + (invalidReports == 1 ? " invalid JUnit XML report"
                    : " invalid JUnit XML reports"));
        }
        return String.join(" and ", parts);
    }

    public long escalatedIncidents() {
        return incidents.stream().filter(i -> i.first().getEscalation() != null
                && i.first().getEscalation().escalateImmediately()).count();
    }
}
