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
    void aHostileNameIsQuotedEscapedOnOneLine() {
        Path report = tmp.resolve("r\u001b]0;owned\u0007\n\u202e.json");
        assertThat(new DistinctFiles().write("--output", report).write("--html", report).collision())
                .hasValue("--output and --html name the same file (" + tmp + "/r\\u001b]0;owned\\u0007\\n\\u202e.json"
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
    void aPathThroughAMissingFolderIsTheFileItFoldsTo() throws IOException {
        // The writer makes missing folders, so "nodir/../e2e.jsonl" is e2e.jsonl itself: the
        // log must not be written over, nor one output over another.
        Path log = Files.writeString(tmp.resolve("e2e.jsonl"), "{}\n");
        Path throughMissing = tmp.resolve("nodir/../e2e.jsonl");
        assertThat(new DistinctFiles().read("--input", log).write("--output", throughMissing).collision())
                .hasValue("--input and --output name the same file (" + log + " and " + throughMissing
                        + "); an output must not be an input");
        Path report = Files.writeString(tmp.resolve("t3.json"), "{}");
        assertThat(new DistinctFiles().write("--output", tmp.resolve("x/y/../../t3.json"))
                .write("--markdown", report).collision()).isPresent();
        assertThatThrownBy(() -> new DistinctFiles().write("--output", tmp.resolve("nodir/..")))
                .isInstanceOf(UserError.class).hasMessageEndingWith(": cannot write: is a directory");
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
