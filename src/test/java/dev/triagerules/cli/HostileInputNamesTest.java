package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
