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
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
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
        // The title is escaped as a whole (it mixes our brackets with the log's text): same rendering.
        assertTrue(teamA.indexOf("## 1. \\[critical\\] autograd\\_state") < teamA.indexOf("## 2. \\[medium\\]"), teamA);
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
    void aMaskedReasonCodeIsShownBesideTheRawOne() throws IOException {
        ObjectNode masked = incident(1, "critical", "team-a", 1, 1000);
        masked.put("reason_code", "took 1534 ms at 0x7f3a9c21");
        masked.put("masked_reason_code", "took <n> ms at <hex>");
        Path report = ReportFixtures.write(dir.resolve("r.json"), List.of(masked, incident(2, "high", "team-a", 1, 1000)));
        String teamA = MarkdownTickets.render(TicketIncidents.requireComplete(ReportFile.read(report))).get("team-a.md");

        assertTrue(teamA.contains("- Reason code: `took 1534 ms at 0x7f3a9c21`\n"
                + "- Masked reason code (folding and the id use it): `took <n> ms at <hex>`\n"), teamA);
        assertEquals(1, teamA.split("Masked reason code", -1).length - 1, "only the masked incident has one");
    }

    @Test
    void ownerNamesBecomeSafeDistinctFileNames() {
        java.util.Set<String> taken = new java.util.HashSet<>();
        assertEquals("a_b.md", MarkdownTickets.fileName("a/b", taken));
        assertEquals("a_b-2.md", MarkdownTickets.fileName("a b", taken));
        assertEquals("README-2.md", MarkdownTickets.fileName("README", taken));
        assertEquals("__x.md", MarkdownTickets.fileName("../x", taken));
    }

    /**
     * Before: a 300-character owner failed the whole write with "File name too long" after
     * other owners' files were written; "Team" and "team" shared one file where case is not
     * told apart (macOS, Windows); "CON" named the console on Windows.
     */
    @Test
    void hostileOwnerNamesStillGiveOneWritableFileEach() throws IOException {
        String longOwner = "o".repeat(300);
        Path report = ReportFixtures.write(dir.resolve("r.json"), List.of(
                incident(1, "critical", "Team", 1, 1000),
                incident(2, "high", "team", 1, 1000),
                incident(3, "high", longOwner, 1, 1000),
                incident(4, "high", longOwner + "x", 1, 1000),
                incident(5, "high", "CON", 1, 1000),
                incident(6, "high", "aux.txt", 1, 1000),
                incident(7, "high", "readme", 1, 1000)));
        Map<String, String> files = MarkdownTickets.render(TicketIncidents.requireComplete(ReportFile.read(report)));

        assertEquals(8, files.size(), files.keySet().toString());
        assertEquals(8, files.keySet().stream().map(name -> name.toLowerCase(java.util.Locale.ROOT)).distinct().count(),
                files.keySet().toString());
        assertTrue(files.containsKey("_CON.md") && files.containsKey("_aux.txt.md") && files.containsKey("readme-2.md"),
                files.keySet().toString());
        assertTrue(files.keySet().stream().allMatch(name -> name.length() <= MarkdownTickets.MAX_BASE + ".md".length()
                && name.matches("[A-Za-z0-9._~-]+")), files.keySet().toString());
        Path out = dir.resolve("tickets");
        MarkdownTickets.write(out, files);
        try (var listed = Files.list(out)) {
            assertEquals(8, listed.count());
        }
    }

    /**
     * Before: pasted into GitHub, a reason code's {@code @octocat} notified octocat and
     * {@code #12} referenced issue 12, whoever's report it was, and its ESC and bidi override
     * vanished without a trace. Now the owner the policy names still mentions its team; any
     * other {@code @}, an owner's from the report included, mentions nobody, and the controls
     * show as the terminal shows them.
     */
    @Test
    void logTextMentionsNobodyAndShowsItsControlsWhileThePolicysOwnersStillMention() {
        ObjectNode hostile = incident(1, "critical", "@ft-autograd-owners", 1, 1000);
        hostile.put("reason_code", "boom @octocat fixes #12\u001b[2J\u202Eexe.txt");
        hostile.put("replay_command", "cargo test\u202E # ;x");
        Path report = ReportFixtures.write(dir.resolve("r.json"),
                List.of(hostile, incident(2, "high", "@evil/team", 1, 1000)));
        Map<String, String> files = MarkdownTickets.render(TicketIncidents.requireComplete(ReportFile.read(report)),
                null, false, Set.of("@ft-autograd-owners", "crash-triage-owner"));
        String wj = "\u2060";

        String owned = files.get("_ft-autograd-owners.md");
        assertTrue(owned.startsWith("# Crash incidents for @ft-autograd-owners\n"), owned);
        assertTrue(owned.contains("\n## 1. \\[critical\\] autograd\\_state\\: boom \\@" + wj + "octocat fixes \\#" + wj
                + "12\\\\u001b\\[2J\\\\u202eexe.txt in FT-P2C-001 nn\\_state/strict\\:case\\_1 (strict)\n"), owned);
        assertTrue(owned.contains("\n- Owner: @ft-autograd-owners\n"), owned);
        assertTrue(owned.contains("\n- Reason code: `boom @octocat fixes #12\\u001b[2J\\u202eexe.txt`\n"), owned);
        assertTrue(owned.contains("\n```sh\ncargo test\\u202e # ;x\n```\n"), owned);

        String other = files.get("_evil_team.md");
        assertTrue(other.startsWith("# Crash incidents for \\@" + wj + "evil/team\n"), other);
        assertTrue(other.contains("\n- Owner: \\@" + wj + "evil/team\n"), other);
        String index = files.get("README.md");
        assertTrue(index.contains("\n| [\\@" + wj + "evil/team](_evil_team.md) | 1 | high |\n"
                + "| [@ft-autograd-owners](_ft-autograd-owners.md) | 1 | critical |\n"), index);
    }

    @Test
    void textFromTheReportCannotMakeHeadingsHtmlLinksOrTableCells() {
        ObjectNode hostile = incident(1, "critical", "evil | owner ](http://evil.example) <script>x</script>", 1, 1000);
        hostile.put("reason_code", "boom\n## injected heading\r\n<script>alert(1)</script> &lt;b&gt;");
        hostile.put("scenario_id", "s`1` [click](http://evil.example)");
        hostile.put("replay_command", "cargo test\n```\n# injected");
        Path report = ReportFixtures.write(dir.resolve("r.json"), List.of(hostile, incident(2, "high", "team-b", 1, 1000)));
        Map<String, String> files = MarkdownTickets.render(TicketIncidents.requireComplete(ReportFile.read(report)));
        Parser parser = Parser.builder().build();

        String ownerFile = files.get("evil___owner___http___evil.example___script_x__script_.md");
        List<Node> nodes = nodes(parser.parse(ownerFile));
        assertEquals(List.of(1, 2), nodes.stream().filter(n -> n instanceof Heading).map(n -> ((Heading) n).getLevel())
                .toList(), ownerFile);
        assertTrue(nodes.stream().noneMatch(n -> n instanceof HtmlInline || n instanceof HtmlBlock
                || n instanceof Link || n instanceof Image), ownerFile);
        assertTrue(ownerFile.contains("```sh\ncargo test\n```\n# injected\n````\n"), ownerFile);

        String index = files.get("README.md");
        List<Node> indexNodes = nodes(parser.parse(index));
        List<String> links = indexNodes.stream().filter(n -> n instanceof Link).map(n -> ((Link) n).getDestination())
                .toList();
        assertEquals(List.of("evil___owner___http___evil.example___script_x__script_.md", "team-b.md"), links, index);
        assertTrue(indexNodes.stream().noneMatch(n -> n instanceof HtmlInline || n instanceof HtmlBlock), index);
        index.lines().filter(line -> line.startsWith("| [")).forEach(row -> assertEquals(4,
                row.replace("\\\\", "").replace("\\|", "").chars().filter(c -> c == '|').count(), row));
    }

    private static List<Node> nodes(Node root) {
        List<Node> all = new ArrayList<>();
        root.accept(new AbstractVisitor() {
            @Override
            protected void visitChildren(Node parent) {
                for (Node child = parent.getFirstChild(); child != null; child = child.getNext()) {
                    all.add(child);
                    child.accept(this);
                }
            }
        });
        return all;
    }

    @Test
    void replayCommandsWithBackticksGetALongerFence() {
        assertEquals(List.of("````sh", "echo ```", "````"), IncidentText.fenced("echo ```"));
    }
}
