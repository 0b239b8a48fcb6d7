package dev.triagerules.triage;

import java.nio.file.Path;
import java.util.List;

/**
 * Whether and on what evidence incidents get a flaky-or-deterministic verdict.
 *
 * @param history judge even a single run without replays
 * @param replays replay summaries whose attempts count as evidence; null when none was
 *                given (an empty list still asks for verdicts)
 */
public record VerdictOptions(boolean history, List<Path> replays) {
    /** No verdicts unless several runs are read. */
    public static final VerdictOptions NONE = new VerdictOptions(false, null);

    public VerdictOptions {
        replays = replays == null ? null : List.copyOf(replays);
    }

    /**
     * Whether to judge: verdicts need every entry's outcome, which costs 12-25 % more time on
     * a large log, so a plain single-run triage keeps the fast path.
     */
    boolean judges(int runs) {
        return history || runs > 1 || replays != null;
    }
}
