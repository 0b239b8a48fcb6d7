package dev.triagerules.policy;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How {@code triage-rules tickets} files incidents (policy key {@code tickets}).
 *
 * @param maxNewPerRun  at most this many tickets are created per run; the rest are listed,
 *                      and created by a later run. Keeps a bad run from flooding the tracker.
 * @param closeResolved with a ledger: close the ticket of an incident the ledger has closed
 *                      (resolved), with a comment of the evidence; default false (people close)
 */
public record TicketsPolicy(@JsonProperty("max_new_per_run") Integer maxNewPerRun,
        @JsonProperty("close_resolved") Boolean closeResolved) {

    private static final int DEFAULT_MAX_NEW_PER_RUN = 20;

    /** What applies when no policy file has a {@code tickets} key. */
    public static final TicketsPolicy DEFAULT = new TicketsPolicy(DEFAULT_MAX_NEW_PER_RUN, false);

    public TicketsPolicy {
        maxNewPerRun = maxNewPerRun == null ? DEFAULT_MAX_NEW_PER_RUN : maxNewPerRun;
        closeResolved = closeResolved != null && closeResolved;
    }
}
