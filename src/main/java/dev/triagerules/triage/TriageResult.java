package dev.triagerules.triage;

import dev.triagerules.input.LogEntry;
import dev.triagerules.input.junit.JunitSession;
import dev.triagerules.input.junit.TestLocation;
import dev.triagerules.ledger.LedgerError;
import dev.triagerules.ledger.LedgerView;
import dev.triagerules.report.FoldedIncident;
import dev.triagerules.report.GithubAnnotations;
import dev.triagerules.report.TriageReport;
import java.util.List;

/**
 * What a triage produced: the report model, and per run what it held.
 *
 * @param runs  one tally per run, in the order read
 * @param junit         what JUnit runs showed beyond the report (where failing tests live); empty otherwise
 * @param ledgerFailure why the ledger of a request with one could not record the run (it is
 *                      left as it was, and the report is what a run without a ledger gives);
 *                      null when it recorded it, or there was no ledger
 * @param ledgerTrends  the ledger's trends with this run, when the request's ledger step asked for them
 *                      ({@link LedgerRecording#withTrends}); null otherwise, and when the ledger failed
 */
public record TriageResult(TriageReport report, List<RunTally> runs, JunitSession junit, LedgerError ledgerFailure,
        LedgerView.Trends ledgerTrends) {
    public TriageResult {
        runs = List.copyOf(runs);
        junit = junit == null ? new JunitSession() : junit;
    }

    public TriageResult(TriageReport report, List<RunTally> runs, JunitSession junit, LedgerError ledgerFailure) {
        this(report, runs, junit, ledgerFailure, null);
    }

    public TriageResult(TriageReport report, List<RunTally> runs, JunitSession junit) {
        this(report, runs, junit, null);
    }

    public TriageResult(TriageReport report, List<RunTally> runs) {
        this(report, runs, null, null);
    }

    /** Where the test of an incident lives, for an annotation; null when its report did not say. */
    public GithubAnnotations.Location location(FoldedIncident incident) {
        LogEntry entry = incident.first().entry();
        TestLocation at = junit.location(entry.packetId(), entry.suiteId(), entry.scenarioId(), entry.mode());
        return at == null ? null : new GithubAnnotations.Location(at.file(), at.line());
    }
}
