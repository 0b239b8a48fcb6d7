package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only a real process and a real shell show about input: process substitution,
 * {@code /dev/stdin} and other character devices, a closed stdin, running out of heap.
 */
class InputProcessTest {
    private static final Path SAMPLE = Path.of("examples/sample-e2e.jsonl").toAbsolutePath();
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    static Path shared;
    /** The report of the sample log read as a plain file: what every other way must give. */
    private static String expected;

    @TempDir
    Path tmp;

    @BeforeAll
    static void reportOfThePlainFile() throws Exception {
        Path report = shared.resolve("expected.json");
        Run run = shell(javaCommand() + " --input " + quote(SAMPLE) + " --output " + quote(report));
        run.assertExit(0);
        expected = Files.readString(report);
    }

    @Test
    void processSubstitutionIsReadLikeTheFile() throws Exception {
        Path report = tmp.resolve("r.json");
        shell(javaCommand() + " --input <(cat " + quote(SAMPLE) + ") --output " + quote(report)).assertExit(0);
        assertThat(normalised(report)).isEqualTo(normalised(expected));
    }

    @Test
    void gzipThroughProcessSubstitution() throws Exception {
        Path report = tmp.resolve("r.json");
        shell(javaCommand() + " --input <(gzip -c " + quote(SAMPLE) + ") --output " + quote(report)).assertExit(0);
        assertThat(normalised(report)).isEqualTo(normalised(expected));
    }

    @Test
    void devStdinFromAPipe() throws Exception {
        Path report = tmp.resolve("r.json");
        shell("cat " + quote(SAMPLE) + " | " + javaCommand() + " --input /dev/stdin --output " + quote(report))
                .assertExit(0);
        assertThat(normalised(report)).isEqualTo(normalised(expected));
    }

    @Test
    void aCharacterDeviceIsAnEmptyLog() throws Exception {
        Path report = tmp.resolve("r.json");
        shell(javaCommand() + " --input /dev/null --output " + quote(report)).assertExit(0);
        assertThat(Files.readString(report)).contains("\"total_entries\": 0,");
    }

    /** With fd 0 closed the JVM's first open file (its lib/modules) takes it: never read that as a log. */
    @Test
    void aClosedStdinIsSaidSo() throws Exception {
        Path report = tmp.resolve("r.json");
        Run run = shell(javaCommand() + " --input - --output " + quote(report) + " <&-");
        run.assertExit(1);
        assertThat(run.err()).isEqualTo("--input -: stdin is closed (was it started with <&- ?); pipe a log into it,"
                + " or give --input FILE\n");
        assertThat(report).doesNotExist();
    }

    @Test
    void anOpenStdinIsRead() throws Exception {
        Path report = tmp.resolve("r.json");
        shell(javaCommand() + " --input - --output " + quote(report) + " < " + quote(SAMPLE)).assertExit(0);
        // Stdin is no path, so escalations do not list it among the artifacts: compare the counts and incidents.
        assertThat(essentials(Files.readString(report))).isEqualTo(essentials(expected)).isNotEmpty();
    }

    /**
     * A 20 MB line in a 24 MiB heap runs out while the line is cut (the main thread); in a
     * larger heap, with two parser threads, while it is parsed (a worker). Both say how to
     * give the JVM more, in one line, and write nothing.
     */
    @Test
    void runningOutOfMemorySaysHowToGiveMore() throws Exception {
        Path log = tmp.resolve("big.jsonl");
        String line = Files.readAllLines(SAMPLE).get(0);
        // An escape sends the line to the parser, which decodes it into a string of its own.
        String big = line.replace("\"reason_code\":\"", "\"reason_code\":\"\\n" + "x".repeat(20_000_000));
        Files.writeString(log, big + "\n" + line + "\n");
        for (String heap : List.of("-Xmx24m", "-Xmx96m")) {
            Path report = tmp.resolve("r.json");
            Run run = shell(quote(JAVA) + " " + heap + " -XX:ActiveProcessorCount=2 " + classPathArgs()
                    + " --input " + quote(log) + " --output " + quote(report));
            run.assertExit(1);
            assertThat(run.err()).as(heap).matches("triage-rules: out of memory \\(Java heap space, with a maximum"
                    + " heap of \\d+ MiB\\); give the JVM more, e\\.g\\. TRIAGE_RULES_JAVA_OPTS=-Xmx1g"
                    + " bin/triage-rules \\.\\.\\., or java -Xmx1g -jar triage-rules\\.jar \\.\\.\\.\n");
            assertThat(report).doesNotExist();
        }
    }

    private static String normalised(Path report) throws IOException {
        return normalised(Files.readString(report));
    }

    private static List<String> essentials(String report) {
        return report.lines().filter(line -> line.matches("\\s*\"(total_entries|failed_entries|incident_id|occurrences"
                + "|last_seen_unix_ms|seed)\": .*")).toList();
    }

    /** The report without what names the run: its time and the input's name (wherever it appears). */
    private static String normalised(String report) {
        java.util.regex.Matcher input = java.util.regex.Pattern.compile("\"input_log_path\": (\"[^\"]*\")")
                .matcher(report);
        assertThat(input.find()).as("input_log_path in %s", report).isTrue();
        return report.replaceAll("\"generated_unix_ms\": \\d+", "").replace(input.group(1), "\"INPUT\"");
    }

    private static String javaCommand() {
        return quote(JAVA) + " " + classPathArgs();
    }

    private static String classPathArgs() {
        return "-cp " + quote(System.getProperty("java.class.path")) + " -Dtriage.home="
                + quote(Path.of("").toAbsolutePath()) + " " + Main.class.getName() + " -q";
    }

    private static String quote(Object text) {
        return "'" + text.toString().replace("'", "'\\''") + "'";
    }

    record Run(int exitCode, String out, String err) {
        void assertExit(int expected) {
            assertThat(exitCode).as("exit status; stdout:\n%s\nstderr:\n%s", out, err).isEqualTo(expected);
        }
    }

    /** Runs a bash command line (for <(...), pipes and <&-), its stdin empty unless it redirects. */
    private static Run shell(String commandLine) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", commandLine);
        Path out = Files.createTempFile(shared, "out", ".txt");
        Path err = Files.createTempFile(shared, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().close(); // an empty stdin
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("finished").isTrue();
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
