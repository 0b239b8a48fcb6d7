package dev.triagerules.base;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file so that readers see either the old content or the complete new one:
 * write a temp file beside it, then rename over it. A failed or killed run leaves the
 * old file as it was.
 */
public final class AtomicOutput {

    /** Writes the body into a temp file. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicOutput() {
    }

    /**
     * A file being written in pieces (e.g. while the input streams by): readers see
     * nothing new until {@link #commit()}; {@link #close()} without commit discards it.
     */
    public static final class Pending implements java.io.Closeable {
        private final Path target;
        private final Path temp;
        private final OutputStream out;
        private boolean done;

        private Pending(Path target) throws IOException {
            this.target = target.toAbsolutePath();
            Files.createDirectories(this.target.getParent());
            this.temp = createTemp(this.target);
            this.out = new java.io.BufferedOutputStream(Files.newOutputStream(temp), 1 << 16);
        }

        public OutputStream stream() {
            return out;
        }

        public void commit() {
            try {
                out.close();
                move(temp, target);
                done = true;
            } catch (IOException e) {
                throw new UserError(target + ": cannot write: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            if (!done) {
                try {
                    out.close();
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // Best effort: the failure that got us here is what the user needs to see.
                }
            }
        }
    }

    public static Pending open(Path target) {
        try {
            return new Pending(target);
        } catch (AccessDeniedException e) {
            throw new UserError(target + ": cannot write: permission denied", e);
        } catch (IOException e) {
            throw new UserError(target + ": cannot write: " + e.getMessage(), e);
        }
    }

    /**
     * A new temp file beside the target, created like any file (the umask decides its
     * mode) rather than with createTempFile's owner-only 0600, so that a report is as
     * readable as the files the user's other tools write.
     */
    private static Path createTemp(Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temp = target.resolveSibling("." + target.getFileName() + "."
                    + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public static void write(Path target, Body body) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = createTemp(absolute);
            try (OutputStream out = Files.newOutputStream(temp)) {
                body.writeTo(out);
            }
            move(temp, absolute);
            temp = null;
        } catch (AccessDeniedException e) {
            throw new UserError(target + ": cannot write: permission denied", e);
        } catch (IOException e) {
            throw new UserError(target + ": cannot write: " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // Best effort: the message about the real failure matters more.
                }
            }
        }
    }
}
