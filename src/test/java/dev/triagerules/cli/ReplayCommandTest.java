package dev.triagerules.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triagerules.report.ReportFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ReplayCommandTest {
    @TempDir
    Path dir;
    Path work;
    Path report;

    @BeforeEach
    void report() throws Exception {
        work = Files.createDirectories(dir.resolve("work"));
        ObjectNode r = ReportFixtures.report();
        ReportFixtures.incident(r, "triage64:c1", "critical", "echo crash $TRIAGE_SEED; exit 101");
        ReportFixtures.incident(r, "triage64:c2", "critical", "sleep 30");
        ReportFixtures.incident(r, "triage64:m1", "medium", "true");
        report = ReportFixtures.write(r, dir.resolve("triage.json"));
    }

    private String[] args(String... extra) {
        String[] common = {"replay", "--report", report.toString(), "--workdir", work.toString(),
            "--transcripts", dir.resolve("t").toString(), "--grace", "200ms"};
        String[] all = new String[common.length + extra.length];
        System.arraycopy(common, 0, all, 0, common.length);
        System.arraycopy(extra, 0, all, common.length, extra.length);
        return all;
    }

    @Test
    void helpWorksDespiteTheTopCommandsOptions() {
        CliRunner.Result result = CliRunner.run("replay", "--help");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("--transcripts"));
        assertTrue(result.out().contains("TRIAGE_SEED"));
    }

    @Test
    void replaysTheCriticalIncidentsAndWritesTheSummary() throws Exception {
        CliRunner.Result result = CliRunner.run(args("--severity", "critical", "--attempts", "2", "--timeout", "1s"));

        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.err().contains("triage64:c1  reproduced"), result.err());
        assertTrue(result.err().contains("triage64:c2  hung"), result.err());
        assertTrue(result.err().contains("1 reproduced, 0 not_reproduced, 0 flaky, 1 hung"), result.err());
        JsonNode summary = ReportFixtures.JSON.readTree(dir.resolve("t/replay-summary.json").toFile());
        assertTrue(summary.get("complete").asBoolean());
        assertEquals(2, summary.get("incidents").size(), "the medium incident was not selected");
        assertEquals("triage64:c1", summary.get("incidents").get(0).get("incident_id").asText());
        assertEquals(2, summary.get("incidents").get(0).get("attempts").size());
        assertEquals(101, summary.get("incidents").get(0).get("attempts").get(0).get("exit_code").asInt());
        assertEquals(1, summary.get("incidents").get(1).get("attempts").size(), "hung: not retried");
        JsonNode transcript = ReportFixtures.JSON.readTree(dir.resolve("t/triage64_c1/attempt-1.json").toFile());
        assertEquals("crash " + ReportFixtures.BIG_SEED + "\n", transcript.get("output").asText());
    }

    @Test
    void selectsByIncidentAndWritesTheSummaryWhereAsked() throws Exception {
        Path summary = dir.resolve("elsewhere/summary.json");
        CliRunner.Result result = CliRunner.run(args("--incident", "triage64:m1", "--incident", "triage64:c1",
                "--attempts", "1", "--summary", summary.toString(), "-q"));
        assertEquals(0, result.exitCode(), result.err());
        JsonNode written = ReportFixtures.JSON.readTree(summary.toFile());
        assertEquals("triage64:c1", written.get("incidents").get(0).get("incident_id").asText(), "report order");
        assertEquals("not_reproduced", written.get("incidents").get(1).get("verdict").asText());
        assertFalse(result.err().contains("[1/2]"), "quiet");
    }

    @Test
    void policyGivesAttemptsAndPerClassTimeouts() throws Exception {
        Path policy = Files.createDirectories(dir.resolve("policy"));
        for (String file : new String[] {"classes.yaml", "severities.yaml"}) {
            Files.copy(Path.of("policy", file), policy.resolve(file));
        }
        Files.writeString(policy.resolve("replay.yaml"),
                "replay: {default_timeout: 10m, class_timeouts: {oracle_infra: 300ms}, attempts: 1}\n");
        ObjectNode r = ReportFixtures.report();
        ReportFixtures.incident(r, "i:slow-infra", "medium", "sleep 5"); // class oracle_infra
        ReportFixtures.incident(r, "i:quick", "critical", "exit 1");
        ReportFixtures.write(r, report);

        CliRunner.Result result = CliRunner.run(args("--policy", policy.toString()));

        assertEquals(0, result.exitCode(), result.err());
        JsonNode summary = ReportFixtures.JSON.readTree(dir.resolve("t/replay-summary.json").toFile());
        assertEquals("hung", summary.get("incidents").get(0).get("verdict").asText());
        assertEquals(1, summary.get("incidents").get(1).get("attempts").size());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, CliRunner.run(args("--timeout", "soon")).exitCode());
        assertEquals(2, CliRunner.run(args("--severity", "critical", "--class", "x")).exitCode());
        assertEquals(2, CliRunner.run(args("--attempts", "0")).exitCode());
        assertEquals(2, CliRunner.run("replay").exitCode());
    }

    @Test
    void badInputExitsOne() throws Exception {
        CliRunner.Result unknown = CliRunner.run(args("--incident", "triage64:nope"));
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.err().contains("no incident triage64:nope"), unknown.err());
        Files.writeString(report, "not json");
        CliRunner.Result garbage = CliRunner.run(args());
        assertEquals(1, garbage.exitCode());
        assertTrue(garbage.err().contains("not a JSON report"), garbage.err());
    }
}
