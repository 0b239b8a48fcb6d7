package dev.triagerules.base;

/**
 * What an exit status says about whether a command ran at all. POSIX shells and
 * {@code setsid} report a program they could not start as 127 (not found) or 126 (found but
 * not executable); replay records such an attempt as {@code not_runnable}, and everything
 * that reads replays back (the gate, {@code --replays}, {@code html --replays}) judges it by
 * this one rule, kept here because the history package may not use the replay package.
 */
public final class ExitStatus {
    public static final int NOT_FOUND = 127;
    public static final int NOT_EXECUTABLE = 126;

    private ExitStatus() {
    }

    /**
     * The command's program (or a program a shell command runs) could not be started. A
     * timed-out command ran, whatever status its ending gave it. A test that really exits 126
     * or 127 is judged so too: that errs towards replaying again, never towards closing.
     */
    public static boolean notRunnable(int exitCode, boolean timedOut) {
        return !timedOut && (exitCode == NOT_FOUND || exitCode == NOT_EXECUTABLE);
    }

    /** The shell's meaning of a status {@link #notRunnable} accepts: {@code not found} or {@code not executable}. */
    public static String meaning(int exitCode) {
        return exitCode == NOT_FOUND ? "not found" : "not executable";
    }
}
