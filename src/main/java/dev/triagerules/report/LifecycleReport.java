package dev.triagerules.report;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a ledger adds to a report: each incident's lifecycle, the incidents this run
 * resolved, and how many incidents took each status in this run. Null in a report made
 * without a ledger, which then stays byte for byte as without this feature.
 *
 * @param byIncident   incident id to its lifecycle after this run
 * @param resolved     the incidents this run closed (not seen in it: the ledger describes them), by id
 * @param statusCounts status to the number of this run's incidents (and of those it
 *                     closed) in it after this run, every status, in display order
 */
public record LifecycleReport(Map<String, Lifecycle> byIncident, List<Resolved> resolved,
        Map<String, Long> statusCounts) {

    public LifecycleReport {
        byIncident = Map.copyOf(byIncident);
        resolved = resolved.stream().sorted(Comparator.comparing(Resolved::incidentId)).toList();
        statusCounts = Collections.unmodifiableMap(new LinkedHashMap<>(statusCounts));
    }

    /** Ids of the incidents this run closed, sorted: the report's {@code resolved_incidents}. */
    public List<String> resolvedIncidents() {
        return resolved.stream().map(Resolved::incidentId).toList();
    }

    /** {@code 2 new, 10 recurring, 1 regressed, 3 resolved}: the summaries' line. */
    public String statusCountsText() {
        return String.join(", ", statusCounts.entrySet().stream()
                .map(count -> count.getValue() + " " + count.getKey()).toList());
    }

    /**
     * One incident's {@code lifecycle} object.
     *
     * @param status              after this run
     * @param previousStatus      before this run; null when the ledger had never seen it
     * @param statusChangedUnixMs the run time at which it took its current status
     * @param firstSeenUnixMs     the run time of its first sighting
     * @param lastSeenUnixMs      the run time of its latest sighting
     * @param runsSeen            recorded runs that saw it
     * @param openedInRun         this run opened it: its first sighting, or seen again after it was closed
     *                            (what {@code --fail-on-new} gates on)
     * @param rule                the lifecycle rule that decided this run's status
     * @param reason              why, in the rule's words
     */
    public record Lifecycle(String status, String previousStatus, long statusChangedUnixMs, long firstSeenUnixMs,
            long lastSeenUnixMs, int runsSeen, boolean openedInRun, String rule, String reason) {
    }

    /**
     * An incident this run closed, as the ledger knows it (the run did not see it), for the
     * summaries; {@code reason} is the lifecycle rule's.
     */
    public record Resolved(String incidentId, String crashClass, String severity, String ownerHint, String reasonCode,
            String packetId, String suiteId, String scenarioId, String mode, String reason) {
    }
}
