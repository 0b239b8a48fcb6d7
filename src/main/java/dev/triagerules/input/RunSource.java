package dev.triagerules.input;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The entries of one run of the test matrix (one input file), whatever its format: what
 * the triage service reads. A JSONL forensic log is one ({@link JsonlRun}); another input
 * format plugs in by implementing this.
 */
public interface RunSource {
    /** How reports and messages name the run: the path (or glob) as given, or {@code -} for stdin. */
    String name();

    /**
     * The file (or folder) the run is read from; empty for stdin, and for a run of the files
     * a glob matched, which is no one file. Outputs must never overwrite it.
     */
    Optional<Path> file();

    /**
     * Every file the run reads, in order: {@link #file()} itself, or the files of a folder
     * or glob it stands for (a JUnit folder's reports); empty for stdin only. Outputs must
     * never overwrite one, and the ledger records each.
     */
    default List<Path> files() {
        return file().map(List::of).orElse(List.of());
    }

    /** Bytes the read will cross, when known before reading (for a progress ETA); 0 otherwise. */
    long sizeHint();

    /**
     * Reads the run once, in order: the selected entries to {@code entries}, each with its
     * line (or the position the format gives it), and with {@link Selection#outcomes()}
     * every selected valid entry's outcome to {@code outcomes}; both on the calling thread.
     * Returns how many entries the run has, selected or not.
     *
     * @throws dev.triagerules.base.UserError when the run cannot be read, or has an invalid
     *         entry and {@link ReadOptions#invalidLines()} is null
     */
    long read(Selection selection, ReadOptions options, EntryHandler entries, Consumer<EntryOutcome> outcomes);
}
