package dev.triagerules.replay;

import java.time.Instant;

/**
 * How one run of a command ended.
 *
 * @param exitCode   the shell's exit status; when ended by a signal, 128 + the signal (143 TERM, 137 KILL)
 * @param timedOut   the timeout was reached and the whole tree was ended
 * @param started    when the command was started
 * @param durationMs wall time from start until the shell was gone
 * @param output     combined stdout and stderr, bounded
 */
public record RunResult(int exitCode, boolean timedOut, Instant started, long durationMs, BoundedOutput output) {

    public boolean failed() {
        return exitCode != 0;
    }
}
