package dev.triagerules.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistinctFilesTest {
    @TempDir
    Path tmp;

    @Test
    void twoOutputsNamingOneNewFileCollide() {
        Path report = tmp.resolve("r.json");
        assertThat(new DistinctFiles().write("--output", report).write("--markdown", report).collision())
                .hasValue("--output and --markdown name the same file (" + report
                        + "); each output needs a file of its own");
    }

    @Test
    void anOutputThatIsAnInputCollidesEvenThroughAHardLink() throws IOException {
        Path log = Files.writeString(tmp.resolve("e2e.jsonl"), "{}\n");
        Path hardLink = Files.createLink(tmp.resolve("same.jsonl"), log);
        assertThat(new DistinctFiles().read("--input", log).write("--markdown-append", hardLink).collision())
                .hasValue("--input and --markdown-append name the same file (" + log + " and " + hardLink
                        + "); an output must not be an input");
    }

    @Test
    void symlinksAndOtherSpellingsOfAFolderAreSeenThrough() throws IOException {
        Path real = Files.createDirectories(tmp.resolve("real"));
        Path linkedFolder = Files.createSymbolicLink(tmp.resolve("linked"), real);
        Path danglingLink = Files.createSymbolicLink(tmp.resolve("summary.md"), real.resolve("later.md"));
        assertThat(new DistinctFiles().write("--output", linkedFolder.resolve("x/../later.md"))
                .write("--markdown", danglingLink).collision()).isPresent();
        assertThat(new DistinctFiles().write("--output", tmp.resolve("real/sub/new.json"))
                .write("--markdown", linkedFolder.resolve("sub/new.json")).collision()).isPresent();
    }

    @Test
    void distinctFilesStreamsAndAbsentOptionsPass() throws IOException {
        Path log = Files.writeString(tmp.resolve("e2e.jsonl"), "{}\n");
        DistinctFiles files = new DistinctFiles().read("--input", log).read("--input", log)
                .write("--output", tmp.resolve("r.json")).write("--quarantine", null)
                .write("--markdown", Path.of("/dev/null")).write("--markdown-append", Path.of("/dev/null"))
                .write("--html", Path.of("/dev/stdout"));
        assertThat(files.collision()).as("reading one input twice writes nothing; streams are shared").isEmpty();
    }

    @Test
    void anOutputThatCanBeNoOutputIsRefusedAtOnce() {
        assertThatThrownBy(() -> new DistinctFiles().write("--output", tmp))
                .isInstanceOf(UserError.class).hasMessage(tmp + ": cannot write: is a directory");
    }
}
