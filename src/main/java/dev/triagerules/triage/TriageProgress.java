package dev.triagerules.triage;

/**
 * Told how far a triage has come, on the thread that runs it: each run as it starts, how
 * far its read has come (after each block), and its end.
 */
public interface TriageProgress {
    TriageProgress NONE = new TriageProgress() {
    };

    /** A run starts: its name and its size in bytes when known beforehand, else 0. */
    default void startRun(String name, long sizeHint) {
    }

    /** Bytes and entries of the current run read so far. */
    default void update(long bytesRead, long entriesRead) {
    }

    /** The current run has been read. */
    default void endRun() {
    }
}
