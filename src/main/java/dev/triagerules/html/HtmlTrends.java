package dev.triagerules.html;

import java.util.List;

/**
 * What the HTML report shows of an incident ledger's history: plain values, so any ledger
 * query can be adapted to it. Optional: without trends the page has no trends section.
 *
 * @param runs           the last runs, oldest first
 * @param classes        counts per crash class, each aligned with {@code runs}
 * @param longestOpen    incidents open the longest, longest first
 * @param mostRecurring  incidents seen in the most runs, most first
 * @param flakyScenarios scenarios judged flaky, most often first
 */
public record HtmlTrends(List<Run> runs, List<ClassTrend> classes, List<IncidentTrend> longestOpen,
        List<IncidentTrend> mostRecurring, List<FlakyScenario> flakyScenarios) {

    public HtmlTrends {
        runs = List.copyOf(runs);
        classes = List.copyOf(classes);
        longestOpen = List.copyOf(longestOpen);
        mostRecurring = List.copyOf(mostRecurring);
        flakyScenarios = List.copyOf(flakyScenarios);
        for (ClassTrend trend : classes) {
            if (trend.perRun().size() != runs.size()) {
                throw new IllegalArgumentException("class " + trend.crashClass() + " has " + trend.perRun().size()
                        + " counts for " + runs.size() + " runs");
            }
        }
    }

    /**
     * Incident counts of one run.
     *
     * @param open         incidents open after the run
     * @param newIncidents first seen in the run
     * @param resolved     open before the run and not seen in it
     * @param regressed    resolved before the run and seen again in it
     */
    public record Counts(long open, long newIncidents, long resolved, long regressed) {
    }

    /**
     * One run of the ledger.
     *
     * @param label         how the run is named on the page (its input, or its id)
     * @param startedUnixMs when the run was recorded
     */
    public record Run(String label, long startedUnixMs, Counts counts) {
    }

    /** One crash class's counts, one per run in the order of {@link HtmlTrends#runs()}. */
    public record ClassTrend(String crashClass, List<Counts> perRun) {
        public ClassTrend {
            perRun = List.copyOf(perRun);
        }
    }

    /**
     * An incident as the ledger knows it.
     *
     * @param status        the ledger's lifecycle word (e.g. {@code recurring})
     * @param openedUnixMs  when it was last opened (first seen, or seen again after it was resolved); null
     *                      when it is not open
     */
    public record IncidentTrend(String incidentId, String crashClass, String severity, String ownerHint,
            String status, long firstSeenUnixMs, long lastSeenUnixMs, long runsSeen, Long openedUnixMs) {
    }

    /**
     * A scenario on one environment that both passed and failed across the ledger's runs.
     *
     * @param runs         recorded runs that ran it
     * @param passingRuns  runs in which it only passed
     * @param failingRuns  runs in which it failed
     * @param mixedRuns    runs in which it both failed and passed
     * @param restarted    whether these runs start from a failure after a passing streak (a fix), rather than
     *                     from its first failure
     * @param sinceRun     the run they start from: its first failure, or the failure after the streak
     */
    public record FlakyScenario(String packetId, String suiteId, String scenarioId, String mode,
            String envFingerprint, long runs, long passingRuns, long failingRuns, long mixedRuns, boolean restarted,
            long sinceRun) {
    }
}
