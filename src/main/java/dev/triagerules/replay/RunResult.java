package dev.triagerules.replay;

import dev.triagerules.base.ExitStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * How one run of a command ended.
 *
 * @param exitCode   the command's exit status; when ended by a signal, 128 + the signal (143 TERM, 137 KILL)
 * @param timedOut   the timeout was reached and the whole tree was ended
 * @param started    when the command was started
 * @param durationMs wall time from start until the command was gone
 * @param output     combined stdout and stderr, bounded
 */
public record RunResult(int exitCode, boolean timedOut, Instant started, long durationMs, BoundedOutput output) {
    /**
     * The command's program (or, in a shell command, a program it runs) could not be
     * started: the attempt shows nothing about the failure, so it is neither a pass nor a
     * failure. The rule is {@link ExitStatus#notRunnable}, shared with what reads replays back.
     */
    public boolean notRunnable() {
        return ExitStatus.notRunnable(exitCode, timedOut);
    }

    /**
     * This attempt is the replay's last, whatever attempts were planned: a hung command would
     * only hang again, a missing program stay missing.
     */
    public boolean endsReplay() {
        return timedOut || notRunnable();
    }

    /** A non-zero exit of a command that ran (a timed-out attempt included). */
    public boolean failed() {
        return exitCode != 0 && !notRunnable();
    }

    /**
     * An attempt whose process could not be started at all (the JVM's error, e.g. where no
     * {@code setsid} stands in between to report it as a status): recorded as a shell would
     * record it, with the error as its output.
     */
    static RunResult notStarted(Instant started, IOException error, BoundedOutput output) {
        String message = String.valueOf(error.getMessage());
        byte[] text = ("triage-rules: cannot start the command: " + message + "\n")
                .getBytes(StandardCharsets.UTF_8);
        output.append(text, 0, text.length);
        // The JDK names the errno only in its message ("error=2, No such file or directory").
        return new RunResult(message.contains("error=2,") ? ExitStatus.NOT_FOUND
                : ExitStatus.NOT_EXECUTABLE, false, started, 0, output);
    }
}
