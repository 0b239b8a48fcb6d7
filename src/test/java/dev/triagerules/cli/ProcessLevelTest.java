package dev.triagerules.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triagerules.base.AtomicOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour only a real process shows: environment variables and being killed. */
class ProcessLevelTest {
    @TempDir
    Path tmp;

    @Test
    void theRuleCacheAndItsKeyLiveUnderHomeAsTheEnvironmentNamesIt() throws Exception {
        // The JVM's user.home is the password file's (/root here); a CI container's user has $HOME.
        Path home = Files.createDirectories(tmp.resolve("home"));
        Map<String, String> env = Map.of("HOME", home.toString(), "XDG_CACHE_HOME", "", "XDG_CONFIG_HOME", "");
        CliRunner.Result run = MainProcess.run(List.of("-q", "--input", "examples/sample-e2e.jsonl", "--output",
                tmp.resolve("report.json").toString()), env, tmp);
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("", run.err());
        assertTrue(Files.isRegularFile(home.resolve(".config/triage-rules/rule-cache.key")), "the signing key");
        try (Stream<Path> entries = Files.list(home.resolve(".cache/triage-rules"))) {
            assertTrue(entries.findAny().isPresent(), "a cache entry");
        }
    }

    @Test
    void numbersAreWrittenInAsciiDigitsWhateverTheUsersLocale() throws Exception {
        Map<String, String> arabic = Map.of("JAVA_TOOL_OPTIONS", "-Duser.language=ar -Duser.country=EG");
        CliRunner.Result run = MainProcess.run(List.of("--input", "examples/sample-e2e.jsonl", "--output",
                tmp.resolve("report.json").toString()), arabic, tmp);
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("triage-rules: 240 entries, 80 failed, 41 incidents -> "), run.err());
    }

    /** 9223372036854775807 became "generated_unix_ms": -1000 (milliseconds overflowed); -1 was taken as is. */
    @Test
    void aSourceDateEpochOutOfRangeIsRefused() throws Exception {
        for (String epoch : List.of("9223372036854775807", "-1", "253402300800")) {
            Path out = tmp.resolve("epoch.json");
            Process process = java(List.of(Main.class.getName(), "-q", "--input", "examples/sample-e2e.jsonl",
                    "--output", out.toString()), "SOURCE_DATE_EPOCH", epoch);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, process.waitFor(), err);
            assertEquals("SOURCE_DATE_EPOCH must be whole seconds since 1970, from 0 to 253402300799 (the end of"
                    + " year 9999), got \"" + epoch + "\"\n", err);
            assertFalse(Files.exists(out), epoch);
        }
    }

    @Test
    void sourceDateEpochMakesReportsByteIdentical() throws Exception {
        Path first = tmp.resolve("a.json");
        Path second = tmp.resolve("b.json");
        for (Path out : List.of(first, second)) {
            Process process = java(List.of(Main.class.getName(), "-q", "--input",
                    "examples/sample-e2e.jsonl", "--output", out.toString()), "SOURCE_DATE_EPOCH", "1771275651");
            assertEquals(0, process.waitFor(), new String(process.getErrorStream().readAllBytes()));
        }
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
        assertTrue(Files.readString(first).contains("\"generated_unix_ms\": 1771275651000,"));
    }

    @Test
    void aWriterKilledMidWriteLeavesTheOldOutputWhole() throws Exception {
        Path target = Files.writeString(tmp.resolve("triage.json"), "the previous report");
        Process writer = java(List.of(SlowWriter.class.getName(), target.toString()), null, null);
        try {
            waitForTempFile(tmp, 20_000);
            writer.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
            assertTrue(writer.waitFor(10, TimeUnit.SECONDS));
        } finally {
            writer.destroyForcibly();
        }
        assertEquals("the previous report", Files.readString(target));
    }

    /** Starts writing through AtomicOutput, then stalls forever mid-write. */
    public static final class SlowWriter {
        public static void main(String[] args) {
            AtomicOutput.write(Path.of(args[0]), out -> {
                out.write("{\"schema_version\": \"ft-crash-triage-v1\",".getBytes());
                out.flush();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    private static void waitForTempFile(Path dir, long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            try (Stream<Path> files = Files.list(dir)) {
                if (files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp") && sizeOf(p) > 0)) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the writer never started writing");
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static Process java(List<String> args, String envName, String envValue) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"),
                "-Dtriage.home=" + Path.of("").toAbsolutePath()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        if (envName != null) {
            builder.environment().put(envName, envValue);
        }
        builder.environment().put("XDG_CACHE_HOME", Path.of("target", "test-cache").toAbsolutePath().toString());
        return builder.start();
    }
}
