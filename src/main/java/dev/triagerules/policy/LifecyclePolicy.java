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
 */
public record LifecyclePolicy(
        @JsonProperty("resolve_after_passing_runs") Integer resolveAfterPassingRuns,
        @JsonProperty("resolve_after_passing_replays") Integer resolveAfterPassingReplays) {

    /** What applies when no policy file has a {@code lifecycle} key. */
    public static final LifecyclePolicy DEFAULT = new LifecyclePolicy(3, 1);

    public LifecyclePolicy {
        resolveAfterPassingRuns = resolveAfterPassingRuns == null ? 3 : resolveAfterPassingRuns;
        resolveAfterPassingReplays = resolveAfterPassingReplays == null ? 1 : resolveAfterPassingReplays;
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
        return problems;
    }
}
