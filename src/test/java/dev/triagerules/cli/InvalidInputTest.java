package dev.triagerules.cli;

import static dev.triagerules.LogLines.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triagerules.LogLines;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input never corrupts anything: stop by default, or skip into a quarantine that loses nothing. */
class InvalidInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void skipQuarantinesEveryRejectedLineWithItsNumberAndReason() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes((entry("s1", "fail", "keyset_conflict") + "\r\n").getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes("{\"schema_version\":1}\n".getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}', '\n'});
        bytes.writeBytes((entry("s2", "fail", "decode_failure").replace("\"seed\":7", "\"seed\":-7") + "\n")
                .getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(entry("s3", "fail", "decode_failure").getBytes(StandardCharsets.UTF_8));
        Path log = Files.write(tmp.resolve("e2e.jsonl"), bytes.toByteArray());
        Path report = tmp.resolve("triage.json");

        CliRunner.Result result = CliRunner.run("--input", log.toString(), "--output", report.toString(),
                "--on-invalid", "skip");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.err().contains("  3 invalid lines skipped -> " + tmp.resolve("triage.quarantine.jsonl")),
                result.err());
        JsonNode json = JSON.readTree(report.toFile());
        assertEquals(2, json.get("total_entries").asInt(), "valid entries only");
        assertEquals(2, json.get("failed_entries").asInt());
        assertEquals(3, json.get("invalid_lines").asInt());
        assertFalse(json.has("invalid_reports"), "only JUnit XML reports are skipped whole: a JSONL report"
                + " keeps its keys");
        assertEquals(tmp.resolve("triage.quarantine.jsonl").toString(), json.get("quarantine_path").asText());

        List<String> quarantine = Files.readAllLines(tmp.resolve("triage.quarantine.jsonl"));
        assertEquals(3, quarantine.size());
        JsonNode first = JSON.readTree(quarantine.get(0));
        assertEquals(2, first.get("line").asInt());
        assertEquals("{\"schema_version\":1}", first.get("raw").asText());
        assertTrue(first.get("error").asText().startsWith("field \"schema_version\": expected a string"));
        JsonNode notUtf8 = JSON.readTree(quarantine.get(1));
        assertEquals(4, notUtf8.get("line").asInt());
        assertEquals("eyL/IjoxfQ==", notUtf8.get("raw_base64").asText(), "bytes that are not UTF-8 are kept exactly");
        JsonNode badSeed = JSON.readTree(quarantine.get(2));
        assertEquals(5, badSeed.get("line").asInt());
        assertTrue(badSeed.get("error").asText().contains("field \"seed\""));
        assertEquals(log.toString(), badSeed.get("source").asText());
    }

    @Test
    void overlongUtf8IsQuarantinedAsItsBytes() throws IOException {
        // "decode_/" with the slash written C0 AF, which a lax decoder reads as '/'
        byte[] overlong = entry("s2", "fail", "decode_@@").getBytes(StandardCharsets.UTF_8);
        int at = new String(overlong, StandardCharsets.ISO_8859_1).indexOf("@@");
        overlong[at] = (byte) 0xC0;
        overlong[at + 1] = (byte) 0xAF;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes((entry("s1", "fail", "keyset_conflict") + "\n").getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(overlong);
        bytes.write('\n');
        Path log = Files.write(tmp.resolve("e2e.jsonl"), bytes.toByteArray());
        Path report = tmp.resolve("triage.json");

        CliRunner.run("--input", log.toString(), "--output", report.toString(), "--on-invalid", "skip").assertOk();
        assertEquals(1, JSON.readTree(report.toFile()).get("total_entries").asInt());
        List<String> quarantine = Files.readAllLines(tmp.resolve("triage.quarantine.jsonl"));
        assertEquals(1, quarantine.size());
        JsonNode rejected = JSON.readTree(quarantine.get(0));
        assertEquals(2, rejected.get("line").asInt());
        assertEquals(at + 1, rejected.get("column").asInt());
        assertEquals("invalid UTF-8: byte C0 cannot start a character (an overlong encoding: C0 AF)", rejected.get("error").asText());
        assertFalse(rejected.has("raw"));
        assertEquals(Base64.getEncoder().encodeToString(overlong), rejected.get("raw_base64").asText(),
                "the line's exact bytes");
    }

    @Test
    void aGzipCutInsideItsFirstBytesNamesLineOneAsAnyBrokenInput() throws IOException {
        // The format sniff reads the first bytes too; its failure must not hide the line.
        Path cut = Files.write(tmp.resolve("header-only.jsonl.gz"),
                new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3});
        CliRunner.Result result = CliRunner.run("-q", "--input", cut.toString(), "--output",
                tmp.resolve("r.json").toString()).assertExit(1);
        assertEquals(cut + ":1: truncated gzip stream: it ends inside member 1, after 10 compressed bytes; the log"
                + " was read up to line 1 (0 bytes)", result.err().strip());
        assertFalse(Files.exists(tmp.resolve("r.json")));
    }

    @Test
    void stopIsTheDefaultAndWritesNothing() {
        Path log = LogLines.write(tmp.resolve("e2e.jsonl"), List.of(entry("s1", "fail", "x"), "{oops"));
        Path report = tmp.resolve("triage.json");
        CliRunner.Result result = CliRunner.run("--input", log.toString(), "--output", report.toString());
        assertEquals(1, result.exitCode());
        assertTrue(result.err().startsWith(log + ":2:2: "), result.err());
        assertTrue(result.err().contains("\n  | {oops"), result.err());
        assertFalse(Files.exists(report));
        assertFalse(Files.exists(tmp.resolve("triage.quarantine.jsonl")));
    }

    @Test
    void quarantineToStdoutNeedsAFile() {
        CliRunner.Result result = CliRunner.run("--input", "examples/sample-e2e.jsonl", "--output", "-",
                "--on-invalid", "skip");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("--on-invalid skip with --output - (not a file) needs --quarantine FILE"), result.err());
    }

    @Test
    void anUnwritableOutputIsAClearError() throws IOException {
        Path notADir = Files.writeString(tmp.resolve("file"), "x");
        CliRunner.Result result = CliRunner.run("--input", "examples/sample-e2e.jsonl", "--output",
                notADir.resolve("triage.json").toString());
        assertEquals(1, result.exitCode());
        assertTrue(result.err().startsWith(notADir.resolve("triage.json") + ": cannot write: "), result.err());
    }

    @Test
    void theQuarantineMayNotOverwriteTheInput() throws IOException {
        Path log = Files.copy(Path.of("examples/sample-e2e.jsonl"), tmp.resolve("e2e.jsonl"));
        CliRunner.Result result = CliRunner.run("--input", log.toString(), "--output", tmp.resolve("r.json").toString(),
                "--on-invalid", "skip", "--quarantine", log.toString());
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("--input and --quarantine name the same file (" + log + ")"), result.err());
    }
}
