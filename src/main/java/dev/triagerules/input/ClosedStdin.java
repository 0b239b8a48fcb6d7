package dev.triagerules.input;

import dev.triagerules.base.UserError;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Tells a closed stdin ({@code triage-rules --input - <&-}) from an empty one. With file
 * descriptor 0 closed when the JVM starts, the JVM's first open file takes it (its
 * {@code lib/modules}), and {@code System.in} would read the JDK's own modules as a log.
 * Two checks: the launcher ({@code bin/triage-rules}) sees fd 0 closed before the JVM
 * starts and says so with {@code -Dtriage.stdin=closed}; a JVM started otherwise looks at
 * {@code /proc/self/fd/0}, which then is missing or names a file of the JDK or of the
 * class path.
 */
final class ClosedStdin {
    /** The system property the launcher sets when fd 0 was closed. */
    static final String PROPERTY = "triage.stdin";
    private static final Path FD0 = Path.of("/proc/self/fd/0");

    private ClosedStdin() {
    }

    static void check() {
        if (isClosed()) {
            throw new UserError("--input -: stdin is closed (was it started with <&- ?); pipe a log into it,"
                    + " or give --input FILE");
        }
    }

    static boolean isClosed() {
        if ("closed".equals(System.getProperty(PROPERTY))) {
            return true;
        }
        if (!Files.isDirectory(FD0.getParent())) {
            return false; // no /proc: nothing more to tell
        }
        Path target;
        try {
            target = Files.readSymbolicLink(FD0);
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
        return isJvmFile(target);
    }

    /** Whether the file fd 0 names is one the JVM opened for itself: under java.home, or on the class path. */
    static boolean isJvmFile(Path target) {
        if (!target.isAbsolute()) {
            return false; // pipe:[1234], socket:[...], anon_inode:...
        }
        Path file = realPath(target);
        if (file.startsWith(realPath(Path.of(System.getProperty("java.home"))))) {
            return true;
        }
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isEmpty() && file.equals(realPath(Path.of(entry)))) {
                return true;
            }
        }
        return false;
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException | SecurityException e) {
            return path.toAbsolutePath().normalize();
        }
    }
}
