package dev.triagerules.input;

/** Receives each entry of a log in file order, with its 1-based line number. */
@FunctionalInterface
public interface EntryHandler {
    void accept(LogEntry entry, long lineNumber);

    /**
     * Receives an entry of a run that reads several files (a folder of JUnit reports): its
     * line is in {@code file}, not in the run's own name. By default the file is dropped.
     */
    default void accept(LogEntry entry, String file, long lineNumber) {
        accept(entry, lineNumber);
    }
}
