package dev.triagerules.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code triage-rules} as a separate process (the test class path, the launcher's JIT
 * flags, the test compiled-rules cache): for what only a real process shows, such as
 * environment variables and processes racing on one ledger. The test JVM's own
 * {@code TRIAGE_RULES_LEDGER}, if any, is never passed on.
 */
final class MainProcess {
    private MainProcess() {
    }

    static Process start(List<String> args, Map<String, String> env, Path stdout, Path stderr) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "-Dtriage.home=" + Path.of("").toAbsolutePath(), Main.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().remove("TRIAGE_RULES_LEDGER");
        builder.environment().remove("SOURCE_DATE_EPOCH");
        builder.environment().put("XDG_CACHE_HOME", Path.of("target", "test-cache").toAbsolutePath().toString());
        builder.environment().putAll(env);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs to the end; its exit status and what it printed. */
    static CliRunner.Result run(List<String> args, Map<String, String> env, Path workDir) {
        try {
            Path out = java.nio.file.Files.createTempFile(workDir, "stdout", ".txt");
            Path err = java.nio.file.Files.createTempFile(workDir, "stderr", ".txt");
            return finish(start(args, env, out, err), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a started process (at most five minutes: a loaded machine is slow, not stuck). */
    static CliRunner.Result finish(Process process, Path stdout, Path stderr) {
        try {
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("triage-rules did not finish in five minutes");
            }
            return new CliRunner.Result(process.exitValue(),
                    java.nio.file.Files.readString(stdout, StandardCharsets.UTF_8),
                    java.nio.file.Files.readString(stderr, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
