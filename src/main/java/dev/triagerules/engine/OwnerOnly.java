package dev.triagerules.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Whether only the user can change a folder, or read a secret file, judged from its owner
 * and mode bits as OpenSSH judges {@code ~/.ssh}: owned by the user (or root), and not
 * writable (for a secret: not even readable) by group or others. On file systems without
 * Unix owners and modes (Windows) there is nothing to judge and every path passes.
 */
final class OwnerOnly {
    /** rwx for the owner only: what this tool creates its private folders with. */
    static final FileAttribute<?> PRIVATE_FOLDER = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwx------"));
    /** rw for the owner only. */
    static final FileAttribute<?> PRIVATE_FILE = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------"));

    private static final int GROUP_OR_OTHERS_WRITE = 0022;
    private static final int GROUP_OR_OTHERS_ANY = 0077;
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./+:=@%-]+");

    private OwnerOnly() {
    }

    /** Why others could add, replace or remove entries of an existing folder; empty when they cannot. */
    static Optional<String> folderProblem(Path folder) throws IOException {
        return problem(folder, GROUP_OR_OTHERS_WRITE,
                () -> "is writable by group or others: fix with chmod go-w " + shellQuoted(folder),
                () -> "use a folder of your own");
    }

    /** Why others could read or change an existing secret file; empty when they cannot. */
    static Optional<String> secretProblem(Path file, Supplier<String> fix) throws IOException {
        return problem(file, GROUP_OR_OTHERS_ANY, () -> "can be read or changed by group or others: " + fix.get(), fix);
    }

    // Messages are built only for a problem: a run that finds none should not pay for them.
    private static Optional<String> problem(Path path, int forbiddenModeBits, Supplier<String> whyAndFix,
            Supplier<String> ownerFix) throws IOException {
        Map<String, Object> attributes;
        try {
            attributes = Files.readAttributes(path, "unix:uid,mode");
        } catch (UnsupportedOperationException e) {
            return Optional.empty();
        }
        int owner = (Integer) attributes.get("uid");
        int mode = (Integer) attributes.get("mode");
        OptionalLong user = CurrentUser.UID;
        if (user.isPresent() && owner != user.getAsLong() && owner != 0) {
            return Optional.of(path + " belongs to another user (uid " + owner + "): " + ownerFix.get());
        }
        if ((mode & forbiddenModeBits) != 0) {
            return Optional.of(path + " " + whyAndFix.get());
        }
        return Optional.empty();
    }

    /** A path as a shell reads it back: quoted when it holds anything but plain characters. */
    static String shellQuoted(Path path) {
        String text = path.toString();
        return SHELL_SAFE.matcher(text).matches() ? text : "'" + text.replace("'", "'\\''") + "'";
    }

    /** Creates a folder (and missing parents) that only the user can use, where the file system allows. */
    static void createFolder(Path folder) throws IOException {
        try {
            Files.createDirectories(folder, PRIVATE_FOLDER);
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(folder);
        }
    }

    private static final class CurrentUser {
        static final OptionalLong UID = uid();

        private static OptionalLong uid() {
            try {
                // Linux: the owner of /proc/self, 0.1 ms; UnixSystem loads a native library, 2-3 ms.
                return OptionalLong.of((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
            } catch (IOException | RuntimeException e) {
                // not Linux
            }
            try {
                return OptionalLong.of(new com.sun.security.auth.module.UnixSystem().getUid());
            } catch (LinkageError | RuntimeException e) {
                return OptionalLong.empty(); // not Unix: owners are not compared
            }
        }
    }
}
