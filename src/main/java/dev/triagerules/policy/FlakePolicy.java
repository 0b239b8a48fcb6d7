package dev.triagerules.policy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.triagerules.base.EntryProblem;
import java.util.ArrayList;
import java.util.List;

/**
 * Thresholds of the flaky-or-deterministic verdict (policy key {@code flake}). The verdict
 * rules ({@code rules/flake.drl}) see it as a fact; the infrastructure guard is applied in
 * Java before any rule runs, because it decides which runs the history is made of.
 *
 * @param minRuns                a key must fail in at least this many runs (and never pass) to be deterministic
 * @param minReplayAttempts      or fail in at least this many replay attempts (and never pass)
 * @param infraFailureShare      a run whose share of failed entries is above this is infrastructure-suspect
 * @param infraMinEntries        runs with fewer entries are never infrastructure-suspect (too small to judge)
 * @param excludeFlakyFromGating flaky incidents get {@code gating_excluded: true}
 * @param minRerunFailures       or fail in at least this many attempts of the test runner's own reruns
 *                               (first run included; JUnit XML {@code rerunFailure}), never passing
 */
public record FlakePolicy(
        @JsonProperty("min_runs") Integer minRuns,
        @JsonProperty("min_replay_attempts") Integer minReplayAttempts,
        @JsonProperty("infra_failure_share") Double infraFailureShare,
        @JsonProperty("infra_min_entries") Integer infraMinEntries,
        @JsonProperty("exclude_flaky_from_gating") Boolean excludeFlakyFromGating,
        @JsonProperty("min_rerun_failures") Integer minRerunFailures) {

    /** What applies when no policy file has a {@code flake} key (gating is left alone). */
    public static final FlakePolicy DEFAULT = new FlakePolicy(2, 2, 0.8, 10, false, 2);

    /** Without {@code min_rerun_failures} (default 2). */
    public FlakePolicy(Integer minRuns, Integer minReplayAttempts, Double infraFailureShare, Integer infraMinEntries,
            Boolean excludeFlakyFromGating) {
        this(minRuns, minReplayAttempts, infraFailureShare, infraMinEntries, excludeFlakyFromGating, null);
    }

    public FlakePolicy {
        minRuns = minRuns == null ? 2 : minRuns;
        minReplayAttempts = minReplayAttempts == null ? 2 : minReplayAttempts;
        infraFailureShare = infraFailureShare == null ? 0.8 : infraFailureShare;
        infraMinEntries = infraMinEntries == null ? 10 : infraMinEntries;
        excludeFlakyFromGating = excludeFlakyFromGating != null && excludeFlakyFromGating;
        minRerunFailures = minRerunFailures == null ? 2 : minRerunFailures;
    }

    // Bean getters for the rules (DRL reads fields through getters); not policy keys.

    @JsonIgnore
    public int getMinRuns() {
        return minRuns;
    }

    @JsonIgnore
    public int getMinReplayAttempts() {
        return minReplayAttempts;
    }

    @JsonIgnore
    public int getMinRerunFailures() {
        return minRerunFailures;
    }

    @JsonIgnore
    public double getInfraFailureShare() {
        return infraFailureShare;
    }

    @JsonIgnore
    public boolean isExcludeFlakyFromGating() {
        return excludeFlakyFromGating;
    }

    /** Whether a run with these counts is infrastructure-suspect. */
    public boolean infraSuspect(long entries, long failures) {
        return entries >= infraMinEntries && entries > 0 && (double) failures / entries > infraFailureShare;
    }

    /** Problems with the values, as messages naming the key; empty when fine. */
    public List<EntryProblem> problems() {
        List<EntryProblem> problems = new ArrayList<>();
        if (minRuns < 1) {
            problems.add(EntryProblem.atValue("flake/min_runs",
                    "flake.min_runs must be at least 1, got " + minRuns));
        }
        if (minReplayAttempts < 1) {
            problems.add(EntryProblem.atValue("flake/min_replay_attempts",
                    "flake.min_replay_attempts must be at least 1, got " + minReplayAttempts));
        }
        if (!(infraFailureShare > 0 && infraFailureShare <= 1)) {
            problems.add(EntryProblem.atValue("flake/infra_failure_share",
                    "flake.infra_failure_share must be above 0 and at most 1, got " + infraFailureShare));
        }
        if (minRerunFailures < 1) {
            problems.add(EntryProblem.atValue("flake/min_rerun_failures",
                    "flake.min_rerun_failures must be at least 1, got " + minRerunFailures));
        }
        if (infraMinEntries < 1) {
            problems.add(EntryProblem.atValue("flake/infra_min_entries",
                    "flake.infra_min_entries must be at least 1, got " + infraMinEntries));
        }
        return problems;
    }
}
