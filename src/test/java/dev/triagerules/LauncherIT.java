package dev.triagerules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triagerules.cli.CliRunner;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher, {@code bin/triage-rules}, on the packaged tool (failsafe runs this after
 * {@code package}): the README's first command, the user's own JVM flags, and the SQLite
 * driver's native library loaded from beside its jar. Each run has a cache and config
 * folder of its own.
 */
class LauncherIT {
    private static final String EXAMPLE = "examples/sample-e2e.jsonl";

    @TempDir
    Path tmp;

    @Test
    void theReadmesFirstCommandWritesWhatTheToolWrites() throws Exception {
        Path report = tmp.resolve("triage.json");
        launch(Map.of(), "--input", EXAMPLE, "--output", report.toString()).assertOk();

        Path inProcess = tmp.resolve("in-process.json");
        CliRunner.run("-q", "--input", EXAMPLE, "--output", inProcess.toString()).assertOk();
        assertThat(withoutTime(report)).isEqualTo(withoutTime(inProcess));
        assertThat(withoutTime(report).get("incidents")).isNotEmpty();
    }

    @Test
    void aSmallHeapOfTheUsersOwnReplacesTheLaunchersInitialHeap() throws Exception {
        // The launcher's -Xms128m beside a smaller -Xmx made the JVM refuse to start.
        Path report = tmp.resolve("small-heap.json");
        launch(Map.of("TRIAGE_RULES_JAVA_OPTS", "-Xmx64m"), "-q", "--input", EXAMPLE, "--output", report.toString())
                .assertOk();
        assertThat(report).isNotEmptyFile();
    }

    @Test
    void theLaunchersCollectorUnlessTheUserNamesOne() throws Exception {
        // Two collectors on one command line make the JVM refuse to start.
        Path report = tmp.resolve("collector.json");
        Run ours = launch(Map.of("TRIAGE_RULES_JAVA_OPTS", "-Xlog:gc=info:stderr"), "-q", "--input", EXAMPLE,
                "--output", report.toString()).assertOk();
        assertThat(ours.err()).contains("Using Parallel");
        Run theirs = launch(Map.of("TRIAGE_RULES_JAVA_OPTS", "-XX:+UseSerialGC -Xlog:gc=info:stderr"), "-q",
                "--input", EXAMPLE, "--output", report.toString()).assertOk();
        assertThat(theirs.err()).contains("Using Serial").doesNotContain("Using Parallel");
    }

    @Test
    void aLedgerRunLoadsTheSqliteLibraryUnpackedBesideItsDriver() throws Exception {
        Run run = launch(Map.of("TRIAGE_RULES_JAVA_OPTS", "-Xlog:library=info:stderr"), "-q", "--input", EXAMPLE,
                "--output", tmp.resolve("triage.json").toString(), "--ledger", tmp.resolve("ledger.db").toString());
        run.assertOk();
        List<String> loaded = run.err().lines().filter(line -> line.contains("Loaded library")
                && line.contains("libsqlitejdbc")).toList();
        assertThat(loaded).singleElement().asString()
                .containsPattern("target/lib/sqlite-jdbc-[^/]+\\.native/org/sqlite/native/.+/libsqlitejdbc\\.so");
    }

    @Test
    void withBuildOffTheToolIsUsedAsBuiltThoughASourceIsNewer() throws Exception {
        Path pom = Path.of("pom.xml").toAbsolutePath();
        FileTime was = Files.getLastModifiedTime(pom);
        FileTime jar = Files.getLastModifiedTime(Path.of("target", "triage-rules.jar"));
        try {
            Files.setLastModifiedTime(pom, FileTime.fromMillis(jar.toMillis() + 60_000));
            Run run = launch(Map.of("TRIAGE_RULES_BUILD", "0"), "-q", "--input", EXAMPLE, "--output",
                    tmp.resolve("as-built.json").toString()).assertOk();
            assertThat(run.err()).doesNotContain("building");
            assertThat(tmp.resolve("as-built.json")).isNotEmptyFile();
        } finally {
            Files.setLastModifiedTime(pom, was);
        }
    }

    private JsonNode withoutTime(Path report) throws IOException {
        ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(report.toFile());
        tree.remove("generated_unix_ms");
        return tree;
    }

    record Run(int exitCode, String out, String err) {
        Run assertOk() {
            assertThat(exitCode).as("exit status; stdout:\n%s\nstderr:\n%s", out, err).isZero();
            return this;
        }
    }

    /** Runs bin/triage-rules from the project folder, with its own cache and config folders and this environment. */
    private Run launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of("bin", "triage-rules").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("TRIAGE_RULES_LEDGER");
        builder.environment().remove("TRIAGE_RULES_JAVA_OPTS");
        builder.environment().put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        builder.environment().put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
        builder.environment().putAll(env);
        Path out = tmp.resolve("launcher-out.txt");
        Path err = tmp.resolve("launcher-err.txt");
        Process process = builder.redirectInput(new File("/dev/null")).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("the launcher finished").isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
