package dev.triagerules.base;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The files one command reads and writes, each under the option that names it: no output
 * may be the same file as an input or another output. "The same" is decided as the kernel
 * sees it: symlinks followed, and an existing file by its identity on disk (hard links
 * included), a new one by its real folder and name. Streams (devices, FIFOs, open
 * descriptors such as {@code /dev/null} or {@code /dev/stdout}) are written in place, so
 * any number of outputs may share one. A command lists its files, then asks for
 * {@link #collision()} before it reads or writes anything.
 */
public final class DistinctFiles {
    private record Named(String option, Path given, Object identity, boolean output) {
    }

    private final List<Named> files = new ArrayList<>();

    /** A file the command reads; a missing one or a stream is left out. */
    public DistinctFiles read(String option, Path file) {
        if (file != null) {
            Object identity = inputIdentity(file);
            if (identity != null) {
                files.add(new Named(option, file, identity, false));
            }
        }
        return this;
    }

    /**
     * A file the command writes; null (not asked for) is left out.
     *
     * @throws UserError when it can be no output at all (a directory, ...) or this process may
     *         not write it: see {@link OutputTarget#requireWritable}
     */
    public DistinctFiles write(String option, Path file) {
        return file == null ? this : output(option, file, OutputTarget.of(file).requireWritable());
    }

    /** A file the command appends to, in place: as {@link #write}, see {@link OutputTarget#requireAppendable}. */
    public DistinctFiles append(String option, Path file) {
        return file == null ? this : output(option, file, OutputTarget.of(file).requireAppendable());
    }

    /**
     * A file the command may write that reports its own errors when it cannot (a SQLite
     * ledger: a run on a read-only one is judged, its outputs written, exit 4), or that a
     * dry run only names: compared like an output, not checked for writing.
     */
    public DistinctFiles alsoWrites(String option, Path file) {
        return file == null ? this : output(option, file, OutputTarget.of(file));
    }

    private DistinctFiles output(String option, Path file, OutputTarget target) {
        Object identity = target.identity();
        if (identity != null) {
            files.add(new Named(option, file, identity, true));
        }
        return this;
    }

    /**
     * The first output that is the same file as an input or an earlier output, as a message
     * naming both options: {@code --output and --markdown name the same file (r.json); each output needs a file
     * of its own}. The names are escaped ({@link VisibleText#inMessage}): none can break the message's line or
     * drive the terminal.
     */
    public Optional<String> collision() {
        for (int later = 0; later < files.size(); later++) {
            Named second = files.get(later);
            for (int earlier = 0; earlier < later; earlier++) {
                Named first = files.get(earlier);
                if ((first.output || second.output) && first.identity.equals(second.identity)) {
                    String where = VisibleText.inMessage(first.given.equals(second.given) ? first.given.toString()
                            : first.given + " and " + second.given);
                    return Optional.of(first.option + " and " + second.option + " name the same file (" + where
                            + "); " + (first.output && second.output ? "each output needs a file of its own"
                                    : "an output must not be an input"));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A file's identity on disk, following links: its device and inode where the file
     * system has them (so hard links are one file), else its real path; null when it is
     * missing or not a regular file (a stream is read once, wherever it is named).
     */
    public static Object inputIdentity(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                return null;
            }
            return attributes.fileKey() != null ? attributes.fileKey() : file.toRealPath();
        } catch (IOException e) {
            return null; // reading it will say what is wrong
        }
    }
}
