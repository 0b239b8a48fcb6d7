package dev.triagerules.history;

/**
 * The runs of a scenario on one environment that a ledger has recorded, this run
 * included: evidence for the verdict rules beyond the logs given together. A ledger keeps
 * per-run counts of a scenario from the run in which it first failed (anywhere) on, and
 * starts them afresh when it fails after a fix (its history restarts), so these are the
 * runs since the one of the two that came last.
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
     * @param restarted   whether the counts start from a restart (a failure after a fix) rather
     *                    than from the key's first failure
     * @param sinceRun    the run they start from: the one it first failed in, or the one whose
     *                    failure restarted them; {@link #THIS_RUN} when that is the run being
     *                    judged, which has no number until it is recorded
     */
    record Counts(int runs, int passingRuns, int failingRuns, int mixedRuns, boolean restarted, long sinceRun) {
        /** The run being judged, as {@code sinceRun}: not recorded yet, so without a number. */
        public static final long THIS_RUN = 0;
        /** Nothing recorded. */
        public static final Counts NONE = new Counts(0, 0, 0, 0, false, THIS_RUN);
    }
}
