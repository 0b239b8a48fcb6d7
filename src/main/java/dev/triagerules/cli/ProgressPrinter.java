package dev.triagerules.cli;

import dev.triagerules.triage.TriageProgress;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Progress on stderr for long inputs: bytes and entries read, rate and (when the input
 * size is known) ETA, redrawn in place at most four times a second. Used only when
 * stderr is a terminal.
 */
final class ProgressPrinter implements TriageProgress {
    private static final long INTERVAL_NANOS = 250_000_000L;

    private final PrintWriter err;
    private long totalBytes;
    private long start;
    private long lastDraw;
    private boolean drawn;

    ProgressPrinter(PrintWriter err) {
        this.err = err;
    }

    /** Measures each run from its own start; {@code sizeHint} 0 leaves out the total and ETA. */
    @Override
    public void startRun(String name, long sizeHint) {
        totalBytes = sizeHint;
        start = System.nanoTime();
        lastDraw = start;
        drawn = false;
    }

    /** Whether stderr is a terminal (Linux: fd 2 links to a tty). */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void update(long bytesRead, long entriesRead) {
        long now = System.nanoTime();
        if (now - lastDraw < INTERVAL_NANOS) {
            return;
        }
        lastDraw = now;
        double seconds = (now - start) / 1e9;
        double rate = bytesRead / Math.max(seconds, 1e-3);
        StringBuilder line = new StringBuilder("\rreading: ").append(mib(bytesRead));
        if (totalBytes > 0) {
            line.append(" of ").append(mib(totalBytes));
        }
        line.append(", ").append(entriesRead).append(" entries, ").append(mib((long) rate)).append("/s");
        if (totalBytes > 0 && bytesRead < totalBytes && rate > 0) {
            line.append(", ETA ").append(Math.round((totalBytes - bytesRead) / rate)).append(" s");
        }
        err.print(line.append("\u001b[K"));
        err.flush();
        drawn = true;
    }

    /** Clears the progress line before the summary is printed. */
    @Override
    public void endRun() {
        if (drawn) {
            err.print("\r\u001b[K");
            err.flush();
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
