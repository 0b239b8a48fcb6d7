package dev.triagerules.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputSetTest {
    private static final Path FULL = Path.of("/dev/full");

    @TempDir
    Path tmp;

    private static AtomicOutput.Body text(String text) {
        return out -> out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void filesAreWrittenBesideTheirTargetsAndReplacedOnlyByTheCommit() throws IOException {
        Path report = Files.writeString(tmp.resolve("report.json"), "old report");
        Path summary = tmp.resolve("new/summary.md");
        try (OutputSet outputs = new OutputSet()) {
            outputs.write(report, text("new report"));
            outputs.write(summary, text("new summary"));

            assertThat(report).hasContent("old report");
            assertThat(summary).doesNotExist();
            assertThat(filesIn(tmp)).hasSize(3).contains("report.json", "new")
                    .anyMatch(name -> name.matches("\\.report\\.json\\.[0-9a-z]+\\.tmp"));

            outputs.commit();
        }
        assertThat(report).hasContent("new report");
        assertThat(summary).hasContent("new summary");
        assertThat(filesIn(tmp)).containsExactly("new", "report.json");
        assertThat(filesIn(summary.getParent())).containsExactly("summary.md");
    }

    @Test
    void anOutputThatFailsLeavesEveryFileAsItWasAndNoTempFile() throws IOException {
        Path report = Files.writeString(tmp.resolve("report.json"), "old report");
        Path quarantine = Files.writeString(tmp.resolve("quarantine.jsonl"), "old quarantine");
        try (OutputSet outputs = new OutputSet()) {
            outputs.open(quarantine).stream().write("new quarantine".getBytes(StandardCharsets.UTF_8));
            outputs.write(report, text("new report"));
            assertThatThrownBy(() -> outputs.write(FULL, text("x".repeat(100_000))))
                    .isInstanceOf(UserError.class).hasMessage("/dev/full: cannot write: No space left on device");
            assertThatThrownBy(() -> outputs.write(tmp.resolve("junit.xml"), out -> {
                out.write("half".getBytes(StandardCharsets.UTF_8));
                throw new IOException("disk full");
            })).isInstanceOf(UserError.class).hasMessage(tmp.resolve("junit.xml") + ": cannot write: disk full");
        }
        assertThat(report).hasContent("old report");
        assertThat(quarantine).hasContent("old quarantine");
        assertThat(filesIn(tmp)).containsExactly("quarantine.jsonl", "report.json");
    }

    @Test
    void theAppendIsMadeAtTheCommitBeforeTheRenamesAndAFailedOneReplacesNothing() throws IOException {
        Path report = Files.writeString(tmp.resolve("report.json"), "old report");
        Path stepSummary = Files.writeString(tmp.resolve("step-summary.md"), "# Job\n");
        try (OutputSet outputs = new OutputSet()) {
            outputs.write(report, text("new report"));
            outputs.append(stepSummary, "## Crash triage\n".getBytes(StandardCharsets.UTF_8));
            assertThat(stepSummary).hasContent("# Job\n");
            outputs.commit();
        }
        assertThat(report).hasContent("new report");
        assertThat(stepSummary).hasContent("# Job\n## Crash triage\n");

        try (OutputSet outputs = new OutputSet()) {
            outputs.write(report, text("newer report"));
            outputs.append(FULL, "## Crash triage\n".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(outputs::commit).isInstanceOf(UserError.class)
                    .hasMessage("/dev/full: cannot append: No space left on device");
        }
        assertThat(report).hasContent("new report");
        assertThat(filesIn(tmp)).containsExactly("report.json", "step-summary.md");
    }

    @Test
    void aFifoGetsItsBytesWhenWrittenBeforeAnyFileIsReplaced() throws Exception {
        Path fifo = FileTypes.mkfifo(tmp.resolve("report.fifo"));
        Path summary = Files.writeString(tmp.resolve("summary.md"), "old summary");
        CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllBytes(fifo); // blocks until the writer opens and closes it
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try (OutputSet outputs = new OutputSet()) {
            outputs.write(summary, text("new summary"));
            outputs.write(fifo, text("through the pipe"));

            assertThat(new String(reader.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8))
                    .isEqualTo("through the pipe");
            assertThat(summary).hasContent("old summary");
            outputs.commit();
        }
        assertThat(summary).hasContent("new summary");
        assertThat(FileTypes.isFifo(fifo)).isTrue();
    }

    @Test
    void anOutputOfTheSetIsCommittedOnlyByTheSet() throws IOException {
        Path quarantine = tmp.resolve("quarantine.jsonl");
        try (OutputSet outputs = new OutputSet()) {
            AtomicOutput.Pending pending = outputs.open(quarantine);
            pending.stream().write("line\n".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(pending::commit).isInstanceOf(IllegalStateException.class);
            assertThat(quarantine).doesNotExist();
            outputs.commit();
            assertThatThrownBy(() -> outputs.write(tmp.resolve("late.md"), text("late")))
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThat(quarantine).hasContent("line\n");
        assertThat(filesIn(tmp)).containsExactly("quarantine.jsonl");
    }

    /** The documented limit: a rename that fails cannot take back the ones before it; the rest stay unwritten. */
    @Test
    void aRenameThatFailsLeavesTheLaterFilesAsTheyWereAndNoTempFile() throws IOException {
        Path first = tmp.resolve("first.md");
        Path second = Files.writeString(tmp.resolve("second.md"), "old second");
        Path third = Files.writeString(tmp.resolve("third.md"), "old third");
        try (OutputSet outputs = new OutputSet()) {
            outputs.write(first, text("new first"));
            outputs.write(second, text("new second"));
            outputs.write(third, text("new third"));
            // The folder changes under the run: the second target becomes a folder that is not empty.
            Files.delete(second);
            Files.writeString(Files.createDirectory(second).resolve("inside"), "kept");

            assertThatThrownBy(outputs::commit).isInstanceOf(UserError.class)
                    .hasMessageStartingWith(second + ": cannot write: ");
        }
        assertThat(first).hasContent("new first");
        assertThat(second.resolve("inside")).hasContent("kept");
        assertThat(third).hasContent("old third");
        assertThat(filesIn(tmp)).containsExactly("first.md", "second.md", "third.md");
    }
}
