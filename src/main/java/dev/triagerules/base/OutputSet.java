package dev.triagerules.base;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The outputs of one command, replaced together: when one cannot be written (a full disk,
 * a quota, {@code /dev/full}), every file is left as it was, not the first few replaced
 * beside old ones. Each output follows the rules of {@link AtomicOutput}; the set orders
 * them in two phases:
 * <ol>
 * <li>{@link #write} and {@link #open} write each file to its temp file beside the target,
 *     closed (every byte out of this process, a full disk shown), and each device or FIFO
 *     in place, at once: it cannot be staged, and so it gets its bytes before any file is
 *     replaced;</li>
 * <li>{@link #commit} closes what {@link #open} left open, makes the appends, then renames
 *     every temp file over its target, in the order given.</li>
 * </ol>
 * An append is made after every write succeeded and before any rename, because a failed
 * append cuts itself back ({@link AtomicOutput#append}) while a rename cannot be taken
 * back: the likely failure (out of space) comes while everything can still be undone.
 * {@link #close()} without a commit deletes every temp file. What a device got, and an
 * append made before a rename failed, stay; so do the renames before it (a rename within
 * one folder fails only if the folder changes under the run).
 */
public final class OutputSet implements AutoCloseable {
    private record Append(Path target, byte[] bytes) {
    }

    private final List<AtomicOutput.Pending> files = new ArrayList<>();
    private final List<Append> appends = new ArrayList<>();
    private boolean ended;

    /** Writes a whole output now: a file to its temp file, to be renamed at {@link #commit}; a stream in place. */
    public void write(Path target, AtomicOutput.Body body) {
        AtomicOutput.Pending pending = open(target);
        pending.write(body);
        pending.finish();
    }

    /**
     * An output written in pieces (e.g. while the input streams by), through
     * {@link AtomicOutput.Pending#stream()}; the set commits it, or discards it on
     * {@link #close()}.
     */
    public AtomicOutput.Pending open(Path target) {
        requireOpen();
        AtomicOutput.Pending pending = AtomicOutput.open(target).inSet();
        files.add(pending);
        return pending;
    }

    /** Appends {@code bytes} to {@code target} at {@link #commit}, before the renames. */
    public void append(Path target, byte[] bytes) {
        requireOpen();
        appends.add(new Append(target, bytes.clone()));
    }

    /**
     * Puts every output in place: closes the files still open, makes the appends, renames
     * the temp files.
     *
     * @throws UserError naming the output that failed ({@code PATH: cannot write: ...},
     *         {@code PATH: cannot append: ...}); {@link #close()} then discards the rest
     */
    public void commit() {
        requireOpen();
        ended = true;
        files.forEach(AtomicOutput.Pending::finish);
        appends.forEach(append -> AtomicOutput.append(append.target(), append.bytes()));
        files.forEach(AtomicOutput.Pending::publish);
    }

    /** Deletes every temp file not renamed: without a commit, every file stays as it was. */
    @Override
    public void close() {
        ended = true;
        files.forEach(AtomicOutput.Pending::close);
    }

    private void requireOpen() {
        if (ended) {
            throw new IllegalStateException("this output set is committed or closed");
        }
    }
}
