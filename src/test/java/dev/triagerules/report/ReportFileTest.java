package dev.triagerules.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triagerules.base.UserError;
import dev.triagerules.report.ReportFixtures;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFileTest {
    @TempDir
    Path dir;

    private ReportFile read(String json) throws Exception {
        return ReportFile.read(Files.writeString(dir.resolve("r.json"), json));
    }

    private ReportedIncident onlyIncident(String incident) throws Exception {
        return read("{\"schema_version\": \"ft-crash-triage-v1\", \"incidents\": [" + incident + "]}")
                .incidents().get(0);
    }

    @Test
    void readsIncidentsInOrderKeepingTheSeedExact() throws Exception {
        ObjectNode report = ReportFixtures.report();
        ReportFixtures.incident(report, "triage64:aa", "critical", "exit 1");
        ReportFixtures.incident(report, "triage64:bb", "medium", "true").put("seed", "42");
        List<ReportedIncident> incidents = ReportFile.read(ReportFixtures.write(report, dir.resolve("r.json")))
                .incidents();

        assertEquals(2, incidents.size());
        ReportedIncident first = incidents.get(0);
        assertEquals(0, first.index());
        assertEquals("triage64:aa", first.incidentId());
        assertEquals(ReportFixtures.BIG_SEED, first.seed());
        assertTrue(first.needsReplayTranscript());
        assertEquals("bd-3v0.7", first.escalation().linkedBeadId());
        assertEquals(List.of("artifacts/parity_report.json"), first.artifactRefs());
        assertEquals("42", incidents.get(1).seed());
        assertNull(incidents.get(1).escalation());
        assertEquals(Map.of(), first.problems());
    }

    /**
     * Both readers (a file, and the bytes the main command just wrote) refuse a seed with a
     * leading zero where it is; a seed of plain digits, quoted or not, and "0" are seeds.
     */
    @Test
    void aSeedWithALeadingZeroIsRefusedAtItsLineAndColumn() throws Exception {
        String json = "{\"schema_version\": \"ft-crash-triage-v1\", \"incidents\": [\n {\"incident_id\": \"a\","
                + " \"seed\": 7},\n {\"incident_id\": \"b\", \"seed\": \"0\"},\n {\"seed\": \"00\"}]}";
        String advice = ": incidents[2]: seed \"00\" has a leading zero, which no report writer writes (a seed is a JSON"
                + " number): replay would pass it as written (TRIAGE_SEED=00), and a program may read that otherwise"
                + " than 0 (a shell reads 010 as octal 8); write the seed as 0 and replay again";

        assertThat(assertThrows(UserError.class, () -> read(json)).getMessage())
                .isEqualTo(dir.resolve("r.json") + ":4:11" + advice);
        assertThat(assertThrows(UserError.class, () -> ReportFile.read(Path.of("-"),
                json.getBytes(java.nio.charset.StandardCharsets.UTF_8))).getMessage()).isEqualTo("-:4:11" + advice);

        List<ReportedIncident> seeds = read(json.replace("\"00\"", "\"7\"")).incidents();
        assertEquals(List.of("7", "0", "7"), seeds.stream().map(ReportedIncident::seed).toList());
    }

    @Test
    void readsAStringAsLongAsALogLineMayCarry() throws Exception {
        // A valid log line of up to 64 MiB puts its text in the report; Jackson's default cap
        // (20,000,000 chars) made such a report "not a JSON report" to every command.
        ObjectNode report = ReportFixtures.report();
        String command = "x".repeat(21_000_000);
        ReportFixtures.incident(report, "triage64:aa", "critical", command);
        List<ReportedIncident> incidents = ReportFile.read(ReportFixtures.write(report, dir.resolve("r.json")))
                .incidents();

        assertEquals(command, incidents.get(0).replayCommand());
    }

    @Test
    void aKeyGivenTwiceOrAnythingAfterTheReportIsRefused() throws Exception {
        // A second "incidents": [] made the gate check no incident and pass.
        Path twice = Files.writeString(dir.resolve("twice.json"), "{\"schema_version\": \"ft-crash-triage-v1\",\n"
                + " \"incidents\": [{\"incident_id\": \"x\"}],\n \"incidents\": []}");
        assertThat(assertThrows(UserError.class, () -> ReportFile.read(twice)).getMessage())
                .isEqualTo(twice + ": not a JSON report: Duplicate field 'incidents' (line 3)");
        Path trailing = Files.writeString(dir.resolve("trailing.json"),
                "{\"schema_version\": \"ft-crash-triage-v1\", \"incidents\": []}\nxx");
        assertThat(assertThrows(UserError.class, () -> ReportFile.read(trailing)).getMessage())
                .startsWith(trailing + ": not a JSON report: ").contains("line 2");
    }

    /**
     * Before: html read a report of 2,500,000 incidents whole, grew to 6.4 GB and stalled in garbage
     * collection for minutes. Now the commands that keep every incident stop at the first one over the
     * limit, and say so: here the file breaks off right after that incident, and it is the limit that is
     * reported, so nothing after it was read. Read as a stream, the same report is read whole.
     */
    @Test
    void aReportOfMoreIncidentsThanACommandKeepsIsRefusedAtTheFirstOneOver() throws Exception {
        int over = ReportFile.MAX_INCIDENTS + 1;
        IntFunction<ObjectNode> incident = n -> ReportFixtures.JSON.createObjectNode().put("incident_id", "i" + n)
                .put("severity", n % 2 == 0 ? "high" : "low");
        Path cut = ReportFixtures.write(dir.resolve("cut.json"), over, incident, false);

        assertThat(assertThrows(UserError.class, () -> ReportFile.read(cut)).getMessage()).isEqualTo(cut
                + ": more than 100000 incidents (incidents[100000] is one too many): html, tickets and replay read"
                + " at most 100000 from one report, as they keep every one in memory; triage fewer logs per report"
                + " (e.g. one packet at a time: --packet), or replay a part (--incident, --severity, --class); gate"
                + " and --baseline read reports of any size");
        assertThat(assertThrows(UserError.class, () -> ReportFile.stream(cut, i -> { })).getMessage())
                .startsWith(cut + ": not a JSON report: Unexpected end-of-input");

        Path whole = ReportFixtures.write(dir.resolve("whole.json"), over, incident, true);
        List<String> streamed = new ArrayList<>();
        ReportFile.Streamed read = ReportFile.stream(whole, i -> streamed.add(i.incidentId()));
        assertEquals(over, read.incidentCount());
        assertEquals(over, streamed.size());
        assertEquals("i100000", streamed.get(over - 1));
        assertEquals((long) over, read.header().incidentCount());
        assertEquals(over, SeverityGate.incidentIds(whole).size());
        // A part of it, as replay --severity keeps it.
        List<ReportedIncident> high = ReportFile.read(whole, i -> "high".equals(i.severity())).incidents();
        assertEquals(over / 2 + 1, high.size());
        assertEquals(List.of(0, 2), high.subList(0, 2).stream().map(ReportedIncident::index).toList());
    }

    /** A consumer of the stream gets no incident after one that breaks the report, nor any of a wrong schema. */
    @Test
    void theStreamStopsAtAnIncidentThatBreaksTheReport() throws Exception {
        Path repeated = Files.writeString(dir.resolve("r.json"), "{\"schema_version\": \"ft-crash-triage-v1\","
                + " \"incidents\": [{\"incident_id\": \"a\"}, {\"incident_id\": \"b\"}, {\"incident_id\": \"a\"},"
                + " {\"incident_id\": \"c\"}]}");
        List<String> seen = new ArrayList<>();
        assertThat(assertThrows(UserError.class, () -> ReportFile.stream(repeated, i -> seen.add(i.incidentId())))
                .getMessage()).isEqualTo(repeated + ": incidents[2] repeats the incident_id of incidents[0] (a); a"
                        + " report lists each incident once");
        assertEquals(List.of("a", "b"), seen);

        seen.clear();
        Path other = Files.writeString(dir.resolve("o.json"), "{\"schema_version\": \"v9\", \"incidents\": [{}]}");
        assertThat(assertThrows(UserError.class, () -> ReportFile.stream(other, i -> seen.add(i.incidentId())))
                .getMessage()).contains("schema_version is \"v9\"");
        assertEquals(List.of(), seen);
    }

    /** The keys around the incidents may come after them (the writer puts its own there), in any order. */
    @Test
    void headerKeysAfterTheIncidentsAreRead() throws Exception {
        ReportFile file = read("{\"incidents\": [{\"incident_id\": \"a\"}], \"unknown\": {\"x\": [1, {}]},"
                + " \"input_log_path\": \"e2e.jsonl\", \"incident_count\": 1, \"severity_counts\": {\"high\": 1},"
                + " \"schema_version\": \"ft-crash-triage-v1\"}");
        assertEquals("e2e.jsonl", file.inputLogPath());
        assertEquals(1L, file.header().incidentCount());
        assertEquals(Map.of("high", 1L), file.header().severityCounts());
        assertEquals("a", file.incidents().get(0).incidentId());
    }

    @Test
    void readsTheToolsOwnReportSeedDigitForDigit() throws Exception {
        // A seed above Long.MAX_VALUE, written as a bare JSON number the way the report writer does.
        assertEquals("11231611986178456803", onlyIncident("{\"incident_id\": \"x\", \"seed\": 11231611986178456803}")
                .seed());
    }

    @Test
    void readsUnsigned64BitNumbersExactly() throws Exception {
        ReportedIncident incident = onlyIncident("{\"incident_id\":\"x\",\"class\":\"c\",\"severity\":\"high\","
                + "\"owner_hint\":\"o\",\"seed\":18446744073709551615,\"occurrences\":2,"
                + "\"last_seen_unix_ms\":18446744073709551614,\"escalation\":null}");
        assertEquals("18446744073709551615", incident.seed());
        assertEquals(BigInteger.TWO, incident.occurrences());
        assertEquals(new BigInteger("18446744073709551614"), incident.lastSeenUnixMs());
        assertNull(incident.escalation());
        assertNull(incident.determinismVerdict());
        assertNull(incident.artifactRefs());
        assertEquals(Map.of(), incident.problems());
    }

    @Test
    void readsTheMaskedReasonCodeOfAReportWrittenWithPolicyMasks() throws Exception {
        // The real Surefire reports triaged with the junit pack (masks on), written by the report writer.
        TriageReport written = dev.triagerules.input.junit.JunitPipeline.triage(dev.triagerules.rules.Packs.junit(), 0,
                dev.triagerules.input.junit.JunitReports.path("surefire")).report();
        Path file = dir.resolve("junit.json");
        try (java.io.OutputStream out = Files.newOutputStream(file)) {
            JsonReportWriter.write(written, out);
        }
        List<ReportedIncident> incidents = ReportFile.read(file).incidents();

        assertEquals(written.incidents().size(), incidents.size());
        for (int i = 0; i < incidents.size(); i++) {
            assertEquals(written.incidents().get(i).first().incident().getFailure().getMaskedReasonCode(),
                    incidents.get(i).maskedReasonCode());
        }
        ReportedIncident cache = incidents.stream().filter(r -> r.scenarioId().equals("cachesResults")).findFirst()
                .orElseThrow();
        assertEquals("org.opentest4j.AssertionFailedError: cache entry <hex> evicted after <n> ms ==> expected:"
                + " <true> but was: <false>", cache.maskedReasonCode());
        assertTrue(cache.reasonCode().contains("0x7f3a9c21"), "the raw reason code stays: " + cache.reasonCode());
    }

    @Test
    void anUnmaskedReportHasNoMaskedReasonCodeAndAWrongTypeIsAProblem() throws Exception {
        assertNull(onlyIncident("{\"incident_id\": \"x\", \"reason_code\": \"boom\"}").maskedReasonCode());
        ReportedIncident wrong = onlyIncident("{\"incident_id\": \"x\", \"masked_reason_code\": 7}");
        assertNull(wrong.maskedReasonCode());
        assertEquals("must be a string", wrong.problems().get("masked_reason_code").message());
    }

    @Test
    void readsEveryKeyTheReportWriterWrites() throws Exception {
        ObjectNode report = ReportFixtures.report();
        report.put("input_log_path", "e2e.jsonl");
        ObjectNode written = ReportFixtures.incident(report, "triage64:aa", "critical", "exit 1");
        written.put("last_seen_unix_ms", new BigInteger("18446744073709551614"));
        written.put("rule", "autograd_state");
        written.put("fixture_id", "cases.json");
        written.put("first_seen_line", 12);
        written.putObject("determinism").put("verdict", "flaky");
        ReportFile file = ReportFile.read(ReportFixtures.write(report, dir.resolve("r.json")));

        assertEquals("e2e.jsonl", file.inputLogPath());
        assertEquals(dir.resolve("r.json"), file.path());
        ReportedIncident incident = file.incidents().get(0);
        assertEquals("autograd_state", incident.crashClass());
        assertEquals("critical", incident.severity());
        assertEquals("owners", incident.ownerHint());
        assertEquals("FT-P2C-002", incident.packetId());
        assertEquals("dispatch_key", incident.suiteId());
        assertEquals("dispatch_key/strict:case_1", incident.scenarioId());
        assertEquals("strict", incident.mode());
        assertEquals("boom", incident.reasonCode());
        assertEquals("exit 1", incident.replayCommand());
        assertEquals("det64:00000000000000aa", incident.envFingerprint());
        assertEquals(BigInteger.ONE, incident.occurrences());
        assertEquals(new BigInteger("18446744073709551614"), incident.lastSeenUnixMs());
        assertEquals("autograd_state", incident.rule());
        assertEquals("cases.json", incident.fixtureId());
        assertEquals(12L, incident.firstSeenLine());
        assertEquals(new ReportedIncident.Escalation(true, "bd-3v0.7",
                List.of("artifacts/parity_report.json", "e2e.jsonl"), true), incident.escalation());
        assertEquals("flaky", incident.determinismVerdict());
    }

    @Test
    void missingKeysAreNullAndWrongTypesAreNamedInProblems() throws Exception {
        ReportedIncident incident = onlyIncident("{\"class\": 5, \"packet_id\": {}, \"artifact_refs\": [\"a\", 1],"
                + " \"seed\": \"abc\", \"occurrences\": -1, \"escalation\": {\"linked_bead_id\": [],"
                + " \"artifact_paths\": \"a.json\"}, \"determinism\": {\"verdict\": \" \"}}");
        assertNull(incident.incidentId());
        assertEquals("incidents[0]", incident.label());
        assertNull(incident.crashClass());
        assertNull(incident.packetId());
        assertNull(incident.artifactRefs());
        assertEquals("abc", incident.seed()); // kept, for the gate to quote
        assertNull(incident.occurrences());
        assertNull(incident.escalation().linkedBeadId());
        assertNull(incident.escalation().artifactPaths());
        assertNull(incident.determinismVerdict());
        assertEquals(List.of("class", "packet_id", "artifact_refs", "seed", "occurrences", "escalation.linked_bead_id",
                "escalation.artifact_paths"), List.copyOf(incident.problems().keySet()));
        assertEquals("must be a string", incident.problems().get("class").message());
        assertEquals("must be an array of strings", incident.problems().get("artifact_refs").message());
        assertEquals("must be a whole number, got \"abc\"", incident.problems().get("seed").message());
        assertEquals("is outside 0..18446744073709551615: -1", incident.problems().get("occurrences").message());

        ReportedIncident notAnObject = onlyIncident("{\"escalation\": true, \"seed\": 1.5}");
        assertNull(notAnObject.escalation());
        assertEquals("1.5", notAnObject.seed());
        assertEquals(List.of("seed", "escalation"), List.copyOf(notAnObject.problems().keySet()));
        assertEquals("must be a whole number, got 1.5", notAnObject.problems().get("seed").message());
        assertEquals("must be an object or null", notAnObject.problems().get("escalation").message());
        assertTrue(notAnObject.problems().get("escalation").value().isBoolean());
    }

    /** Before: a folder (and an unreadable file, see GateCommandTest) was "report not found". */
    @Test
    void aFolderIsSaidToBeAFolder() {
        UserError folder = assertThrows(UserError.class, () -> ReportFile.read(dir));
        assertEquals(dir + ": is a folder, not a report file", folder.getMessage());
    }

    @Test
    void badFilesAreUserErrors() throws Exception {
        UserError missing = assertThrows(UserError.class, () -> ReportFile.read(dir.resolve("nope.json")));
        assertEquals(dir.resolve("nope.json") + ": report not found", missing.getMessage());
        Path garbage = Files.writeString(dir.resolve("g.json"), "{not json");
        assertTrue(assertThrows(UserError.class, () -> ReportFile.read(garbage)).getMessage()
                .contains("not a JSON report"));
        Path other = Files.writeString(dir.resolve("o.json"), "{\"schema_version\": \"v9\", \"incidents\": []}");
        UserError wrongSchema = assertThrows(UserError.class, () -> ReportFile.read(other));
        assertTrue(wrongSchema.getMessage().contains("schema_version"), wrongSchema.getMessage());
        assertTrue(wrongSchema.getMessage().contains("expected \"ft-crash-triage-v1\""), wrongSchema.getMessage());
        Path array = Files.writeString(dir.resolve("a.json"), "[1, 2]");
        assertTrue(assertThrows(UserError.class, () -> ReportFile.read(array)).getMessage()
                .endsWith("not a triage report (expected a JSON object)"));
        Path noIncidents = Files.writeString(dir.resolve("n.json"), "{\"schema_version\": \"ft-crash-triage-v1\"}");
        assertTrue(assertThrows(UserError.class, () -> ReportFile.read(noIncidents)).getMessage()
                .endsWith("\"incidents\" must be an array"));
        Path notObjects = Files.writeString(dir.resolve("x.json"),
                "{\"schema_version\": \"ft-crash-triage-v1\", \"incidents\": [{}, 7]}");
        assertTrue(assertThrows(UserError.class, () -> ReportFile.read(notObjects)).getMessage()
                .endsWith("incidents[1] is not an object"));
    }
}
