package dev.triagerules.report;

import dev.triagerules.engine.ClassifiedEntry;
import dev.triagerules.history.DeterminismReport;
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
    private String currentInput;
    private DeterminismReport determinism;

    public ReportBuilder(Policy policy) {
        this.policy = policy;
    }

    /** Counts log entries, failed or not, matching the packet filter or not. */
    public void countEntries(long entries) {
        totalEntries += entries;
    }

    public void add(ClassifiedEntry incident) {
        failedEntries++;
        classCounts.merge(incident.getCrashClass(), 1L, Long::sum);
        String id = incident.incidentId();
        FoldedIncident folded = incidents.get(id);
        if (folded == null) {
            incidents.put(id, new FoldedIncident(id, incident, currentInput));
        } else {
            folded.add(incident);
        }
    }

    // ---- runs and verdicts (flaky or deterministic) ----

    /** Incidents added from now on come from this input (run); flush the classifier before. */
    public void startRun(String input) {
        this.currentInput = input;
    }

    /** The first incident of every folded incident so far, for the verdict rules. */
    public List<ClassifiedEntry> firstIncidents() {
        return incidents.values().stream().map(FoldedIncident::first).toList();
    }

    /** The verdicts to put in the report; each incident gets its own. */
    public void determinism(DeterminismReport determinism) {
        this.determinism = determinism;
    }

    public TriageReport build(long generatedUnixMs, String inputLogPath, String packetFilter,
            TriageReport.Provenance provenance) {
        return build(generatedUnixMs, inputLogPath, packetFilter, provenance, 0, 0, null);
    }

    public TriageReport build(long generatedUnixMs, String inputLogPath, String packetFilter,
            TriageReport.Provenance provenance, long invalidLines, long invalidReports, String quarantinePath) {
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
        if (determinism != null) {
            sorted.forEach(i -> i.determinism(determinism.byIncident().get(i.incidentId())));
        }
        return new TriageReport(generatedUnixMs, inputLogPath, packetFilter, totalEntries, failedEntries,
                new TreeMap<>(classCounts), List.copyOf(sorted), severityCounts, provenance, invalidLines,
                invalidReports, quarantinePath, determinism);
    }
}
