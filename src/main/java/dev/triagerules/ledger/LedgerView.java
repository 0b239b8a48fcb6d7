package dev.triagerules.ledger;

import dev.triagerules.history.ReplayEvidence;
import java.util.List;
import java.util.Map;

/** What the ledger's queries answer: plain records, for the commands and the HTML report. */
public final class LedgerView {
    private LedgerView() {
    }

    /**
     * Which incidents to list: those with any of {@code statuses} (empty: any status), open
     * ones only when {@code openOnly}, and of the class, severity and owner given (null: any).
     * Values are matched exactly, as the ledger stores them.
     */
    public record IncidentFilter(List<String> statuses, boolean openOnly, String crashClass, String severity,
            String ownerHint) {
        public static final IncidentFilter ALL = new IncidentFilter(List.of(), false, null, null, null);

        public IncidentFilter {
            statuses = statuses == null ? List.of() : List.copyOf(statuses);
        }

        /** Every incident with this status; every incident when it is null. */
        public static IncidentFilter status(String status) {
            return new IncidentFilter(status == null ? List.of() : List.of(status), false, null, null, null);
        }
    }

    /**
     * One incident as the ledger knows it now. Times are run times (unix ms).
     *
     * @param regressions times it was reopened (resolved, then seen again)
     * @param lastVerdict the verdict the verdict rules gave it in the last run that judged it; null when never
     */
    public record Incident(String incidentId, String status, String previousStatus, String crashClass,
            String severity, String ownerHint, String packetId, String suiteId, String scenarioId, String mode,
            String envFingerprint, String reasonCode, long firstSeenUnixMs, long lastSeenUnixMs,
            long statusChangedUnixMs, long openedUnixMs, int runsSeen, long occurrences, boolean open,
            int regressions, String lastVerdict) {
    }

    /** One recorded run; {@code entered}: incidents that took each status in it, every status. */
    public record Run(long runId, long recordedUnixMs, String toolVersion, String rulesSha256,
            String policySha256, String packetFilter, RunFacts.CiFacts ci, long totalEntries, long failedEntries,
            int incidentsSeen, List<RunFacts.InputFile> inputs, Map<String, Integer> entered) {
    }

    /** A status an incident entered in a run, the rule that set it and why; the incident as the ledger has it now. */
    public record StatusChange(String incidentId, String status, String previousStatus, String crashClass,
            String severity, String ownerHint, String packetId, String suiteId, String scenarioId, String mode,
            String rule, String reason) {
    }

    /** One run and the status changes it recorded: new, recurring-again, regressed, resolved first to last. */
    public record RunChanges(Run run, List<StatusChange> changes) {
    }

    /**
     * One recorded run in the life of an incident (runs since its first sighting in which it
     * was seen, its status changed, its scenario ran or it was replayed).
     *
     * @param seen         this run saw it; occurrences its failures in the run
     * @param passes       passing entries of its scenario in the run (every env), null when the scenario did not run
     * @param failures     failing entries of its scenario in the run, null when it did not run
     * @param status       the status it entered in this run, null when unchanged
     * @param replay       replay attempts given to this run, null when none
     */
    public record TimelineEntry(long runId, long recordedUnixMs, String commit, boolean seen, long occurrences,
            Long passes, Long failures, String status, String previousStatus, String rule, String reason,
            ReplayEvidence.Counts replay) {
    }

    /** An incident and its runs, oldest first. */
    public record Timeline(Incident incident, List<TimelineEntry> runs) {
    }

    /** What {@code ledger migrate} found and left: schema versions, 0 for none. */
    public record Migrated(int fromVersion, int toVersion) {
    }

    /** What {@code ledger prune} removed, and the oldest run it kept (0: the ledger has no runs). */
    public record Pruned(int runs, long keptFromRunId) {
    }

    /**
     * Trends over the last runs, for the HTML report.
     *
     * @param runs            the runs, oldest first, each with its counts per class
     * @param longestOpen     open incidents, open the longest first
     * @param mostRecurring   incidents seen in the most runs first
     * @param flakyScenarios  scenarios that both passed and failed on one env, most failing runs first
     */
    public record Trends(List<RunTrend> runs, List<Incident> longestOpen, List<Incident> mostRecurring,
            List<FlakyScenario> flakyScenarios) {
    }

    /**
     * One run's counts for trends.
     *
     * @param open    open incidents after the run, per class
     * @param entered incidents that took each status in the run, per status, then per class
     */
    public record RunTrend(long runId, long recordedUnixMs, String commit, Map<String, Integer> open,
            Map<String, Map<String, Integer>> entered) {

        // Sums of 32-bit counts in 64 bits: exact (an int sum of two large classes wrapped round negative).
        public long openTotal() {
            return open.values().stream().mapToLong(Integer::longValue).sum();
        }

        public long enteredTotal(String status) {
            return entered.getOrDefault(status, Map.of()).values().stream().mapToLong(Integer::longValue).sum();
        }
    }

    /**
     * A scenario on one env fingerprint with its recorded runs since it first failed, or since
     * its history last restarted (a failure after a fix).
     *
     * @param historyRestarted whether the counts start from such a restart
     * @param historySinceRun  the run they start from: the one it first failed in (on any env), or the one whose
     *                         failure restarted them
     */
    public record FlakyScenario(String packetId, String suiteId, String scenarioId, String mode,
            String envFingerprint, int runs, int passingRuns, int failingRuns, int mixedRuns,
            boolean historyRestarted, long historySinceRun) {
    }
}
