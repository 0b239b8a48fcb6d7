package dev.triagerules.base;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Every file the tool writes goes through here, so every output follows the same rules
 * (where the path leads is decided by {@link OutputTarget}):
 * <ul>
 * <li>a file is written to a temp file beside its real path ({@code .NAME.RANDOM.tmp}, same
 *     folder, same file system) and renamed over it: readers see the old content or the
 *     complete new one, and a failed or killed run leaves the old file as it was (a killed
 *     one may leave its temp file, removed by the next write to that name once a day old);</li>
 * <li>a symlink is followed and its target replaced, the link kept;</li>
 * <li>a replaced file keeps its permission bits; a new one gets the mode of any new file
 *     (the umask decides), except {@link #writePrivate private} ones;</li>
 * <li>a character device, FIFO or open descriptor ({@code /dev/null}, {@code /dev/stdout},
 *     {@code >(...)}) is written in place, appending (this process's stdout and stderr
 *     through the descriptors it inherited, sharing their offset); a directory, socket or
 *     block device is refused ({@code PATH: cannot write: is a directory});</li>
 * <li>{@link #append} adds to a file and, when that fails (a full disk), cuts the file back
 *     to its previous length;</li>
 * <li>a command that writes several files writes them through an {@link OutputSet}, so
 *     that one failing leaves every one as it was.</li>
 * </ul>
 */
public final class AtomicOutput {
    /** A temp file of ours not modified for this long belongs to a run that was killed. */
    static final Duration STALE_TEMP_AGE = Duration.ofHours(24);
    /**
     * Characters of the target's name kept in its temp file's name: with the random part and
     * ".tmp" the name stays under the 255 bytes file systems allow, even in 4-byte UTF-8.
     */
    private static final int NAME_IN_TEMP = 48;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** Writes the body into a temp file. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicOutput() {
    }

    /**
     * Checks that {@code target} can be an output (not a directory, socket or block device)
     * before any work is done; writing checks again.
     *
     * @throws UserError {@code PATH: cannot write: is a directory}, ...
     */
    public static OutputTarget check(Path target) {
        return OutputTarget.of(target);
    }

    /** Writes a whole file (see the class comment). */
    public static void write(Path target, Body body) {
        write(target, body, false);
    }

    /**
     * Writes a whole file that only its owner may read ({@code rw-------}), whatever the
     * umask and whatever mode the file it replaces had: for secrets and caches.
     */
    public static void writePrivate(Path target, Body body) {
        write(target, body, true);
    }

    private static void write(Path target, Body body, boolean ownerOnly) {
        try (Pending pending = open(target, ownerOnly)) {
            pending.write(body);
            pending.commit();
        }
    }

    /** A file written in pieces (e.g. while the input streams by), see {@link Pending}. */
    public static Pending open(Path target) {
        return open(target, false);
    }

    private static Pending open(Path target, boolean ownerOnly) {
        OutputTarget resolved = OutputTarget.of(target);
        try {
            return resolved.isStream() ? new Pending(resolved, null, inPlace(resolved))
                    : Pending.replacing(resolved, ownerOnly);
        } catch (IOException e) {
            throw cannotWrite(target, e);
        }
    }

    /**
     * A file being written in pieces: readers see nothing new until {@link #commit()};
     * {@link #close()} without commit discards it. A stream (device, FIFO) gets the bytes as
     * they are written: what was written before a failure cannot be taken back. One that
     * belongs to an {@link OutputSet} is committed by the set, with the others.
     */
    public static final class Pending implements Closeable {
        private final OutputTarget target;
        private final Path temp;
        private final OutputStream out;
        /** The bytes are all out of this process (the temp file or stream closed). */
        private boolean finished;
        /** In place (renamed, or a stream finished), or discarded: nothing left to do. */
        private boolean done;
        private boolean inSet;

        private Pending(OutputTarget target, Path temp, OutputStream out) {
            this.target = target;
            this.temp = temp;
            this.out = out;
        }

        private static Pending replacing(OutputTarget target, boolean ownerOnly) throws IOException {
            Path path = target.path();
            Files.createDirectories(path.getParent());
            removeStaleTemps(path);
            Path temp = createTemp(path, ownerOnly);
            try {
                OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE);
                // Set while the temp is still empty (a replaced secret is never readable by
                // others), and after opening it (a read-only mode would keep us out).
                if (!ownerOnly && target.exists()) {
                    keepPermissions(path, temp);
                }
                return new Pending(target, temp, new BufferedOutputStream(out, 1 << 16));
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
        }

        public OutputStream stream() {
            return out;
        }

        /** Where the bytes go in the end: the real file, or the stream. */
        public Path path() {
            return target.path();
        }

        /** Makes the file visible (renamed over its target); a stream has had its bytes. */
        public void commit() {
            if (inSet) {
                throw new IllegalStateException(target.given() + " is committed by its OutputSet");
            }
            finish();
            publish();
        }

        /** Writes a whole body (the stream is left open: see {@link #finish}). */
        void write(Body body) {
            try {
                body.writeTo(out);
            } catch (IOException e) {
                throw cannotWrite(e);
            }
        }

        /**
         * Closes the stream, so that every byte has reached the temp file or the device and
         * any error (a full disk) has shown; the target is not touched yet.
         */
        void finish() {
            if (finished) {
                return;
            }
            finished = true;
            try {
                out.close();
            } catch (IOException e) {
                throw cannotWrite(e);
            }
        }

        /** Renames the finished temp file over the target. */
        void publish() {
            try {
                if (temp != null) {
                    move(temp, target.path());
                }
                done = true;
            } catch (IOException e) {
                throw cannotWrite(e);
            }
        }

        /**
         * The error for a write to this output that failed, worded as every output's
         * ({@code NAME: cannot write: WHY}): for a writer that streams into it and sees the failure first.
         */
        public UserError cannotWrite(IOException e) {
            return AtomicOutput.cannotWrite(target.given(), e);
        }

        Pending inSet() {
            inSet = true;
            return this;
        }

        @Override
        public void close() {
            if (done) {
                return;
            }
            done = true;
            if (!finished) {
                finished = true;
                try {
                    out.close();
                } catch (IOException ignored) {
                    // Best effort: the failure that got us here is what the user needs to see.
                }
            }
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // Best effort, as above; a stale temp file is removed by a later run.
                }
            }
        }
    }

    /**
     * Appends {@code bytes} to {@code target} (created if missing). When the append fails
     * (a full disk, a quota) the file is cut back to its length before it, or removed if this
     * call created it, and the error says so: nothing is left half-appended. A stream gets
     * the bytes in place; what reached it cannot be taken back.
     */
    public static void append(Path target, byte[] bytes) {
        OutputTarget resolved = OutputTarget.of(target);
        if (resolved.isStream()) {
            try (OutputStream out = inPlace(resolved)) {
                out.write(bytes);
            } catch (IOException e) {
                throw new UserError(OutputTarget.shown(target) + ": cannot append: " + OutputTarget.describe(e), e);
            }
            return;
        }
        Path path = resolved.path();
        try {
            Files.createDirectories(path.getParent());
        } catch (IOException e) {
            throw new UserError(OutputTarget.shown(target) + ": cannot append: " + OutputTarget.describe(e), e);
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            long before = channel.size();
            try {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                // A file system may report a full disk only when the data is flushed.
                channel.force(false);
            } catch (IOException e) {
                throw new UserError(OutputTarget.shown(target) + ": cannot append: " + OutputTarget.describe(e) + "; "
                        + rollBack(channel, path, before, resolved.exists()), e);
            }
        } catch (IOException e) {
            throw new UserError(OutputTarget.shown(target) + ": cannot append: " + OutputTarget.describe(e), e);
        }
    }

    /** Cuts a failed append off; says what the file is now. */
    private static String rollBack(FileChannel channel, Path path, long before, boolean existed) {
        try {
            if (!existed && before == 0) {
                Files.deleteIfExists(path);
                return "nothing was appended (the file it had created is removed)";
            }
            channel.truncate(before);
            return "nothing was appended (the file is back to its previous " + before + " bytes)";
        } catch (IOException e) {
            return "and it could not be cut back to its previous " + before + " bytes: "
                    + OutputTarget.describe(e);
        }
    }

    /**
     * Opens a device, FIFO or descriptor as it is: nothing created, truncated or replaced.
     * This process's stdout and stderr are written through the descriptors it inherited
     * (see {@link OutputTarget#inheritedDescriptor()}), after what it printed there already.
     */
    private static OutputStream inPlace(OutputTarget target) throws IOException {
        FileDescriptor inherited = target.inheritedDescriptor();
        if (inherited != null) {
            (inherited == FileDescriptor.out ? System.out : System.err).flush();
            return new BufferedOutputStream(new LeftOpen(new FileOutputStream(inherited)), 1 << 16);
        }
        // APPEND: through /dev/fd/N a file opened by the shell with >> keeps what it had.
        return new BufferedOutputStream(Channels.newOutputStream(
                FileChannel.open(target.path(), StandardOpenOption.WRITE, StandardOpenOption.APPEND)), 1 << 16);
    }

    /** An inherited descriptor, flushed but never closed when its output is done: it is the process's, not ours. */
    private static final class LeftOpen extends FilterOutputStream {
        LeftOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }

    private static UserError cannotWrite(Path target, IOException e) {
        return new UserError(OutputTarget.shown(target) + ": cannot write: " + OutputTarget.describe(e), e);
    }

    /**
     * A new temp file beside the target, created like any file (the umask decides its
     * mode) rather than with createTempFile's owner-only 0600, so that a report is as
     * readable as the files the user's other tools write; owner-only when asked.
     */
    private static Path createTemp(Path target, boolean ownerOnly) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temp = target.resolveSibling(tempPrefix(target) + Long.toUnsignedString(
                    ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                return ownerOnly ? createOwnerOnly(temp) : Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    private static Path createOwnerOnly(Path temp) throws IOException {
        try {
            return Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
            return Files.createFile(temp); // no POSIX modes here (Windows)
        }
    }

    private static String tempPrefix(Path target) {
        String name = target.getFileName().toString();
        int cut = name.codePointCount(0, name.length()) <= NAME_IN_TEMP ? name.length()
                : name.offsetByCodePoints(0, NAME_IN_TEMP);
        return "." + name.substring(0, cut) + ".";
    }

    /**
     * Removes temp files of ours for this target that no run has touched for a day: a run
     * killed between creating one and renaming it cannot remove it itself. Only regular
     * files named exactly as {@link #createTemp} names them are touched.
     */
    static void removeStaleTemps(Path target) {
        Pattern ours = Pattern.compile(Pattern.quote(tempPrefix(target)) + "[0-9a-z]{1,13}\\.tmp");
        FileTime staleBefore = FileTime.from(Instant.now().minus(STALE_TEMP_AGE));
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(target.getParent(),
                entry -> ours.matcher(entry.getFileName().toString()).matches())) {
            for (Path temp : temps) {
                BasicFileAttributes attributes = Files.readAttributes(temp, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (attributes.isRegularFile() && attributes.lastModifiedTime().compareTo(staleBefore) < 0) {
                    Files.deleteIfExists(temp);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Tidying only: the write itself decides success.
        }
    }

    private static void keepPermissions(Path target, Path temp) throws IOException {
        try {
            Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target));
        } catch (UnsupportedOperationException e) {
            // No POSIX modes here (Windows): nothing to keep.
        }
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
