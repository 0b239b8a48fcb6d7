package dev.triagerules.history;

import java.util.List;

/**
 * The verdict of one incident and what it rests on: the {@code determinism} object of a
 * report incident.
 *
 * @param verdict           {@code flaky}, {@code deterministic} or {@code insufficient_evidence}
 * @param rule              the verdict rule that decided, or null
 * @param flakeRate         failed share of every observation (entries of the key in counted
 *                          runs, plus non-hung replay attempts); null when there is none
 * @param replay            this incident's replay attempts, or null when no summary had it
 * @param gatingExclusion   why the incident is out of CI gating, or null when it gates
 * @param countedInLogs     whether {@code runs} to {@code failures} were counted from the logs:
 *                          false in a run with a ledger and one input but no {@code --history}
 * @param ledger            the runs a ledger recorded of the scenario on the incident's
 *                          environment fingerprint (this run included), or null without a ledger
 */
public record Determinism(String verdict, String rule, int runs, int passingRuns, int failingRuns, int mixedRuns,
        long passes, long failures, int excludedRuns, Double flakeRate, boolean sameSeedMixed, String sameSeed,
        String sameSeedEnv, List<String> reasonCodes, boolean reasonCodesCapped, ReplayEvidence.Counts replay,
        List<String> evidence, List<String> labels, String gatingExclusion, boolean countedInLogs,
        RecordedRuns.Counts ledger) {

    public boolean gatingExcluded() {
        return gatingExclusion != null;
    }
}
