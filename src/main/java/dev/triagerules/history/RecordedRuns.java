package dev.triagerules.history;

/**
 * The runs of a scenario on one environment that a ledger has recorded, this run
 * included: evidence for the verdict rules beyond the logs given together. A ledger keeps
 * per-run counts of a scenario from the run in which it first failed (anywhere) on, so
 * these are the runs since then.
 */
@FunctionalInterface
public interface RecordedRuns {
    /** No ledger: nothing recorded. */
    RecordedRuns NONE = (key, envFingerprint) -> null;

    /** The key's recorded runs on that environment fingerprint; null when there are none. */
    Counts of(ScenarioKey key, String envFingerprint);

    /**
     * @param runs        recorded runs in which the key ran on the environment
     * @param passingRuns of those, runs in which every entry of it passed
     * @param failingRuns runs in which some entry of it failed
     * @param mixedRuns   failing runs in which other entries of it passed
     */
    record Counts(int runs, int passingRuns, int failingRuns, int mixedRuns) {
    }
}
