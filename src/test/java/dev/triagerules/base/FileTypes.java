package dev.triagerules.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Real special files for output tests: FIFOs, devices, and a check that /dev/null survived. */
public final class FileTypes {
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFIFO = 0010000;

    private FileTypes() {
    }

    public static Path mkfifo(Path path) throws IOException {
        run("mkfifo", path.toString());
        return path;
    }

    public static boolean isFifo(Path path) throws IOException {
        return type(path) == S_IFIFO;
    }

    public static boolean isCharDevice(Path path) throws IOException {
        return type(path) == S_IFCHR;
    }

    /** Any block device under /dev (only looked at, never opened). */
    public static Optional<Path> someBlockDevice() throws IOException {
        try (Stream<Path> devices = Files.list(Path.of("/dev"))) {
            return devices.filter(p -> {
                try {
                    return type(p) == S_IFBLK;
                } catch (IOException e) {
                    return false;
                }
            }).sorted().findFirst();
        }
    }

    public static boolean isRoot() throws IOException {
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    /**
     * Runs {@code body} against /dev/null, then checks it is still the null character device;
     * if the body broke it (replaced it with a regular file, as root can), it is recreated
     * with {@code mknod -m 666 /dev/null c 1 3} before the test fails.
     */
    public static void withDevNull(ThrowingRunnable body) throws Exception {
        Path devNull = Path.of("/dev/null");
        assertThat(isCharDevice(devNull)).as("/dev/null is a character device before the test").isTrue();
        try {
            body.run();
        } finally {
            if (!isCharDevice(devNull)) {
                Files.deleteIfExists(devNull);
                run("mknod", "-m", "666", "/dev/null", "c", "1", "3");
                throw new AssertionError("the output replaced /dev/null with a regular file (restored with mknod)");
            }
        }
    }

    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static int type(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & S_IFMT;
    }

    public static void run(String... command) throws IOException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
