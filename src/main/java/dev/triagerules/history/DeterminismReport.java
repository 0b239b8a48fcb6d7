package dev.triagerules.history;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The verdicts of one report: per incident id, plus the runs they rest on.
 *
 * @param runs       every input in order, infrastructure-suspect or not
 * @param byIncident incident id to its verdict
 */
public record DeterminismReport(List<RunSummary> runs, Map<String, Determinism> byIncident) {

    public DeterminismReport {
        runs = List.copyOf(runs);
        byIncident = Map.copyOf(byIncident);
    }

    /** Incidents per verdict, every verdict present, in {@link ScenarioHistory#VERDICTS} order. */
    public Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        ScenarioHistory.VERDICTS.forEach(verdict -> counts.put(verdict, 0L));
        byIncident.values().forEach(d -> counts.merge(d.verdict(), 1L, Long::sum));
        return counts;
    }

    public long gatingExcluded() {
        return byIncident.values().stream().filter(Determinism::gatingExcluded).count();
    }

    public List<RunSummary> infraSuspectRuns() {
        return runs.stream().filter(RunSummary::infraSuspect).toList();
    }
}
