package dev.triagerules.policy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.triagerules.base.EntryProblem;
import java.util.ArrayList;
import java.util.List;

/**
 * Thresholds of the incident lifecycle in a ledger (policy key {@code lifecycle}). The
 * lifecycle rules ({@code rules/lifecycle.drl}) see it as a fact.
 *
 * @param resolveAfterPassingRuns    an incident is resolved after this many recorded runs, since it was last
 *                                   seen, in which its scenario ran and passed
 * @param resolveAfterPassingReplays or when a replay summary given to the run has at least this many passing
 *                                   attempts of it and no failing one
 * @param resolveFlakyAfterPassingRuns the passing runs that resolve an incident whose last verdict was flaky
 *                                   (which verdict that is, is the lifecycle rules' business)
 */
public record LifecyclePolicy(
        @JsonProperty("resolve_after_passing_runs") Integer resolveAfterPassingRuns,
        @JsonProperty("resolve_after_passing_replays") Integer resolveAfterPassingReplays,
        @JsonProperty("resolve_flaky_after_passing_runs") Integer resolveFlakyAfterPassingRuns) {

    /** What applies when no policy file has a {@code lifecycle} key. */
    public static final LifecyclePolicy DEFAULT = new LifecyclePolicy(3, 1, 10);

    public LifecyclePolicy {
        resolveAfterPassingRuns = resolveAfterPassingRuns == null ? 3 : resolveAfterPassingRuns;
        resolveAfterPassingReplays = resolveAfterPassingReplays == null ? 1 : resolveAfterPassingReplays;
        resolveFlakyAfterPassingRuns = resolveFlakyAfterPassingRuns == null ? 10 : resolveFlakyAfterPassingRuns;
    }

    // Bean getters for the rules (DRL reads fields through getters); not policy keys.

    @JsonIgnore
    public int getResolveAfterPassingRuns() {
        return resolveAfterPassingRuns;
    }

    @JsonIgnore
    public int getResolveAfterPassingReplays() {
        return resolveAfterPassingReplays;
    }

    @JsonIgnore
    public int getResolveFlakyAfterPassingRuns() {
        return resolveFlakyAfterPassingRuns;
    }

    /** Problems with the values, as messages naming the key; empty when fine. */
    public List<EntryProblem> problems() {
        List<EntryProblem> problems = new ArrayList<>();
        if (resolveAfterPassingRuns < 1) {
            problems.add(EntryProblem.atValue("lifecycle/resolve_after_passing_runs",
                    "lifecycle.resolve_after_passing_runs must be at least 1, got " + resolveAfterPassingRuns));
        }
        if (resolveAfterPassingReplays < 1) {
            problems.add(EntryProblem.atValue("lifecycle/resolve_after_passing_replays",
                    "lifecycle.resolve_after_passing_replays must be at least 1, got " + resolveAfterPassingReplays));
        }
        if (resolveFlakyAfterPassingRuns < 1) {
            problems.add(EntryProblem.atValue("lifecycle/resolve_flaky_after_passing_runs",
                    "lifecycle.resolve_flaky_after_passing_runs must be at least 1, got "
                            + resolveFlakyAfterPassingRuns));
        }
        return problems;
    }
}
