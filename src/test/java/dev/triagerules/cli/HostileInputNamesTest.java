package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input names with glob characters and terminal control characters: a name that exists is
 * that file, not a pattern, and an error that quotes a name shows its control characters
 * as escapes, as line excerpts do, so a hostile name cannot drive the terminal.
 */
class HostileInputNamesTest {
    private static final String LOG = "examples/sample-e2e.jsonl";
    private static final String HOSTILE = "evil\u001b[31mname\n";
    private static final String SHOWN = "evil\\u001b[31mname\\n";

    @TempDir
    Path tmp;

    @Test
    void aFileWhoseNameLooksLikeAGlobIsReadAsThatFile() throws IOException {
        Path log = Files.copy(Path.of(LOG), tmp.resolve(HOSTILE + "[1].jsonl"));
        Path report = tmp.resolve("triage.json");
        CliRunner.run("-q", "--input", log.toString(), "--output", report.toString()).assertOk();
        JsonNode read = new ObjectMapper().readTree(report.toFile());
        assertThat(read.get("input_log_path").asText()).as("the report names the file as given")
                .isEqualTo(log.toString());
        assertThat(read.get("total_entries").asInt()).isEqualTo(240);
    }

    @Test
    void aBadGlobIsQuotedWithItsControlCharactersEscaped() {
        CliRunner.Result run = CliRunner.run("-q", "--input", tmp + "/" + HOSTILE + "[.jsonl", "--output", "-")
                .assertExit(1);
        // "Missing ']": the JDK's words.
        assertThat(run.err()).isEqualTo(tmp + "/" + SHOWN + "[.jsonl: bad glob: Missing '] near index 20\n");
    }

    @Test
    void aMissingFileIsQuotedWithItsControlCharactersEscaped() {
        // No '[' here: a missing name with one is a pattern, above.
        CliRunner.Result run = CliRunner.run("-q", "--input", tmp + "/evil\u001bc\n.jsonl", "--output", "-")
                .assertExit(1);
        assertThat(run.err()).isEqualTo(tmp + "/evil\\u001bc\\n.jsonl: no such file\n");
    }

    @Test
    void anInvalidLineIsLocatedWithTheNameEscaped() throws IOException {
        Path log = Files.writeString(tmp.resolve(HOSTILE + ".jsonl"), "{\"schema_version\":1}\n");
        CliRunner.Result run = CliRunner.run("-q", "--input", log.toString(), "--output", "-").assertExit(1);
        assertThat(run.err()).startsWith(tmp + "/" + SHOWN + ".jsonl:1:").doesNotContain("\u001b");
    }

    @Test
    void theSummaryShowsTheReportAndQuarantineNamesEscaped() throws IOException {
        Path log = Files.writeString(tmp.resolve("log.jsonl"), "not json\n");
        Path report = tmp.resolve(HOSTILE + ".json");
        CliRunner.Result run = CliRunner.run("--input", log.toString(), "--output", report.toString(),
                "--on-invalid", "skip").assertOk();
        assertThat(run.err()).contains("-> " + tmp + "/" + SHOWN + ".json\n")
                .contains("1 invalid line skipped -> " + tmp + "/" + SHOWN + ".quarantine.jsonl\n")
                .doesNotContain("\u001b");
    }

    /**
     * A log listed in a folder whose name is not UTF-8 (bytes FF FE): the JVM decodes it with
     * U+FFFD for those bytes, and that name opens nothing, so the file just listed was "no
     * such file". Run as its own process with the launcher's locale (C.UTF-8): a test JVM
     * started without a locale decodes names as ASCII, where the error says to set one.
     */
    @Test
    void aListedFileWhoseNameIsNotUtf8IsAnErrorSayingSo() throws Exception {
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        Files.copy(Path.of(LOG), logs.resolve("good.jsonl"));
        Path junit = Files.createDirectories(tmp.resolve("junit"));
        // Java cannot make such a name: the shell's printf writes the bytes.
        Process sh = new ProcessBuilder("sh", "-c", "cp \"$0\" \"$1/$(printf 'bad\\377\\376name.jsonl')\""
                + " && cp \"$2\" \"$3/$(printf 'TEST-bad\\377.xml')\"", Path.of(LOG).toAbsolutePath().toString(),
                logs.toString(), Path.of("src/test/resources/junit/surefire/TEST-demo.CalculatorTest.xml")
                        .toAbsolutePath().toString(), junit.toString()).inheritIO().start();
        assertThat(sh.waitFor()).as("the shell made the files").isZero();
        String notUtf8 = ": its file name is not UTF-8 text (\\ufffd marks each byte that is not), so it cannot be"
                + " opened; rename the file\n";

        for (String input : List.of(logs.toString(), logs + "/*.jsonl")) {
            CliRunner.Result run = MainProcess.run(List.of("-q", "--input", input, "--output", "-"),
                    Map.of("LC_ALL", "C.UTF-8"), tmp).assertExit(1);
            assertThat(run.err()).isEqualTo(input + ": cannot read bad\\ufffd\\ufffdname.jsonl" + notUtf8);
        }
        CliRunner.Result run = MainProcess.run(List.of("-q", "--input", junit.toString(), "--output", "-"),
                Map.of("LC_ALL", "C.UTF-8"), tmp).assertExit(1);
        assertThat(run.err()).isEqualTo(junit + ": cannot read TEST-bad\\ufffd.xml" + notUtf8);
    }
}
