package dev.triagerules.triage;

import dev.triagerules.report.TriageReport;
import java.util.List;

/**
 * What a triage produced: the report model, and per run what it held.
 *
 * @param runs one tally per run, in the order read
 */
public record TriageResult(TriageReport report, List<RunTally> runs) {
    public TriageResult {
        runs = List.copyOf(runs);
    }
}
