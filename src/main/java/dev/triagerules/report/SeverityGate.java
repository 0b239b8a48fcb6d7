package dev.triagerules.report;

import dev.triagerules.policy.Policy;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code --fail-on SEVERITY}: the incidents that trip a CI job, those at or above a
 * severity, optionally only those not already in a baseline report, and never those the
 * flake policy excludes from gating.
 */
public final class SeverityGate {
    private final Policy policy;
    private final String failOn;
    private final Set<String> baseline;

    public SeverityGate(Policy policy, String failOn, Set<String> baseline) {
        this.policy = policy;
        this.failOn = failOn;
        this.baseline = baseline;
    }

    public List<FoldedIncident> tripping(TriageReport report) {
        int threshold = policy.severityRank(failOn);
        return report.incidents().stream()
                .filter(i -> policy.severityRank(i.first().getSeverity()) <= threshold)
                .filter(i -> !baseline.contains(i.incidentId()))
                .filter(i -> !i.gatingExcluded()) // policy may exclude flaky incidents from gating
                .toList();
    }

    /** The incident ids of an earlier report. */
    public static Set<String> incidentIds(Path report) {
        Set<String> ids = new HashSet<>();
        for (ReportedIncident incident : ReportFile.read(report).incidents()) {
            if (incident.incidentId() != null) {
                ids.add(incident.incidentId());
            }
        }
        return ids;
    }
}
