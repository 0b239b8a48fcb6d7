package dev.triagerules.triage;

import dev.triagerules.input.LogEntry;
import dev.triagerules.input.junit.JunitSession;
import dev.triagerules.input.junit.TestLocation;
import dev.triagerules.report.FoldedIncident;
import dev.triagerules.report.GithubAnnotations;
import dev.triagerules.report.TriageReport;
import java.util.List;

/**
 * What a triage produced: the report model, and per run what it held.
 *
 * @param runs  one tally per run, in the order read
 * @param junit what JUnit runs showed beyond the report (where failing tests live); empty otherwise
 */
public record TriageResult(TriageReport report, List<RunTally> runs, JunitSession junit) {
    public TriageResult {
        runs = List.copyOf(runs);
        junit = junit == null ? new JunitSession() : junit;
    }

    public TriageResult(TriageReport report, List<RunTally> runs) {
        this(report, runs, null);
    }

    /** Where the test of an incident lives, for an annotation; null when its report did not say. */
    public GithubAnnotations.Location location(FoldedIncident incident) {
        LogEntry entry = incident.first().entry();
        TestLocation at = junit.location(entry.packetId(), entry.suiteId(), entry.scenarioId(), entry.mode());
        return at == null ? null : new GithubAnnotations.Location(at.file(), at.line());
    }
}
