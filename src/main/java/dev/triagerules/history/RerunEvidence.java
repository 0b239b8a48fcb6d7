package dev.triagerules.history;

import java.util.HashMap;
import java.util.Map;

/**
 * What test runners' own reruns showed, per scenario key: Surefire's and Failsafe's
 * {@code rerunFailingTestsCount} and nextest's retries write each failed attempt into the
 * report ({@code flakyFailure} when a later attempt passed, {@code rerunFailure} when none
 * did). The verdict rules see the counts ({@link ScenarioHistory#getRerunFailures()} and
 * the like), summed over every run read.
 *
 * <p>Memory grows with the number of test cases that were rerun, which only failing ones are.
 */
public final class RerunEvidence {
    /** Attempts of one key: the first run and its reruns. */
    public record Counts(int attempts, int passes, int failures) {
        static final Counts NONE = new Counts(0, 0, 0);
    }

    private final Map<ScenarioKey, int[]> byKey = new HashMap<>();

    /**
     * Records one test case's attempts in one run.
     *
     * @param failedAttempts attempts that failed, the first run included
     * @param passedAttempts attempts that passed (for a flaky test case, the last one)
     */
    public void record(ScenarioKey key, int failedAttempts, int passedAttempts) {
        if (failedAttempts < 0 || passedAttempts < 0) {
            throw new IllegalArgumentException("attempt counts cannot be negative");
        }
        int[] counts = byKey.computeIfAbsent(key, k -> new int[2]);
        counts[0] = saturatedAdd(counts[0], failedAttempts);
        counts[1] = saturatedAdd(counts[1], passedAttempts);
    }

    /** The key's attempts over all runs; zeros when it was never rerun. */
    public Counts of(ScenarioKey key) {
        int[] counts = byKey.get(key);
        return counts == null ? Counts.NONE
                : new Counts(saturatedAdd(counts[0], counts[1]), counts[1], counts[0]);
    }

    public boolean isEmpty() {
        return byKey.isEmpty();
    }

    private static int saturatedAdd(int a, int b) {
        long sum = (long) a + b;
        return sum > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) sum;
    }
}
