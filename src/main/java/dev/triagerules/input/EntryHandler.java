package dev.triagerules.input;

/** Receives each entry of a log in file order, with its 1-based line number. */
@FunctionalInterface
public interface EntryHandler {
    void accept(LogEntry entry, long lineNumber);
}
