package dev.triagerules.report;

import dev.triagerules.policy.Policy;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code --fail-on SEVERITY}: the incidents that trip a CI job, those at or above a
 * severity, optionally only those not already in a baseline report, and never those the
 * flake policy excludes from gating. {@code --fail-on-new SEVERITY} ({@link #openedInRun}):
 * the same, limited to the incidents a ledger says this run opened.
 */
public final class SeverityGate {
    private final Policy policy;
    private final String failOn;
    private final Set<String> baseline;
    private final boolean openedInRunOnly;

    public SeverityGate(Policy policy, String failOn, Set<String> baseline) {
        this(policy, failOn, baseline, false);
    }

    private SeverityGate(Policy policy, String failOn, Set<String> baseline, boolean openedInRunOnly) {
        this.policy = policy;
        this.failOn = failOn;
        this.baseline = baseline;
        this.openedInRunOnly = openedInRunOnly;
    }

    /**
     * Only incidents this run opened, as the report's lifecycle says
     * ({@link LifecycleReport.Lifecycle#openedInRun()}: a first sighting, or seen again
     * after it was closed): which status words mean that is the lifecycle rules' business.
     * A report without lifecycle trips nothing.
     */
    public static SeverityGate openedInRun(Policy policy, String failOn) {
        return new SeverityGate(policy, failOn, Set.of(), true);
    }

    public List<FoldedIncident> tripping(TriageReport report) {
        return counted(report).filter(i -> !i.gatingExcluded()) // policy may exclude flaky incidents from gating
                .toList();
    }

    /**
     * What tripped the gate, named by its option, or null when nothing did: with the
     * incidents policy left out of gating as flaky, for the summary to say why they did not count.
     */
    public GateTrip trip(TriageReport report, String option) {
        List<FoldedIncident> tripped = tripping(report);
        return tripped.isEmpty() ? null
                : new GateTrip(option, failOn, tripped, counted(report).filter(FoldedIncident::gatingExcluded).toList());
    }

    private Stream<FoldedIncident> counted(TriageReport report) {
        int threshold = policy.severityRank(failOn);
        return report.incidents().stream()
                .filter(i -> policy.severityRank(i.first().getSeverity()) <= threshold)
                .filter(i -> !baseline.contains(i.incidentId()))
                .filter(i -> !openedInRunOnly || openedInRun(report, i));
    }

    private static boolean openedInRun(TriageReport report, FoldedIncident incident) {
        LifecycleReport.Lifecycle lifecycle = report.lifecycle() == null ? null
                : report.lifecycle().byIncident().get(incident.incidentId());
        return lifecycle != null && lifecycle.openedInRun();
    }

    /** The incident ids of an earlier report, read as a stream: the ids are all that is kept. */
    public static Set<String> incidentIds(Path report) {
        Set<String> ids = new HashSet<>();
        ReportFile.stream(report, incident -> {
            if (incident.incidentId() != null) {
                ids.add(incident.incidentId());
            }
        });
        return ids;
    }
}
