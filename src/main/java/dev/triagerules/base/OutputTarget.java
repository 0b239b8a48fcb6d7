package dev.triagerules.base;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a path names when the tool writes to it, decided once for every writer (see
 * {@link AtomicOutput}):
 * <ul>
 * <li>a regular file, or nothing yet: a <em>file</em>, replaced atomically at its
 *     {@link #path() real path}; a symbolic link (or a chain of them) is followed, so the
 *     link stays a link and its target gets the new content; a dangling link's target is
 *     created;</li>
 * <li>a character device or a FIFO ({@code /dev/null}, {@code /dev/stdout},
 *     {@code >(...)}), or an open descriptor named through {@code /proc/PID/fd} or
 *     {@code /dev/fd}: a <em>stream</em>, written in place (this process's own stdout and
 *     stderr through the descriptors it inherited, see {@link #inheritedDescriptor()});</li>
 * <li>anything else (a directory, a socket, a block device): refused, {@code PATH: cannot
 *     write: is a directory}.</li>
 * </ul>
 * Nothing is created or changed by deciding.
 */
public final class OutputTarget {
    /** As many links as Linux follows in one path (MAXSYMLINKS). */
    private static final int MAX_LINKS = 40;
    /** The folders whose entries are a process's open descriptors ("magic" links). */
    private static final Pattern DESCRIPTOR_FOLDER = Pattern.compile("/proc/([0-9]+)(/task/[0-9]+)?/fd");

    // st_mode's file type bits (POSIX <sys/stat.h>): the JDK tells "other" files apart only through unix:mode.
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;

    private final Path given;
    private final Path path;
    private final boolean stream;
    private final boolean exists;
    private final FileDescriptor inherited;

    private OutputTarget(Path given, Path path, boolean stream, boolean exists) {
        this(given, path, stream, exists, null);
    }

    private OutputTarget(Path given, Path path, boolean stream, boolean exists, FileDescriptor inherited) {
        this.given = given;
        this.path = path;
        this.stream = stream;
        this.exists = exists;
        this.inherited = inherited;
    }

    /**
     * Decides what writing to {@code given} means.
     *
     * @throws UserError naming {@code given} when it cannot be written: a directory, socket or
     *         block device, a loop of links, or a path that cannot be looked at
     */
    public static OutputTarget of(Path given) {
        Objects.requireNonNull(given);
        Path current = given.toAbsolutePath();
        try {
            for (int hops = 0; ; hops++) {
                if (hops > MAX_LINKS) {
                    throw notWritable(given, "too many levels of symbolic links");
                }
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(current, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException e) {
                    Path folded = realFolder(current).resolve(current.getFileName()).normalize();
                    if (!folded.equals(current) && Files.exists(folded, LinkOption.NOFOLLOW_LINKS)) {
                        // "missing/../name": the writer makes the missing folders, so this is
                        // whatever is at the folded path, an input log maybe: decide on that.
                        current = folded;
                        continue;
                    }
                    return new OutputTarget(given, folded, false, false);
                }
                if (attributes.isSymbolicLink()) {
                    Path folder = current.getParent().toRealPath();
                    Matcher descriptorFolder = DESCRIPTOR_FOLDER.matcher(folder.toString());
                    if (descriptorFolder.matches()) {
                        return descriptor(given, current, descriptorFolder.group(1));
                    }
                    current = folder.resolve(Files.readSymbolicLink(current));
                    continue;
                }
                if (attributes.isRegularFile()) {
                    return new OutputTarget(given, current.getParent().toRealPath().resolve(current.getFileName()),
                            false, true);
                }
                if (attributes.isDirectory()) {
                    throw notWritable(given, "is a directory");
                }
                return special(given, current);
            }
        } catch (IOException e) {
            throw new UserError(shown(given) + ": cannot write: " + describe(e), e);
        }
    }

    /**
     * An open descriptor ({@code /dev/stdout} is {@code /proc/self/fd/1}): the kernel follows
     * it to whatever the shell opened, a terminal, a pipe or a file; it is written in place,
     * so {@code >} and {@code >>} keep their meaning. A descriptor of a folder is refused.
     */
    private static OutputTarget descriptor(Path given, Path link, String pid) throws IOException {
        if (Files.isDirectory(link)) {
            throw notWritable(given, "is a directory");
        }
        FileDescriptor inherited = null;
        if (pid.equals(Long.toString(ProcessHandle.current().pid()))) {
            String number = link.getFileName().toString();
            inherited = number.equals("1") ? FileDescriptor.out : number.equals("2") ? FileDescriptor.err : null;
        }
        return new OutputTarget(given, link, true, true, inherited);
    }

    /** A file that is neither regular, a folder nor a link: by its type bits. */
    private static OutputTarget special(Path given, Path path) throws IOException {
        int type;
        try {
            type = ((Integer) Files.readAttributes(path, "unix:mode", LinkOption.NOFOLLOW_LINKS).get("mode")) & S_IFMT;
        } catch (UnsupportedOperationException e) {
            return new OutputTarget(given, path, true, true); // no Unix types here: an "other" file is a device
        }
        return switch (type) {
            case S_IFCHR, S_IFIFO -> new OutputTarget(given, path, true, true);
            case S_IFBLK -> throw notWritable(given, "is a block device");
            case S_IFSOCK -> throw notWritable(given, "is a socket");
            default -> throw notWritable(given, "is not a regular file");
        };
    }

    /**
     * The real folder of a path that does not exist yet: its nearest existing ancestor made
     * real, then the missing folders below it, so two spellings of one new file compare equal.
     */
    private static Path realFolder(Path path) throws IOException {
        Path folder = path.getParent();
        Path missing = Path.of("");
        while (!Files.exists(folder)) {
            missing = folder.getFileName().resolve(missing);
            folder = folder.getParent();
        }
        return folder.toRealPath().resolve(missing).normalize();
    }

    /**
     * Refuses a file this process could not create or replace, before anything is read or
     * written: its folder (or the nearest one that exists, where the missing ones would be
     * made) is not writable. A command checks every output so, so that it fails whole rather
     * than replacing some outputs and failing on the next (a report new, its JUnit XML old).
     * A stream is opened in place: only opening it tells.
     */
    public OutputTarget requireWritable() {
        return requireWritable(false);
    }

    /**
     * As {@link #requireWritable()}, for a file written in place at its end
     * ({@code --markdown-append}): an existing one must be writable itself, its folder need
     * not be.
     */
    public OutputTarget requireAppendable() {
        return requireWritable(true);
    }

    private OutputTarget requireWritable(boolean appended) {
        if (stream) {
            return this;
        }
        if (appended && exists) {
            if (!Files.isWritable(path)) {
                throw notWritable(given, "permission denied");
            }
            return this;
        }
        Path folder = path.getParent();
        while (folder != null && !Files.exists(folder)) {
            folder = folder.getParent();
        }
        if (folder != null && !Files.isWritable(folder)) {
            throw notWritable(given, "permission denied (its folder " + folder + " is not writable)");
        }
        return this;
    }

    private static UserError notWritable(Path given, String why) {
        return new UserError(shown(given) + ": cannot write: " + why);
    }

    /** An output's name in a message: as the user gave it, escaped so that it stays on one line. */
    static String shown(Path given) {
        return VisibleText.inMessage(given.toString());
    }

    /** The JDK's messages for these name only the path; say what went wrong. */
    static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        return e.getMessage();
    }

    /** The path as the user gave it, for messages. */
    public Path given() {
        return given;
    }

    /**
     * Where to write: for a file, its real path (links followed, folder made real); for a
     * stream, the path to open in place.
     */
    public Path path() {
        return path;
    }

    /** A device, FIFO or open descriptor: written in place, never replaced. */
    public boolean isStream() {
        return stream;
    }

    /**
     * This process's stdout or stderr when the path names it ({@code /dev/stdout},
     * {@code /dev/fd/2}, {@code /proc/self/fd/1}), else null. It is written through the
     * descriptor the process inherited, not opened anew: a file the shell opened with
     * {@code >} has one offset, shared with the shell and with what the tool prints there,
     * where a new open would start at 0 and be overwritten by the next line the shell writes.
     * Any other descriptor is opened through its path.
     */
    FileDescriptor inheritedDescriptor() {
        return inherited;
    }

    /** Whether something is there already (a file to replace, or a stream). */
    public boolean exists() {
        return exists;
    }

    /**
     * What makes two targets the same file: a file's identity on disk (device and inode, so
     * hard links compare equal) when it exists, else its real path; null for a stream, which
     * any number of outputs may share (two outputs to /dev/null are fine).
     */
    public Object identity() {
        if (stream) {
            return null;
        }
        if (exists) {
            try {
                Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
                return key != null ? key : path;
            } catch (IOException e) {
                return path;
            }
        }
        return path;
    }
}
