package dev.triagerules.replay;

import java.util.List;
import java.util.Locale;

/** What the attempts of one incident's replay showed. */
public enum Verdict {
    /** The failure came back: a non-zero exit in at least half the attempts (ClusterFuzz's count). */
    REPRODUCED,
    /** Every attempt passed. */
    NOT_REPRODUCED,
    /** Some attempts failed, but fewer than half. */
    FLAKY,
    /** An attempt reached its timeout; it was ended and not retried. */
    HUNG,
    /**
     * The program could not be started (not found: exit 127, not executable: 126); the
     * attempt was not retried and says nothing about the failure.
     */
    NOT_RUNNABLE,
    /** Not run: the command is not one the policy allows (replay.allow); it says nothing about the failure. */
    REFUSED;

    /**
     * Decides from the attempts that ran; a timed-out or not runnable attempt (the last one:
     * neither is retried) decides alone, whatever came before. Never {@link #REFUSED}: that
     * is decided before anything runs.
     */
    public static Verdict of(List<RunResult> attempts) {
        if (attempts.isEmpty()) {
            throw new IllegalArgumentException("no attempts");
        }
        if (attempts.stream().anyMatch(RunResult::timedOut)) {
            return HUNG;
        }
        if (attempts.stream().anyMatch(RunResult::notRunnable)) {
            return NOT_RUNNABLE;
        }
        long failed = attempts.stream().filter(RunResult::failed).count();
        if (failed == 0) {
            return NOT_REPRODUCED;
        }
        return failed * 2 >= attempts.size() ? REPRODUCED : FLAKY;
    }

    /** The JSON and terminal spelling: {@code reproduced}, {@code not_reproduced}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Verdict fromLabel(String label) {
        for (Verdict verdict : values()) {
            if (verdict.label().equals(label)) {
                return verdict;
            }
        }
        return null;
    }
}
