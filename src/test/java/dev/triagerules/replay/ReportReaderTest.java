package dev.triagerules.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triagerules.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsIncidentsInOrderKeepingTheSeedExact() throws Exception {
        ObjectNode report = ReportFixtures.report();
        ReportFixtures.incident(report, "triage64:aa", "critical", "exit 1");
        ReportFixtures.incident(report, "triage64:bb", "medium", "true").put("seed", "42");
        List<ReportIncident> incidents = ReportReader.read(ReportFixtures.write(report, dir.resolve("r.json")));

        assertEquals(2, incidents.size());
        ReportIncident first = incidents.get(0);
        assertEquals("triage64:aa", first.incidentId());
        assertEquals(ReportFixtures.BIG_SEED, first.seed());
        assertTrue(first.critical());
        assertEquals("bd-3v0.7", first.escalation().linkedBeadId());
        assertEquals(List.of("artifacts/parity_report.json"), first.artifactRefs());
        assertEquals("42", incidents.get(1).seed());
        assertNull(incidents.get(1).escalation());
    }

    @Test
    void readsTheToolsOwnReportSeedDigitForDigit() throws Exception {
        // A seed above Long.MAX_VALUE, written as a bare JSON number the way the report writer does.
        Path file = dir.resolve("r.json");
        Files.writeString(file, "{\"schema_version\": \"ft-crash-triage-v1\", \"incidents\": [{\"incident_id\": \"x\","
                + " \"seed\": 11231611986178456803}]}");
        assertEquals("11231611986178456803", ReportReader.read(file).get(0).seed());
    }

    @Test
    void badFilesAreUserErrors() throws Exception {
        UserError missing = assertThrows(UserError.class, () -> ReportReader.read(dir.resolve("nope.json")));
        assertTrue(missing.getMessage().contains("report not found"));
        Path garbage = Files.writeString(dir.resolve("g.json"), "{not json");
        assertTrue(assertThrows(UserError.class, () -> ReportReader.read(garbage)).getMessage()
                .contains("not a JSON report"));
        Path other = Files.writeString(dir.resolve("o.json"), "{\"schema_version\": \"v9\", \"incidents\": []}");
        assertTrue(assertThrows(UserError.class, () -> ReportReader.read(other)).getMessage()
                .contains("schema_version"));
    }
}
