package dev.triagerules.tickets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triagerules.UserError;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportIncidentsTest {
    @TempDir
    Path dir;

    @Test
    void readsUnsigned64BitNumbersExactly() throws IOException {
        Path report = dir.resolve("r.json");
        Files.writeString(report, "{\"schema_version\":\"ft-crash-triage-v1\",\"incidents\":[{\"incident_id\":\"x\","
                + "\"class\":\"c\",\"severity\":\"high\",\"owner_hint\":\"o\",\"seed\":18446744073709551615,"
                + "\"occurrences\":2,\"last_seen_unix_ms\":18446744073709551614,\"escalation\":null}]}");
        ReportIncident incident = ReportIncidents.read(report).incidents().get(0);
        assertEquals("18446744073709551615", incident.seed());
        assertEquals(new BigInteger("18446744073709551614"), incident.lastSeenUnixMs());
        assertNull(incident.escalation());
        assertNull(incident.flakeVerdict());
        assertEquals(List.of(), incident.artifactRefs());
    }

    @Test
    void refusesSomethingThatIsNotATriageReport() throws IOException {
        Path report = dir.resolve("r.json");
        Files.writeString(report, "{\"schema_version\":\"other\",\"incidents\":[]}");
        UserError e = assertThrows(UserError.class, () -> ReportIncidents.read(report));
        assertTrue(e.getMessage().contains("expected \"ft-crash-triage-v1\""), e.getMessage());
        assertThrows(UserError.class, () -> ReportIncidents.read(dir.resolve("missing.json")));
    }

    @Test
    void namesTheIncidentAndFieldThatIsMissing() throws IOException {
        Path report = dir.resolve("r.json");
        Files.writeString(report, "{\"schema_version\":\"ft-crash-triage-v1\",\"incidents\":[{\"incident_id\":\"x\","
                + "\"class\":\"c\",\"severity\":\"high\"}]}");
        UserError e = assertThrows(UserError.class, () -> ReportIncidents.read(report));
        assertTrue(e.getMessage().contains("incidents[0] (x): \"owner_hint\" is missing"), e.getMessage());
    }
}
