package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triagerules.base.FileTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main command's outputs: where they may go, and that no two are one file. */
class OutputFilesTest {
    private static final String SAMPLE = "examples/sample-e2e.jsonl";

    @TempDir
    Path tmp;

    private Path copyOfSample() throws IOException {
        return Files.copy(Path.of(SAMPLE), tmp.resolve("e2e.jsonl"));
    }

    /** A file's bytes one char each (ISO-8859-1): equal text is equal bytes, and a difference reads as text. */
    private static String bytesAsText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void appendingTheSummaryToTheInputIsAUsageErrorAndTheInputStaysWhole() throws IOException {
        Path log = copyOfSample();
        byte[] before = Files.readAllBytes(log);
        CliRunner.Result result = CliRunner.run("--input", log.toString(), "--output", tmp.resolve("r.json").toString(),
                "--markdown-append", log.toString()).assertExit(2);
        assertThat(result.err()).startsWith("--input and --markdown-append name the same file (" + log
                + "); an output must not be an input");
        assertThat(Files.readAllBytes(log)).isEqualTo(before);
        assertThat(filesIn(tmp)).containsExactly("e2e.jsonl");
    }

    @Test
    void theReportAndTheSummaryInOneFileIsAUsageErrorBeforeAnythingIsWritten() {
        Path same = tmp.resolve("out.txt");
        CliRunner.Result result = CliRunner.run("--input", SAMPLE, "--output", same.toString(), "--markdown",
                same.toString()).assertExit(2);
        assertThat(result.err()).startsWith("--output and --markdown name the same file (" + same
                + "); each output needs a file of its own");
        assertThat(same).doesNotExist();
    }

    @Test
    void aHardLinkOrASymlinkToTheInputIsTheInput() throws IOException {
        Path log = copyOfSample();
        Path hardLink = Files.createLink(tmp.resolve("also.jsonl"), log);
        Path symlink = Files.createSymbolicLink(tmp.resolve("link.md"), log);
        CliRunner.run("--input", log.toString(), "--output", hardLink.toString()).assertExit(2);
        CliRunner.run("--input", log.toString(), "--output", tmp.resolve("r.json").toString(), "--markdown",
                symlink.toString()).assertExit(2);
        assertThat(log).hasSameBinaryContentAs(Path.of(SAMPLE));
    }

    @Test
    void aPathThroughAMissingFolderCannotWriteOverTheInput() throws IOException {
        Path log = copyOfSample();
        String throughMissing = tmp.resolve("nodir/../e2e.jsonl").toString();
        for (String option : List.of("--output", "--markdown", "--markdown-append", "--junit-output", "--html")) {
            List<String> args = new ArrayList<>(List.of("-q", "--input", log.toString()));
            if (!option.equals("--output")) {
                args.addAll(List.of("--output", tmp.resolve("r.json").toString()));
            }
            args.addAll(List.of(option, throughMissing));
            assertThat(CliRunner.run(args.toArray(String[]::new)).assertExit(2).err())
                    .as(option).startsWith("--input and " + option + " name the same file");
        }
        assertThat(log).hasSameBinaryContentAs(Path.of(SAMPLE));
        assertThat(filesIn(tmp)).containsExactly("e2e.jsonl");
    }

    @Test
    void theDefaultQuarantineCollidesLikeAnyOtherOutput() {
        Path report = tmp.resolve("triage.json");
        Path quarantine = tmp.resolve("triage.quarantine.jsonl");
        CliRunner.Result result = CliRunner.run("--input", SAMPLE, "--output", report.toString(), "--on-invalid",
                "skip", "--markdown", quarantine.toString()).assertExit(2);
        assertThat(result.err()).startsWith("--quarantine (default) and --markdown name the same file (" + quarantine
                + ")");
    }

    @Test
    void manyOutputsMayGoToDevNullWhichStaysACharacterDevice() throws Exception {
        FileTypes.withDevNull(() -> CliRunner.run("-q", "--input", SAMPLE, "--output", "/dev/null", "--markdown",
                "/dev/null", "--markdown-append", "/dev/null", "--on-invalid", "skip", "--quarantine", "/dev/null")
                .assertOk());
        assertThat(FileTypes.isCharDevice(Path.of("/dev/null"))).isTrue();
    }

    @Test
    void aReportIntoAFifoReachesItsReader() throws Exception {
        Path fifo = FileTypes.mkfifo(tmp.resolve("report.fifo"));
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(fifo);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        CliRunner.run("-q", "--input", SAMPLE, "--output", fifo.toString()).assertOk();
        assertThat(reader.get(60, TimeUnit.SECONDS)).startsWith("{").contains("\"schema_version\": \"ft-crash-triage-v1\"");
        assertThat(FileTypes.isFifo(fifo)).isTrue();
    }

    @Test
    void aSymlinkedSummaryKeepsItsLink() throws IOException {
        Path real = Files.writeString(tmp.resolve("summary-real.md"), "old");
        Path link = Files.createSymbolicLink(tmp.resolve("summary.md"), real.getFileName());
        CliRunner.run("-q", "--input", SAMPLE, "--output", tmp.resolve("r.json").toString(), "--markdown",
                link.toString()).assertOk();
        assertThat(link).isSymbolicLink();
        assertThat(Files.readString(real)).startsWith("## ");
    }

    @Test
    void aDirectoryAsOutputIsRefusedBeforeTheInputIsRead() throws IOException {
        Path badLog = Files.writeString(tmp.resolve("bad.jsonl"), "{ not json\n");
        Path dir = Files.createDirectories(tmp.resolve("reports"));
        CliRunner.Result result = CliRunner.run("--input", badLog.toString(), "--output", dir.toString()).assertExit(1);
        assertThat(result.err().strip()).isEqualTo(dir + ": cannot write: is a directory");
        result = CliRunner.run("--input", badLog.toString(), "--output", "-", "--markdown-append", dir.toString())
                .assertExit(1);
        assertThat(result.err().strip()).isEqualTo(dir + ": cannot write: is a directory");
    }

    @Test
    void aFullDiskIsAClearErrorForTheReportAndTheAppendedSummary() throws IOException {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(full), "this machine has no /dev/full");
        CliRunner.Result result = CliRunner.run("-q", "--input", SAMPLE, "--output", full.toString()).assertExit(1);
        assertThat(result.err().strip()).isEqualTo("/dev/full: cannot write: No space left on device");
        result = CliRunner.run("-q", "--input", SAMPLE, "--output", tmp.resolve("r.json").toString(),
                "--markdown-append", full.toString()).assertExit(1);
        assertThat(result.err().strip()).isEqualTo("/dev/full: cannot append: No space left on device");
    }

    /**
     * The outputs of a run are replaced together or not at all: a full disk on the Markdown
     * summary failed the run after the report (and the quarantine) had been replaced, so the
     * old ones were lost beside an old JUnit XML. Now every file is written beside its target
     * first, and renamed only when all of them, the devices and the append are written.
     */
    @Test
    void anOutputThatCannotBeWrittenLeavesEveryOtherFileAsItWas() throws IOException {
        Path full = Path.of("/dev/full");
        assertThat(FileTypes.isCharDevice(full)).as("/dev/full is the always-full device").isTrue();
        Path report = Files.writeString(tmp.resolve("r.json"), "the old report\n");
        Path quarantine = Files.writeString(tmp.resolve("q.jsonl"), "the old quarantine\n");
        Path junit = Files.writeString(tmp.resolve("j.xml"), "the old JUnit XML\n");
        Path markdown = Files.writeString(tmp.resolve("summary.md"), "the old summary\n");
        Path stepSummary = Files.writeString(tmp.resolve("step-summary.md"), "# Job\n");
        List<Path> existing = List.of(report, quarantine, junit, markdown, stepSummary);
        List<String> files = filesIn(tmp);
        List<String> common = List.of("-q", "--input", SAMPLE, "--output", report.toString(), "--on-invalid", "skip",
                "--quarantine", quarantine.toString(), "--html", tmp.resolve("new.html").toString());

        String cannotWrite = "/dev/full: cannot write: No space left on device\n";
        String cannotAppend = "/dev/full: cannot append: No space left on device\n";
        for (List<String> failing : List.of(
                List.of("--markdown", full.toString(), "--junit-output", junit.toString(),
                        "--markdown-append", stepSummary.toString(), cannotWrite),
                List.of("--markdown", markdown.toString(), "--junit-output", full.toString(),
                        "--markdown-append", stepSummary.toString(),
                        "/dev/full: cannot write: No space left on device\n"),
                List.of("--markdown", markdown.toString(), "--junit-output", junit.toString(),
                        "--markdown-append", full.toString(), cannotAppend))) {
            List<String> args = new ArrayList<>(common);
            args.addAll(failing.subList(0, failing.size() - 1));
            CliRunner.Result result = CliRunner.run(args.toArray(String[]::new)).assertExit(1);

            assertThat(result.err()).as(String.join(" ", args)).isEqualTo(failing.get(failing.size() - 1));
            assertThat(filesIn(tmp)).as("no temp file, no new file").isEqualTo(files);
            assertThat(existing).as("byte for byte as before").map(OutputFilesTest::bytesAsText)
                    .containsExactly("the old report\n", "the old quarantine\n", "the old JUnit XML\n",
                            "the old summary\n", "# Job\n");
        }

        List<String> args = new ArrayList<>(common);
        args.addAll(List.of("--markdown", markdown.toString(), "--junit-output", junit.toString(),
                "--markdown-append", stepSummary.toString()));
        CliRunner.run(args.toArray(String[]::new)).assertOk();
        assertThat(report).content().startsWith("{");
        assertThat(junit).content().startsWith("<?xml");
        assertThat(markdown).content().startsWith("## Crash triage");
        assertThat(stepSummary).content().startsWith("# Job\n## Crash triage");
        assertThat(quarantine).isEmptyFile();
        assertThat(tmp.resolve("new.html")).content().startsWith("<!DOCTYPE html>");
    }

    /**
     * The quarantine worded its write errors itself ({@code e.getMessage()}, the name as it
     * came): a line break in its name split the message in two. Every output now says
     * {@code NAME: cannot write: WHY} alike, the name escaped onto one line.
     */
    @Test
    void aQuarantineThatCannotBeWrittenSaysSoAsEveryOtherOutputDoes() throws IOException {
        assertThat(FileTypes.isCharDevice(Path.of("/dev/full"))).as("/dev/full is the always-full device").isTrue();
        Path log = Files.writeString(tmp.resolve("e2e.jsonl"), Files.readString(Path.of(SAMPLE)) + "{ not json\n");
        Path full = Files.createSymbolicLink(tmp.resolve("full\u001b[31m\n.out"), Path.of("/dev/full"));
        String expected = tmp + "/full\\u001b[31m\\n.out: cannot write: No space left on device\n";
        for (String option : List.of("--quarantine", "--junit-output")) {
            CliRunner.Result result = CliRunner.run("-q", "--input", log.toString(), "--output",
                    tmp.resolve("r.json").toString(), "--on-invalid", "skip", option, full.toString()).assertExit(1);
            assertThat(result.err()).as(option).isEqualTo(expected);
        }
    }

    @Test
    void ticketsAndReplayMayNotWriteOverTheirReport() throws IOException {
        Path report = tmp.resolve("triage.json");
        CliRunner.run("-q", "--input", SAMPLE, "--output", report.toString()).assertOk();
        byte[] before = Files.readAllBytes(report);
        assertThat(CliRunner.run("tickets", "--report", report.toString(), "--store", report.toString())
                .assertExit(2).err()).startsWith("--report and --store name the same file");
        assertThat(CliRunner.run("replay", "--report", report.toString(), "--summary", report.toString())
                .assertExit(2).err()).startsWith("--report and --summary name the same file");
        assertThat(Files.readAllBytes(report)).isEqualTo(before);
    }

    /** /dev/stdout is whatever the shell opened: a file opened with >> keeps what it had. */
    @Test
    void devStdoutIsWrittenInPlaceAppendingToWhatTheShellOpened() throws Exception {
        Path captured = Files.writeString(tmp.resolve("captured.txt"), "earlier output\n");
        Object inode = Files.getAttribute(captured, "unix:ino");
        ProcessBuilder builder = cli("-q", "--input", SAMPLE, "--output", "/dev/stdout")
                .redirectOutput(ProcessBuilder.Redirect.appendTo(captured.toFile()));
        Process process = builder.start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(err).isZero();
        assertThat(Files.readString(captured)).startsWith("earlier output\n{").endsWith("}");
        assertThat(Files.getAttribute(captured, "unix:ino")).as("the same file, not a replacement").isEqualTo(inode);
    }

    /**
     * An output named as our stdout was opened anew: with stdout a file the shell opened
     * with {@code >}, that open had an offset of its own, and what the shell wrote through
     * fd 1 after the tool landed at its offset 0, over the summary. Written through fd 1
     * itself, the offset is shared and the shell's next line follows the summary.
     */
    @Test
    void anOutputToOurStdoutIsFollowedByWhatTheShellWritesNext() throws Exception {
        Path expected = tmp.resolve("expected.md");
        CliRunner.run("-q", "--input", SAMPLE, "--output", tmp.resolve("r.json").toString(), "--markdown",
                expected.toString()).assertOk();
        for (String stdout : List.of("/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")) {
            Path captured = tmp.resolve("captured.txt");
            Process process = inShell("echo AFTER", "-q", "--input", SAMPLE, "--output",
                    tmp.resolve("r.json").toString(), "--markdown", stdout)
                    .redirectOutput(captured.toFile()).start();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as(err).isZero();
            assertThat(captured).as(stdout).hasContent(Files.readString(expected) + "AFTER\n");
        }
    }

    /** Likewise stderr: the summary the tool prints there itself overwrote a Markdown summary sent to /dev/stderr. */
    @Test
    void anOutputToOurStderrIsFollowedByWhatTheToolAndTheShellWriteThere() throws Exception {
        Path expected = tmp.resolve("expected.md");
        CliRunner.run("-q", "--input", SAMPLE, "--output", tmp.resolve("r.json").toString(), "--markdown",
                expected.toString()).assertOk();
        Path captured = tmp.resolve("captured.txt");
        Process process = inShell("echo AFTER >&2", "--input", SAMPLE, "--output", tmp.resolve("r.json").toString(),
                "--markdown", "/dev/stderr").redirectError(captured.toFile()).start();
        assertThat(process.waitFor()).as(() -> bytesAsText(captured)).isZero();
        assertThat(bytesAsText(captured)).startsWith(bytesAsText(expected)
                + "triage-rules: 240 entries, 80 failed, 41 incidents -> " + tmp.resolve("r.json")).endsWith("AFTER\n");
    }

    /**
     * On GitHub Actions, annotations are printed on stdout unless the report goes there: a
     * report to /dev/stdout got the first one glued to its last line (invalid JSON, and an
     * annotation GitHub never read). Asking for both is bad usage, as with --output -.
     */
    @Test
    void aReportToDevStdoutGetsNoAnnotationsMixedIn() throws Exception {
        ProcessBuilder builder = cli("-q", "--input", SAMPLE, "--output", "/dev/stdout");
        builder.environment().put("GITHUB_ACTIONS", "true");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(err).isZero();
        assertThat(out).startsWith("{").endsWith("}").doesNotContain("::error");
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(out); // whole JSON

        CliRunner.Result asked = CliRunner.run("-q", "--input", SAMPLE, "--output", "/dev/fd/1", "--annotations",
                "github");
        asked.assertExit(2);
        assertThat(asked.err()).startsWith("--annotations github writes to stdout; with --output /dev/fd/1 give the"
                + " report a file");
    }

    /**
     * Not only the report: the annotations overwrote the start of a Markdown summary written
     * to /dev/stdout when the shell had redirected stdout to a file with {@code >} (fd 1 at
     * offset 0, the summary through its own open), and mixed their lines into a summary, JUnit
     * XML or HTML page on a pipe. On GitHub Actions they are off by default when any output
     * goes to stdout, as for the report.
     */
    @Test
    void anyOutputToStdoutTurnsTheDefaultAnnotationsOff() throws Exception {
        Path captured = tmp.resolve("captured.txt");
        Path report = tmp.resolve("r.json");
        ProcessBuilder builder = cli("-q", "--input", SAMPLE, "--output", report.toString(), "--markdown",
                "/dev/stdout").redirectOutput(captured.toFile());
        builder.environment().put("GITHUB_ACTIONS", "true");
        Process process = builder.start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(err).isZero();

        assertThat(captured).content().startsWith("## Crash triage").doesNotContain("::error", "::warning");
        assertThat(report).content().startsWith("{");
    }

    @Test
    void anOutputToDevNullIsNotStdoutThoughStdoutIsDevNullToo() throws Exception {
        Path report = tmp.resolve("r.json");
        ProcessBuilder builder = cli("-q", "--input", SAMPLE, "--output", report.toString(), "--annotations",
                "github", "--junit-output", "/dev/null").redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(err).isZero();
        assertThat(err).isEmpty();
        assertThat(report).content().startsWith("{");
    }

    /** Asking for annotations with any output on stdout, under any name of it, is bad usage naming that output. */
    @Test
    void annotationsWithAnyOutputOnStdoutAreAUsageErrorNamingIt() {
        String report = tmp.resolve("r.json").toString();
        List<List<String>> cases = List.of(
                List.of("--markdown", "/dev/stdout", "Markdown summary"),
                List.of("--markdown-append", "/dev/fd/1", "Markdown summary"),
                List.of("--junit-output", "/proc/self/fd/1", "JUnit XML"),
                List.of("--html", "/dev/stdout", "HTML report"),
                List.of("--on-invalid", "skip", "--quarantine", "/dev/fd/1", "quarantine"));
        for (List<String> outputs : cases) {
            List<String> args = new ArrayList<>(List.of("-q", "--input", SAMPLE, "--output", report,
                    "--annotations", "github"));
            args.addAll(outputs.subList(0, outputs.size() - 1));
            String option = outputs.get(outputs.size() - 3);
            String name = outputs.get(outputs.size() - 2);

            CliRunner.Result result = CliRunner.run(args.toArray(String[]::new));

            result.assertExit(2);
            assertThat(result.err()).as(String.join(" ", args)).startsWith("--annotations github writes to stdout;"
                    + " with " + option + " " + name + " give the " + outputs.get(outputs.size() - 1) + " a file");
            assertThat(result.out()).as("nothing on stdout").isEmpty();
            assertThat(tmp.resolve("r.json")).as("nothing written").doesNotExist();
        }
    }

    /** The default quarantine beside a device was /dev/null.quarantine.jsonl (as root: a file in /dev). */
    @Test
    void skippingInvalidLinesWithTheReportOnADeviceNeedsAQuarantineFile() {
        CliRunner.Result result = CliRunner.run("-q", "--input", SAMPLE, "--output", "/dev/null", "--on-invalid",
                "skip");

        result.assertExit(2);
        assertThat(result.err()).startsWith("--on-invalid skip with --output /dev/null (not a file) needs"
                + " --quarantine FILE");
        assertThat(Path.of("/dev/null.quarantine.jsonl")).doesNotExist();
    }

    /**
     * An output in a folder the process may not write failed only when its turn came: the
     * report was already replaced (new report, old JUnit XML, exit 1). Now every output is
     * checked before anything is read.
     */
    @Test
    void anOutputItMayNotWriteFailsTheRunBeforeAnyOtherIsReplaced() throws Exception {
        UnprivilegedProcess process = UnprivilegedProcess.in(Files.createDirectories(tmp.resolve("unprivileged")));
        Path locked = Files.createDirectories(tmp.resolve("unprivileged").resolve("locked"));
        Path report = Files.writeString(process.scratch().resolve("r.json"), "the old report");
        Path summary = Files.writeString(locked.resolve("summary.md"), "# Job\n");
        summary.toFile().setWritable(true, false);
        Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            CliRunner.Result result = process.run("-q", "--input", Path.of(SAMPLE).toAbsolutePath().toString(),
                    "--output", report.toString(), "--junit-output", locked.resolve("j.xml").toString());

            result.assertExit(1);
            assertThat(result.err()).isEqualTo(locked.resolve("j.xml") + ": cannot write: permission denied (its"
                    + " folder " + locked + " is not writable)\n");
            assertThat(report).hasContent("the old report");
            // Appending needs the file, not its folder: a writable step summary in a locked folder is fine.
            process.run("-q", "--input", Path.of(SAMPLE).toAbsolutePath().toString(), "--output", report.toString(),
                    "--markdown-append", summary.toString()).assertOk();
            assertThat(summary).content().startsWith("# Job\n## Crash triage");
        } finally {
            Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** A dry run writes nothing: the check for writing must not stop it planning against a store it may not write. */
    @Test
    void aDryRunMayNameAFileItCouldNotWrite() throws Exception {
        UnprivilegedProcess process = UnprivilegedProcess.in(Files.createDirectories(tmp.resolve("unprivileged")));
        Path report = process.scratch().resolve("r.json");
        CliRunner.run("-q", "--input", SAMPLE, "--output", report.toString()).assertOk();
        report.toFile().setReadable(true, false);
        Path locked = Files.createDirectories(tmp.resolve("unprivileged").resolve("locked"));
        Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Path store = locked.resolve("issues.jsonl");
            CliRunner.Result dryRun = process.run("tickets", "--report", report.toString(), "--store",
                    store.toString(), "--dry-run").assertOk();
            assertThat(dryRun.out()).endsWith("; " + store + " not written\n");
            CliRunner.Result real = process.run("tickets", "--report", report.toString(), "--store", store.toString());
            real.assertExit(1);
            assertThat(real.err()).startsWith(store + ": cannot write: permission denied (its folder " + locked
                    + " is not writable)");
            process.run("replay", "--report", report.toString(), "--transcripts", locked.toString(), "--dry-run")
                    .assertOk();
        } finally {
            Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** {@code --input - < log} reads the file log: appending to it is appending to the input. */
    @Test
    void stdinRedirectedFromAFileIsThatFile() throws Exception {
        Path log = copyOfSample();
        Process process = cli("--input", "-", "--output", tmp.resolve("r.json").toString(), "--markdown-append",
                log.toString()).redirectInput(log.toFile()).start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(err).isEqualTo(2);
        assertThat(err).startsWith("--input - and --markdown-append name the same file (/dev/stdin and " + log + ")");
        assertThat(log).hasSameBinaryContentAs(Path.of(SAMPLE));
    }

    /** The CLI run by a shell that then runs {@code after} with the same stdout and stderr, as a CI step does. */
    private static ProcessBuilder inShell(String after, String... args) {
        ProcessBuilder builder = cli(args);
        List<String> command = new ArrayList<>(List.of("sh", "-c", "\"$@\"; " + after, "sh"));
        command.addAll(builder.command());
        return builder.command(command);
    }

    /** The CLI as its own process, for what only a real process has: its own stdin and stdout. */
    private static ProcessBuilder cli(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("XDG_CACHE_HOME", Path.of("target", "test-cache").toAbsolutePath().toString());
        return builder;
    }
}
