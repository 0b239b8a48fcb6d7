package dev.triagerules.cli;

import static dev.triagerules.report.ReportFixtures.incident;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triagerules.tickets.BeadsStore;
import dev.triagerules.report.ReportFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TicketsCommandTest {
    @TempDir
    Path dir;

    private Path threeIncidents() {
        return ReportFixtures.write(dir.resolve("triage.json"), List.of(
                incident(1, "critical", "team-a", 5, 1000),
                incident(2, "high", "team-b", 1, 1000),
                incident(3, "medium", "team-a", 2, 1000)));
    }

    /**
     * A report whose seed is "007": before, tickets filed it (as seed 7, though replay runs it
     * as TRIAGE_SEED=007) while the gate refused it. Now reading the report refuses it, at
     * FILE:LINE:COLUMN and with the gate's advice, and nothing is written.
     */
    @Test
    void aSeedWithALeadingZeroIsRefusedWhereItIsAndNothingIsFiled() throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode second = incident(2, "high", "team-b", 1, 1000);
        second.put("seed", "007");
        second.put("incident_id", "triage64:\u001b[31mx"); // shown escaped
        Path report = ReportFixtures.write(dir.resolve("triage.json"),
                List.of(incident(1, "critical", "team-a", 5, 1000), second));
        Path store = dir.resolve(".beads/issues.jsonl");

        CliRunner.Result beads = CliRunner.run("tickets", "--report", report.toString(), "--store", store.toString())
                .assertExit(1);
        CliRunner.Result markdown = CliRunner.run("tickets", "--report", report.toString(), "--format", "markdown",
                "--out-dir", dir.resolve("tickets").toString()).assertExit(1);

        String expected = ReportFixtures.place(report, "\"007\"") + ": incidents[1] (triage64:\\u001b[31mx): seed"
                + " \"007\" has a leading zero, which no report writer writes (a seed is a JSON number): replay would"
                + " pass it as written (TRIAGE_SEED=007), and a program may read that otherwise than 7 (a shell reads"
                + " 010 as octal 8); write the seed as 7 and replay again\n";
        assertEquals(expected, beads.err());
        assertEquals(expected, markdown.err());
        assertEquals("", beads.out() + markdown.out());
        assertFalse(Files.exists(store.getParent()));
        assertFalse(Files.exists(dir.resolve("tickets")));
    }

    @Test
    void helpWorksWithoutTheTopCommandsOptions() {
        CliRunner.Result result = CliRunner.run("tickets", "--help");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("--report=REPORT"), result.out());
    }

    @Test
    void theTopCommandStillRequiresInputAndOutput() {
        CliRunner.Result result = CliRunner.run("--input", "x.jsonl");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("Missing required option: '--output=REPORT'"), result.err());
    }

    @Test
    void dryRunPrintsThePlanAndWritesNothing() {
        Path store = dir.resolve(".beads/issues.jsonl");
        CliRunner.Result result = CliRunner.run("tickets", "--report", threeIncidents().toString(),
                "--store", store.toString(), "--max-new", "2", "--dry-run");

        assertEquals(0, result.exitCode(), result.err());
        List<String> lines = result.out().lines().toList();
        assertTrue(lines.get(0).startsWith("create ") && lines.get(0).contains(ReportFixtures.id(1)), result.out());
        assertTrue(lines.get(1).startsWith("create ") && lines.get(1).contains(ReportFixtures.id(2)), result.out());
        assertTrue(lines.get(2).startsWith("held-back ") && lines.get(2).contains(ReportFixtures.id(3)), result.out());
        assertTrue(lines.get(3).contains("2 created") && lines.get(3).contains("1 held back"), result.out());
        assertFalse(Files.exists(store.getParent()));
    }

    @Test
    void theCapComesFromPolicyAndHeldBackIncidentsAreListedOnStderr() throws IOException {
        Path policy = dir.resolve("policy");
        Files.createDirectories(policy);
        Files.writeString(policy.resolve("severities.yaml"), "severity_order: [critical, high, medium, low]\n");
        Files.writeString(policy.resolve("tickets.yaml"), "tickets:\n  max_new_per_run: 1\n");
        Path store = dir.resolve("issues.jsonl");

        CliRunner.Result result = CliRunner.run("tickets", "--report", threeIncidents().toString(),
                "--store", store.toString(), "--policy", policy.toString(), "--quiet");

        assertEquals(0, result.exitCode(), result.err());
        assertEquals(1, BeadsStore.read(store).size());
        assertTrue(result.err().contains("2 incident(s) held back by the cap of 1"), result.err());
        assertTrue(result.err().contains(ReportFixtures.id(2)) && result.err().contains(ReportFixtures.id(3)),
                result.err());

        CliRunner.Result again = CliRunner.run("tickets", "--report", threeIncidents().toString(),
                "--store", store.toString(), "--max-new", "5");
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.err().contains("2 created, 0 updated, 0 reopened, 1 unchanged"), again.err());
        assertEquals(3, BeadsStore.read(store).size());
    }

    @Test
    void aBadPolicyCapIsReportedWithItsLocation() throws IOException {
        Path policy = dir.resolve("policy");
        Files.createDirectories(policy);
        Files.writeString(policy.resolve("severities.yaml"), "severity_order: [high]\ntickets:\n  max_new: 3\n");
        CliRunner.Result result = CliRunner.run("tickets", "--report", threeIncidents().toString(),
                "--store", dir.resolve("s.jsonl").toString(), "--policy", policy.toString());
        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains("severities.yaml"), result.err());
        assertTrue(result.err().contains("max_new"), result.err());
    }

    @Test
    void markdownWritesOneFilePerOwner() {
        Path out = dir.resolve("tickets");
        CliRunner.Result result = CliRunner.run("tickets", "--report", threeIncidents().toString(),
                "--format", "markdown", "--out-dir", out.toString());
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(Files.isRegularFile(out.resolve("team-a.md")));
        assertTrue(Files.isRegularFile(out.resolve("team-b.md")));
        assertTrue(Files.isRegularFile(out.resolve("README.md")));
    }

    /** The owners' files and the index are one set: the index failing (last) left new owner files beside an old index. */
    @Test
    void markdownTicketsAreReplacedTogetherOrNotAtAll() throws IOException {
        Path out = Files.createDirectories(dir.resolve("tickets"));
        Path teamA = Files.writeString(out.resolve("team-a.md"), "old tickets of team-a\n");
        Files.createSymbolicLink(out.resolve("README.md"), Path.of("/dev/full"));
        CliRunner.Result result = CliRunner.run("tickets", "--report", threeIncidents().toString(),
                "--format", "markdown", "--out-dir", out.toString());
        result.assertExit(1);
        assertEquals(out.resolve("README.md") + ": cannot write: No space left on device\n", result.err());
        assertEquals("old tickets of team-a\n", Files.readString(teamA));
        try (var files = Files.list(out)) {
            assertEquals(List.of("README.md", "team-a.md"),
                    files.map(file -> file.getFileName().toString()).sorted().toList(), "no temp file, no team-b.md");
        }
    }

    /**
     * The owners the --policy names mention their team in Markdown tickets and bead
     * descriptions; the same {@code @} from an owner the policy does not name (the report is
     * someone else's) mentions nobody.
     */
    @Test
    void onlyTheOwnersThePolicyNamesMention() throws IOException {
        Path policy = Files.createDirectories(dir.resolve("policy"));
        Files.writeString(policy.resolve("severities.yaml"), "severity_order: [critical, high, medium, low]\n");
        Files.writeString(policy.resolve("classes.yaml"),
                "classes:\n  autograd_state:\n    severity: critical\n    owner_hint: \"@team-a\"\n");
        Path report = ReportFixtures.write(dir.resolve("triage.json"), List.of(
                incident(1, "critical", "@team-a", 5, 1000), incident(2, "high", "@team-b", 1, 1000)));
        Path out = dir.resolve("tickets");
        CliRunner.run("tickets", "--report", report.toString(), "--format", "markdown", "--out-dir", out.toString(),
                "--policy", policy.toString(), "--quiet").assertOk();

        assertTrue(Files.readString(out.resolve("_team-a.md")).contains("\n- Owner: @team-a\n"));
        assertTrue(Files.readString(out.resolve("_team-b.md")).contains("\n- Owner: \\@\u2060team-b\n"));

        Path store = dir.resolve("issues.jsonl");
        CliRunner.run("tickets", "--report", report.toString(), "--store", store.toString(),
                "--policy", policy.toString(), "--quiet").assertOk();
        List<String> descriptions = BeadsStore.read(store).stream()
                .map(line -> line.record().get("description").asText()).toList();
        assertTrue(descriptions.get(0).startsWith("Crash incident routed by triage-rules to @team-a.\n"),
                descriptions.get(0));
        assertTrue(descriptions.get(1).startsWith("Crash incident routed by triage-rules to \\@\u2060team-b.\n"),
                descriptions.get(1));
    }

    @Test
    void markdownNeedsAnOutDir() {
        CliRunner.Result result = CliRunner.run("tickets", "--report", threeIncidents().toString(),
                "--format", "markdown");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("--format markdown needs --out-dir"), result.err());
    }

    @Test
    void aMissingReportIsAUserError() {
        CliRunner.Result result = CliRunner.run("tickets", "--report", dir.resolve("nope.json").toString(),
                "--store", dir.resolve("s.jsonl").toString(), "--max-new", "1");
        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains("nope.json: report not found"), result.err());
    }

    /** Two processes, each filing its own incidents one report at a time into one store. */
    @Test
    void concurrentProcessesDoNotLoseEachOthersTickets() throws Exception {
        Path store = dir.resolve(".beads/issues.jsonl");
        int perProcess = 8;
        List<Process> processes = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), TicketsLoop.class.getName(), store.toString()));
            for (int i = 0; i < perProcess; i++) {
                int n = 100 * (p + 1) + i;
                expected.add(ReportFixtures.id(n));
                command.add(ReportFixtures.write(dir.resolve("r" + n + ".json"),
                        List.of(incident(n, "high", "team-" + p, 1, 1000))).toString());
            }
            processes.add(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("process-" + p + ".log").toFile()).start());
        }
        for (int p = 0; p < processes.size(); p++) {
            assertTrue(processes.get(p).waitFor(120, TimeUnit.SECONDS), "process " + p + " finished");
            assertEquals(0, processes.get(p).exitValue(),
                    Files.readString(dir.resolve("process-" + p + ".log")));
        }
        List<String> refs = BeadsStore.read(store).stream()
                .map(BeadsStore.Line::externalRef).sorted().toList();
        assertEquals(expected.stream().sorted().toList(), refs);
    }

    /** The child process of the test above: runs the CLI once per report given. */
    public static final class TicketsLoop {
        public static void main(String[] args) {
            for (int i = 1; i < args.length; i++) {
                int exit = Main.commandLine().execute("tickets", "--quiet", "--report", args[i],
                        "--store", args[0], "--max-new", "100");
                if (exit != 0) {
                    System.exit(exit);
                }
            }
            System.exit(0);
        }
    }
}
