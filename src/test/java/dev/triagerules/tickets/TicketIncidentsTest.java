package dev.triagerules.tickets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triagerules.base.UserError;
import dev.triagerules.report.ReportFile;
import dev.triagerules.report.ReportedIncident;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TicketIncidentsTest {
    private static final String COMPLETE = "\"class\":\"c\",\"severity\":\"high\",\"owner_hint\":\"o\"";

    @TempDir
    Path dir;

    private Path report(String... incidents) throws IOException {
        return Files.writeString(dir.resolve("r.json"), "{\"schema_version\":\"ft-crash-triage-v1\",\"incidents\":["
                + String.join(",", incidents) + "]}");
    }

    private String refusal(String... incidents) throws IOException {
        Path report = report(incidents);
        return assertThrows(UserError.class, () -> TicketIncidents.requireComplete(ReportFile.read(report)))
                .getMessage();
    }

    @Test
    void readsUnsigned64BitNumbersExactly() throws IOException {
        ReportedIncident incident = TicketIncidents.requireComplete(ReportFile.read(report(
                "{\"incident_id\":\"x\"," + COMPLETE + ",\"seed\":18446744073709551615,\"occurrences\":2,"
                        + "\"last_seen_unix_ms\":18446744073709551614,\"escalation\":null}"))).incidents().get(0);
        assertEquals("18446744073709551615", incident.seed());
        assertEquals(new BigInteger("18446744073709551614"), incident.lastSeenUnixMs());
        assertEquals(BigInteger.TWO, incident.occurrences());
        assertNull(incident.escalation());
        assertNull(incident.determinismVerdict());
        assertEquals(List.of(), incident.artifactRefs());
    }

    /** Upstream's last_seen_unix_ms is a u128, as its ts_unix_ms: reports may carry any such value. */
    @Test
    void readsUnsigned128BitTimestampsExactly() throws IOException {
        ReportedIncident incident = TicketIncidents.requireComplete(ReportFile.read(report(
                "{\"incident_id\":\"x\"," + COMPLETE + ",\"seed\":1,\"occurrences\":2,"
                        + "\"last_seen_unix_ms\":340282366920938463463374607431768211455}"))).incidents().get(0);
        assertEquals(new BigInteger("340282366920938463463374607431768211455"), incident.lastSeenUnixMs());
    }

    @Test
    void missingValuesGetTheTicketDefaults() throws IOException {
        ReportFile report = TicketIncidents.requireComplete(ReportFile.read(report(
                "{\"incident_id\":\"y\"," + COMPLETE + ",\"occurrences\":18446744073709551615,"
                        + "\"escalation\":{\"linked_bead_id\":\"bd-1\"}}")));
        ReportedIncident bare = report.incidents().get(0);
        assertEquals(BigInteger.ZERO, bare.lastSeenUnixMs());
        assertEquals(BigInteger.valueOf(Long.MAX_VALUE), bare.occurrences());
        assertEquals(List.of(), bare.artifactRefs());
        assertEquals(List.of(), bare.escalation().artifactPaths());
        assertNull(report.inputLogPath());
    }

    @Test
    void takesNumbersAsTextAndQuotedSeedsAsNumbers() throws IOException {
        ReportedIncident incident = TicketIncidents.requireComplete(ReportFile.read(report(
                "{\"incident_id\":\"x\"," + COMPLETE + ",\"packet_id\":7,\"artifact_refs\":[\"a\",1],"
                        + "\"seed\":\"7\",\"escalation\":{\"linked_bead_id\":true,\"artifact_paths\":[2]},"
                        + "\"determinism\":{\"verdict\":\" \"}}"))).incidents().get(0);
        assertEquals("7", incident.packetId());
        assertEquals(List.of("a", "1"), incident.artifactRefs());
        assertEquals("7", incident.seed());
        assertEquals("true", incident.escalation().linkedBeadId());
        assertEquals(List.of("2"), incident.escalation().artifactPaths());
        assertNull(incident.determinismVerdict());
        assertEquals(Map.of(), incident.problems());
    }

    @Test
    void namesTheIncidentAndFieldThatIsMissing() throws IOException {
        Path report = dir.resolve("r.json");
        assertEquals(report + ": incidents[0] (x): \"owner_hint\" is missing",
                refusal("{\"incident_id\":\"x\",\"class\":\"c\",\"severity\":\"high\"}"));
        assertEquals(report + ": incidents[0]: \"incident_id\" is missing", refusal("{" + COMPLETE + "}"));
        assertEquals(report + ": incidents[1] (y): \"severity\" is empty",
                refusal("{\"incident_id\":\"x\"," + COMPLETE + "}",
                        "{\"incident_id\":\"y\",\"class\":\"c\",\"severity\":\" \",\"owner_hint\":\"o\"}"));
        assertEquals(report + ": incidents[0]: \"incident_id\" must be a string",
                refusal("{\"incident_id\":{}," + COMPLETE + "}"));
    }

    @Test
    void refusesValuesOfTheWrongType() throws IOException {
        Path report = dir.resolve("r.json");
        String x = "{\"incident_id\":\"x\"," + COMPLETE + ",";
        assertEquals(report + ": incidents[0] (x): \"mode\" must be a string", refusal(x + "\"mode\":[]}"));
        assertEquals(report + ": incidents[0] (x): \"artifact_refs\" must be an array of strings",
                refusal(x + "\"artifact_refs\":\"a.json\"}"));
        assertEquals(report + ": incidents[0] (x): \"seed\" must be a whole number, got \"12a\"",
                refusal(x + "\"seed\":\"12a\"}"));
        assertEquals(report + ": incidents[0] (x): \"seed\" is outside 0..18446744073709551615: "
                + "18446744073709551616", refusal(x + "\"seed\":18446744073709551616}"));
        assertEquals(report + ": incidents[0] (x): \"last_seen_unix_ms\" is outside "
                + "0..340282366920938463463374607431768211455: 340282366920938463463374607431768211456",
                refusal(x + "\"last_seen_unix_ms\":340282366920938463463374607431768211456}"));
        assertEquals(report + ": incidents[0] (x): \"escalation\" must be an object or null",
                refusal(x + "\"escalation\":[]}"));
        // Keys inside escalation and determinism are named without the incident id.
        assertEquals(report + ": incidents[0]: \"artifact_paths\" must be an array of strings",
                refusal(x + "\"escalation\":{\"artifact_paths\":{}}}"));
        assertEquals(report + ": incidents[0]: \"verdict\" must be a string",
                refusal(x + "\"determinism\":{\"verdict\":{}}}"));
    }

    @Test
    void refusesAnIncidentListedTwice() throws IOException {
        String x = "{\"incident_id\":\"x\"," + COMPLETE + "}";
        assertEquals(dir.resolve("r.json") + ": incidents[1] repeats the incident_id of incidents[0] (x);"
                + " a report lists each incident once", refusal(x, x));
    }

    @Test
    void refusesSomethingThatIsNotATriageReport() throws IOException {
        Path report = dir.resolve("r.json");
        Files.writeString(report, "{\"schema_version\":\"other\",\"incidents\":[]}");
        UserError e = assertThrows(UserError.class, () -> ReportFile.read(report));
        assertTrue(e.getMessage().contains("expected \"ft-crash-triage-v1\""), e.getMessage());
        assertThrows(UserError.class, () -> ReportFile.read(dir.resolve("missing.json")));
    }
}
