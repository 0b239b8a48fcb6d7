package dev.triagerules.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triagerules.conformance.GoldenSet;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class IncidentIdTest {

    @Test
    void matchesUpstreamIdsForKnownIncidents() {
        // From the upstream report of the edge cases (non-ASCII scenario, escapes, empty reason).
        assertEquals("triage64:87d75936663e4b2a", IncidentId.of("FT-P2C-002", "dispatch_key",
                "dispatch_key/strict:edge", "strict", "Dispatch_Keyset_Mismatch", "dispatch_routing"));
        assertEquals("triage64:194db5f43e8c3a8e", IncidentId.of("FT-P2C-002", "dispatch_key", "s14/日本",
                "strict", "line\nbreak\ttab \"quoted\" \\ back", "unclassified"));
        assertEquals("triage64:cce8bfd9d2348c97", IncidentId.of("FT-P2C-002", "dispatch_key",
                "dispatch_key/strict:empty_reason", "strict", "", "unclassified"));
    }

    @Test
    void maskedIdsHaveTheirOwnPrefixSoTheyNeverEqualAnUpstreamId() {
        String upstream = IncidentId.of("p", "s", "x", "m", "boom <n>", "c");
        String masked = IncidentId.masked("p", "s", "x", "m", "boom <n>", "c");
        assertEquals("triage64m:" + upstream.substring("triage64:".length()), masked);
        assertNotEquals(upstream, masked);
    }

    @Test
    void partBoundariesMatter() {
        assertNotEquals(IncidentId.of("ab", "c", "", "", "", ""), IncidentId.of("a", "bc", "", "", "", ""));
    }

    @Test
    void reproducesEveryGoldenIncidentId() throws IOException {
        ObjectMapper json = new ObjectMapper();
        int checked = 0;
        for (String pack : GoldenSet.PACKS) {
            for (Path report : GoldenSet.expectedReports(pack)) {
                for (JsonNode incident : json.readTree(report.toFile()).get("incidents")) {
                    assertEquals(incident.get("incident_id").asText(), IncidentId.of(
                            incident.get("packet_id").asText(), incident.get("suite_id").asText(),
                            incident.get("scenario_id").asText(), incident.get("mode").asText(),
                            incident.get("reason_code").asText(), incident.get("class").asText()), report + " "
                            + incident.get("incident_id"));
                    checked++;
                }
            }
        }
        assertNotEquals(0, checked, "the golden reports hold incidents");
    }
}
