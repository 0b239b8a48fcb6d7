package dev.triagerules.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main command end to end through picocli, on the bundled example log and crafted inputs. */
class TriageCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SAMPLE = "examples/sample-e2e.jsonl";

    @TempDir
    Path tmp;

    @Test
    void writesTheReportAndASummaryButNothingOnStdout() throws IOException {
        Path report = tmp.resolve("out/triage.json");
        CliRunner.Result result = CliRunner.run("--input", SAMPLE, "--output", report.toString());
        assertEquals(0, result.exitCode(), result.err());
        assertEquals("", result.out());
        assertTrue(result.err().startsWith("triage-rules: 240 entries, 80 failed, 41 incidents -> "), result.err());
        assertTrue(result.err().contains("autograd_state        critical"), result.err());
        JsonNode json = JSON.readTree(report.toFile());
        assertEquals("ft-crash-triage-v1", json.get("schema_version").asText());
        assertEquals(240, json.get("total_entries").asInt());
        assertEquals(80, json.get("failed_entries").asInt());
        assertEquals(41, json.get("incidents").size());
        assertEquals("critical", json.get("incidents").get(0).get("severity").asText(), "most severe first");
        JsonNode escalation = json.get("incidents").get(0).get("escalation");
        assertEquals("bd-3v0.7", escalation.get("linked_bead_id").asText());
        assertTrue(escalation.get("replay_transcript_required").asBoolean());
        assertEquals(SAMPLE, last(escalation.get("artifact_paths")), "the e2e log is an attached artifact");
        assertEquals(7, json.get("escalated_incidents").asInt());
        JsonNode provenance = json.get("triage_rules");
        assertEquals(64, provenance.get("rules").get("sha256").asText().length());
        assertEquals(9, provenance.get("rules").get("files").size());
        assertEquals(List.of("classes.yaml", "flake.yaml", "lifecycle.yaml", "replay.yaml", "severities.yaml",
                "tickets.yaml"),
                names(provenance.get("policy").get("files")));
        assertFalse(Files.list(report.getParent()).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")),
                "no temp file left behind");
    }

    @Test
    void dashOutputWritesTheReportToStdout() throws IOException {
        CliRunner.Result result = CliRunner.run("--input", SAMPLE, "--output", "-", "--quiet");
        assertEquals(0, result.exitCode(), result.err());
        assertEquals("", result.err());
        assertEquals(41, JSON.readTree(result.out()).get("incidents").size());
    }

    @Test
    void packetFilterTriagesOnePacketButCountsEveryEntry() throws IOException {
        CliRunner.Result result = CliRunner.run("--input", SAMPLE, "--packet", "FT-P2C-004", "--output", "-", "-q");
        JsonNode json = JSON.readTree(result.out());
        assertEquals("FT-P2C-004", json.get("packet_filter").asText());
        assertEquals(240, json.get("total_entries").asInt());
        assertTrue(json.get("failed_entries").asInt() > 0);
        json.get("incidents").forEach(i -> assertEquals("FT-P2C-004", i.get("packet_id").asText()));
    }

    @Test
    void gzipAndStdinInputsGiveTheSameReport() throws IOException {
        Path gz = tmp.resolve("sample.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(Path.of(SAMPLE), out);
        }
        List<String> plain = incidents(CliRunner.run("--input", SAMPLE, "--output", "-", "-q").out());
        assertEquals(plain, incidents(CliRunner.run("--input", gz.toString(), "--output", "-", "-q").out()));
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream(Files.readAllBytes(Path.of(SAMPLE))));
            assertEquals(plain, incidents(CliRunner.run("--input", "-", "--output", "-", "-q").out()));
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void theOtherPackClassifiesTheSameLogWithTenClasses() throws IOException {
        CliRunner.Result result = CliRunner.run("--rules", "examples/frankentorch-head/rules",
                "--policy", "examples/frankentorch-head/policy", "--input", SAMPLE, "--output", "-", "-q");
        assertEquals(0, result.exitCode(), result.err());
        assertEquals(10, JSON.readTree(result.out()).get("class_counts").size());
    }

    @Test
    void badInputFailsWithLocationAndLeavesNoOutput() throws IOException {
        Path log = tmp.resolve("bad.jsonl");
        List<String> lines = Files.readAllLines(Path.of(SAMPLE)).subList(0, 3);
        Files.write(log, List.of(lines.get(0), lines.get(1).replace("\"seed\":", "\"seed\":-"), lines.get(2)));
        Path report = tmp.resolve("report.json");
        CliRunner.Result result = CliRunner.run("--input", log.toString(), "--output", report.toString());
        assertEquals(1, result.exitCode());
        assertTrue(result.err().startsWith(log + ":2:"), result.err());
        assertTrue(result.err().contains("field \"seed\""), result.err());
        assertFalse(Files.exists(report));
    }

    @Test
    void aFailedRunLeavesAnExistingReportAsItWas() throws IOException {
        Path log = tmp.resolve("bad.jsonl");
        Files.writeString(log, "{\n");
        Path report = tmp.resolve("report.json");
        Files.writeString(report, "previous");
        assertEquals(1, CliRunner.run("--input", log.toString(), "--output", report.toString()).exitCode());
        assertEquals("previous", Files.readString(report));
    }

    @Test
    void missingInputIsAClearError() {
        CliRunner.Result result = CliRunner.run("--input", "nope.jsonl", "--output", "-");
        assertEquals(1, result.exitCode());
        assertEquals("nope.jsonl: no such file", result.err().strip());
    }

    @Test
    void refusesToOverwriteTheInput() throws IOException {
        Path log = tmp.resolve("log.jsonl");
        Files.copy(Path.of(SAMPLE), log);
        CliRunner.Result result = CliRunner.run("--input", log.toString(), "--output", log.toString());
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("--input and --output name the same file (" + log
                + "); an output must not be an input"), result.err());
        assertEquals(Files.size(Path.of(SAMPLE)), Files.size(log));
    }

    @Test
    void usageErrorsExitTwo() {
        CliRunner.Result result = CliRunner.run("--output", "-");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("Missing required option: '--input=LOG'"), result.err());
    }

    @Test
    void drlCompileErrorsAreReportedAsFileLineColumn() throws IOException {
        Path rules = copyOf("rules");
        Path broken = rules.resolve("dispatch-routing.drl");
        Files.writeString(broken, Files.readString(broken).replace("reason contains \"keyset\"",
                "reason contains \"keyset\" ||| oops"));
        CliRunner.Result result = CliRunner.run("--rules", rules.toString(), "--input", SAMPLE, "--output", "-");
        assertEquals(1, result.exitCode());
        assertTrue(result.err().matches("(?s)" + java.util.regex.Pattern.quote(broken.toString())
                + ":\\d+:\\d+: error: .*"), result.err());
    }

    @Test
    void aClassWithoutPolicyIsAnErrorNamingBothFiles() throws IOException {
        Path rules = copyOf("rules");
        Path drl = rules.resolve("dispatch-routing.drl");
        Files.writeString(drl, Files.readString(drl).replace("@class(\"dispatch_routing\")", "@class(\"routing_x\")"));
        CliRunner.Result result = CliRunner.run("--rules", rules.toString(), "--input", SAMPLE, "--output", "-");
        assertEquals(1, result.exitCode());
        assertTrue(result.err().startsWith(drl + ":8: error: rule \"dispatch_routing\" assigns class \"routing_x\""),
                result.err());
        assertTrue(result.err().contains("policy/classes.yaml"), result.err());
    }

    @Test
    void aSeverityOutsideTheOrderIsAnErrorNamingBothFiles() throws IOException {
        Path policy = copyOf("policy");
        Path classes = policy.resolve("classes.yaml");
        Files.writeString(classes, Files.readString(classes).replaceFirst("severity: high", "severity: urgent"));
        CliRunner.Result result = CliRunner.run("--policy", policy.toString(), "--input", SAMPLE, "--output", "-");
        assertEquals(1, result.exitCode());
        assertTrue(result.err().startsWith(classes + ":6:3: error: class \"dispatch_routing\" has severity \"urgent\""),
                result.err());
        assertTrue(result.err().contains(policy.resolve("severities.yaml") + ":2:1"), result.err());
    }

    @Test
    void unknownPolicyKeysAreLocated() throws IOException {
        Path policy = copyOf("policy");
        Path classes = policy.resolve("classes.yaml");
        Files.writeString(classes, Files.readString(classes).replaceFirst("owner_hint", "ownr_hint"));
        CliRunner.Result result = CliRunner.run("--policy", policy.toString(), "--input", SAMPLE, "--output", "-");
        assertEquals(1, result.exitCode());
        assertTrue(result.err().startsWith(classes + ":5:5: error: unknown key \"ownr_hint\""), result.err());
    }

    @Test
    void aBrokenPolicyFileIsOneErrorNotACascade() throws IOException {
        Path policy = copyOf("policy");
        Path severities = policy.resolve("severities.yaml");
        Files.writeString(severities, Files.readString(severities).replace("severity_order:", "severity_ordr:"));
        CliRunner.Result result = CliRunner.run("--policy", policy.toString(), "--input", SAMPLE, "--output", "-");
        assertEquals(1, result.exitCode());
        assertEquals(List.of(severities + ":2:1: error: unknown key \"severity_ordr\" (expected one of: annotations,"
                + " classes, escalation, flake, junit, lifecycle, masks, replay, severity_order, tickets)"),
                result.err().lines().toList());
    }

    @Test
    void deletingTheCatchAllStopsTheRunRatherThanDroppingFailures() throws IOException {
        Path rules = copyOf("rules");
        Files.delete(rules.resolve("unclassified.drl"));
        Path policy = copyOf("policy");
        CliRunner.Result result = CliRunner.run("--rules", rules.toString(), "--policy", policy.toString(),
                "--input", SAMPLE, "--output", "-");
        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains("no rule classified reason_code"), result.err());
    }

    private Path copyOf(String dir) throws IOException {
        Path copy = Files.createDirectories(tmp.resolve(dir));
        try (var files = Files.list(Path.of(dir))) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        return copy;
    }

    /** Incident ids, counts and kept fields; escalation paths name the input and so differ. */
    private static List<String> incidents(String report) throws IOException {
        return java.util.stream.StreamSupport.stream(JSON.readTree(report).get("incidents").spliterator(), false)
                .map(i -> i.get("incident_id").asText() + " " + i.get("occurrences") + " " + i.get("seed")
                        + " " + i.get("last_seen_unix_ms"))
                .toList();
    }

    private static String last(JsonNode array) {
        return array.get(array.size() - 1).asText();
    }

    private static List<String> names(JsonNode files) {
        return java.util.stream.StreamSupport.stream(files.spliterator(), false)
                .map(f -> f.get("path").asText()).toList();
    }
}
