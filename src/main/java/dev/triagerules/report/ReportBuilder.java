package dev.triagerules.report;

import dev.triagerules.engine.Incident;
import dev.triagerules.policy.Policy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Folds incidents as they arrive (in input order) and counts entries. Memory grows with
 * the number of distinct incidents, not with the number of entries.
 */
public final class ReportBuilder {
    private final Policy policy;
    private final Map<String, FoldedIncident> incidents = new HashMap<>();
    private final SortedMap<String, Long> classCounts = new TreeMap<>();
    private long totalEntries;
    private long failedEntries;

    public ReportBuilder(Policy policy) {
        this.policy = policy;
    }

    /** Counts log entries, failed or not, matching the packet filter or not. */
    public void countEntries(long entries) {
        totalEntries += entries;
    }

    public void add(Incident incident) {
        failedEntries++;
        classCounts.merge(incident.getCrashClass(), 1L, Long::sum);
        String id = incident.incidentId();
        FoldedIncident folded = incidents.get(id);
        if (folded == null) {
            incidents.put(id, new FoldedIncident(id, incident));
        } else {
            folded.add(incident);
        }
    }

    public TriageReport build(long generatedUnixMs, String inputLogPath, String packetFilter,
            TriageReport.Provenance provenance) {
        return build(generatedUnixMs, inputLogPath, packetFilter, provenance, 0, null);
    }

    public TriageReport build(long generatedUnixMs, String inputLogPath, String packetFilter,
            TriageReport.Provenance provenance, long invalidLines, String quarantinePath) {
        List<FoldedIncident> sorted = new ArrayList<>(incidents.values());
        sorted.sort(Comparator.comparingInt((FoldedIncident i) -> policy.severityRank(i.first().getSeverity()))
                .thenComparing(FoldedIncident::incidentId));
        Map<String, Long> severityCounts = new LinkedHashMap<>();
        for (String severity : policy.severityOrder()) {
            severityCounts.put(severity, 0L);
        }
        for (FoldedIncident incident : incidents.values()) {
            severityCounts.merge(incident.first().getSeverity(), incident.occurrences(), Long::sum);
        }
        return new TriageReport(generatedUnixMs, inputLogPath, packetFilter, totalEntries, failedEntries,
                new TreeMap<>(classCounts), List.copyOf(sorted), severityCounts, provenance, invalidLines, quarantinePath);
    }
}
