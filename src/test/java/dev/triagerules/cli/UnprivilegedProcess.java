package dev.triagerules.cli;

import dev.triagerules.base.FileTrees;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code triage-rules} as a separate process that a folder's permissions stop: for what a
 * read-only folder shows (a read-only mount, another user's folder). Root may write into
 * any folder, and CI runs the tests as root, so there the process runs as the user
 * {@code nobody} ({@code setpriv}), with everything it reads copied into {@code work}
 * (made world-readable): the class path, the shipped pack as its home, and a scratch folder
 * it may write (its cache and temp folder). Any other user runs it as itself.
 */
final class UnprivilegedProcess {
    private static final int NOBODY = 65534;

    private final Path work;
    private final List<String> prefix = new ArrayList<>();
    private final String classPath;
    private final Path home;
    private final Path scratch;

    private UnprivilegedProcess(Path work, String classPath, Path home, Path scratch, boolean asNobody) {
        this.work = work;
        this.classPath = classPath;
        this.home = home;
        this.scratch = scratch;
        if (asNobody) {
            prefix.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        }
    }

    /** Prepares {@code work} (a fresh folder) for processes that run without root's rights. */
    static UnprivilegedProcess in(Path work) throws IOException {
        boolean root = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        Path scratch = Files.createDirectories(work.resolve("scratch"));
        Path home = Files.createDirectories(work.resolve("home"));
        FileTrees.copy(Path.of("rules"), home.resolve("rules"));
        FileTrees.copy(Path.of("policy"), home.resolve("policy"));
        String classPath = System.getProperty("java.class.path");
        if (root) {
            classPath = readableCopy(classPath, Files.createDirectories(work.resolve("class-path")));
            chmodTree(work);
            // The folders above work, up to the temp folder (a test's @TempDir is its owner's alone).
            Path temp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
            for (Path folder = work.toAbsolutePath().getParent(); folder != null && folder.startsWith(temp)
                    && !folder.equals(temp); folder = folder.getParent()) {
                var permissions = Files.getPosixFilePermissions(folder);
                permissions.add(PosixFilePermission.OTHERS_EXECUTE);
                Files.setPosixFilePermissions(folder, permissions);
            }
            Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        return new UnprivilegedProcess(work, classPath, home, scratch, root);
    }

    /** A folder it may write its outputs into. */
    Path scratch() {
        return scratch;
    }

    /** Runs to the end; its exit status and what it printed. */
    CliRunner.Result run(String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + scratch, "-cp", classPath,
                "-Dtriage.home=" + home, Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("TRIAGE_RULES_LEDGER");
        builder.environment().remove("SOURCE_DATE_EPOCH");
        builder.environment().putAll(Map.of("XDG_CACHE_HOME", scratch.resolve("cache").toString(),
                "XDG_CONFIG_HOME", scratch.resolve("config").toString(), "HOME", scratch.toString()));
        try {
            Path out = Files.createTempFile(work, "stdout", ".txt");
            Path err = Files.createTempFile(work, "stderr", ".txt");
            return MainProcess.finish(builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start(), out,
                    err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The class path's jars and folders copied under {@code into}: the originals may lie in
     * folders only root may enter ({@code /root/.m2}). A jar is hard-linked when it can be.
     */
    private static String readableCopy(String classPath, Path into) throws IOException {
        List<String> copies = new ArrayList<>();
        int index = 0;
        for (String entry : classPath.split(File.pathSeparator)) {
            Path from = Path.of(entry);
            if (!Files.exists(from)) {
                continue;
            }
            Path to = into.resolve(index++ + "-" + from.getFileName());
            if (Files.isDirectory(from)) {
                FileTrees.copy(from, to);
            } else {
                try {
                    Files.createLink(to, from);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(from, to);
                }
            }
            copies.add(to.toString());
        }
        return String.join(File.pathSeparator, copies);
    }

    /** Lets everyone read every file and enter every folder below {@code root}. */
    private static void chmodTree(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            for (Path path : walk.toList()) {
                if (Files.isSymbolicLink(path)) {
                    continue;
                }
                boolean folder = Files.isDirectory(path);
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
                boolean added = permissions.add(PosixFilePermission.OTHERS_READ);
                if (folder) {
                    added |= permissions.add(PosixFilePermission.OTHERS_EXECUTE);
                }
                if (added) { // a hard-linked jar is the original: left alone when it is readable already
                    Files.setPosixFilePermissions(path, permissions);
                }
            }
        }
    }
}
