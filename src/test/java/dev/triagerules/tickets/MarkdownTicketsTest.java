package dev.triagerules.tickets;

import static dev.triagerules.report.ReportFixtures.incident;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triagerules.report.ReportFile;
import dev.triagerules.report.ReportFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarkdownTicketsTest {
    @TempDir
    Path dir;

    @Test
    void oneFilePerOwnerMostSevereFirstWithTheReplayCommandFenced() throws IOException {
        Path report = ReportFixtures.write(dir.resolve("r.json"), List.of(
                incident(1, "critical", "team-a", 5, 1000),
                incident(2, "high", "team-b", 1, 1000),
                incident(3, "medium", "team-a", 2, 1000)));
        Map<String, String> files = MarkdownTickets.render(TicketIncidents.requireComplete(ReportFile.read(report)));

        assertEquals(List.of("team-a.md", "team-b.md", "README.md"), List.copyOf(files.keySet()));
        String teamA = files.get("team-a.md");
        assertTrue(teamA.startsWith("# Crash incidents for team-a\n"), teamA);
        assertTrue(teamA.indexOf("## 1. [critical]") < teamA.indexOf("## 2. [medium]"), teamA);
        assertTrue(teamA.contains("```sh\ncargo test -p ft-conformance case_1 -- --nocapture\n```\n"), teamA);
        assertTrue(teamA.contains("- Seed: `" + ReportFixtures.BIG_SEED + "`"), teamA);
        assertTrue(teamA.contains("- Linked bead: bd-3v0.7"), teamA);
        assertTrue(files.get("README.md").contains("| [team-b](team-b.md) | 1 | high |"));

        Path out = dir.resolve("tickets");
        MarkdownTickets.write(out, files);
        byte[] first = Files.readAllBytes(out.resolve("team-a.md"));
        MarkdownTickets.write(out, MarkdownTickets.render(TicketIncidents.requireComplete(ReportFile.read(report))));
        assertArrayEquals(first, Files.readAllBytes(out.resolve("team-a.md")), "deterministic bytes");
    }

    @Test
    void ownerNamesBecomeSafeDistinctFileNames() {
        Map<String, String> taken = new java.util.HashMap<>();
        assertEquals("a_b.md", MarkdownTickets.fileName("a/b", taken));
        taken.put("a_b.md", "");
        assertEquals("a_b-2.md", MarkdownTickets.fileName("a b", taken));
        assertEquals("README-2.md", MarkdownTickets.fileName("README", taken));
        assertEquals("__x.md", MarkdownTickets.fileName("../x", taken));
    }

    @Test
    void replayCommandsWithBackticksGetALongerFence() {
        assertEquals(List.of("````sh", "echo ```", "````"), IncidentText.fenced("echo ```"));
    }
}
