package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triagerules.LogLines;
import dev.triagerules.history.ReplayEvidence;
import dev.triagerules.ledger.Ledger;
import dev.triagerules.ledger.RunFacts;
import dev.triagerules.ledger.TriagePipeline;
import dev.triagerules.rules.Packs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code triage-rules ledger ...} on a real SQLite ledger of two recorded runs: exact output. */
class LedgerCommandTest {
    private static final long T0 = 1_771_300_000_000L;

    @TempDir
    Path tmp;

    String ledger;

    static String fail(String scenario, String reasonCode) {
        return LogLines.entry(scenario, "fail", reasonCode);
    }

    static void record(String ledger, long time, List<String> lines, RunFacts.CiFacts ci) {
        TriagePipeline.Triaged run = TriagePipeline.triage(Packs.v1(), "e2e.jsonl", lines, time);
        try (Ledger opened = Ledger.open(ledger)) {
            opened.record(RunFacts.of(run.report(), List.of(new RunFacts.InputFile("e2e.jsonl", "ab".repeat(32))),
                    run.tallies(), ReplayEvidence.NONE, ci), Packs.v1());
        }
    }

    @BeforeEach
    void twoRuns() {
        ledger = tmp.resolve("ledger.db").toString();
        record(ledger, T0, List.of(fail("s1", "rank_mismatch"), fail("s2", "decode_failure"),
                LogLines.entry("s3", "pass", "parity_ok")), RunFacts.CiFacts.NONE);
        record(ledger, T0 + 3_600_000, List.of(fail("s1", "rank_mismatch"), fail("s1", "rank_mismatch"),
                LogLines.entry("s2", "pass", "parity_ok")), new RunFacts.CiFacts("0123456789abcdef0123", "main",
                        "https://ci.example/job/7"));
    }

    static String incidentId(String scenario, String reasonCode) {
        return TriagePipeline.triage(Packs.v1(), "x", List.of(fail(scenario, reasonCode)), T0).report()
                .incidents().get(0).incidentId();
    }

    @Test
    void aShortCommitNeverEndsInHalfACharacter() {
        // Eleven chars and an emoji: twelve would end between the emoji's two halves.
        assertThat(LedgerPrinter.shortCommit("abcdefghijk\uD83D\uDE00")).isEqualTo("abcdefghijk");
        assertThat(LedgerPrinter.shortCommit("abcdefghij\uD83D\uDE00xyz")).isEqualTo("abcdefghij\uD83D\uDE00");
    }

    @Test
    void incidentsTable() {
        CliRunner.Result result = CliRunner.run("ledger", "incidents", "--ledger", ledger);
        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("""
                incident                   status     class                 severity  owner                               runs  first seen            last seen
                triage64:ef737f7a596f73e9  recurring  tensor_meta_state     high      ft-core-owners                      2     2026-02-17T03:46:40Z  2026-02-17T04:46:40Z
                triage64:04c0284c1aabb2d9  new        serialization_parser  high      ft-serialize-and-durability-owners  1     2026-02-17T03:46:40Z  2026-02-17T03:46:40Z
                """);
        assertThat(CliRunner.run("ledger", "incidents", "--ledger", ledger, "--status", "resolved").out())
                .isEqualTo("no incidents\n");
    }

    /** One long text in the ledger pads no column to it: it is shown whole, and only its own row shifts. */
    @Test
    void aCellLongerThanAColumnPadsNoOtherRow() throws Exception {
        try (java.sql.Connection connection = dev.triagerules.ledger.LedgerDatabases.connect(ledger);
                java.sql.Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE ledger_incident SET owner_hint = '" + "o".repeat(65)
                    + "' WHERE crash_class = 'tensor_meta_state'");
        }
        CliRunner.Result result = CliRunner.run("ledger", "incidents", "--ledger", ledger).assertOk();
        assertThat(result.out()).isEqualTo("incident                   status     class                 severity  owner "
                + "                              runs  first seen            last seen\n"
                + "triage64:ef737f7a596f73e9  recurring  tensor_meta_state     high      " + "o".repeat(65)
                + "  2     2026-02-17T03:46:40Z  2026-02-17T04:46:40Z\n"
                + "triage64:04c0284c1aabb2d9  new        serialization_parser  high      ft-serialize-and-durability-owners"
                + "  1     2026-02-17T03:46:40Z  2026-02-17T03:46:40Z\n");
    }

    @Test
    void incidentsFiltered() {
        String both = CliRunner.run("ledger", "incidents", "--ledger", ledger).out();
        assertThat(CliRunner.run("ledger", "incidents", "--ledger", ledger, "--status", "new,recurring").out())
                .isEqualTo(both);
        String fresh = """
                incident                   status  class                 severity  owner                               runs  first seen            last seen
                triage64:04c0284c1aabb2d9  new     serialization_parser  high      ft-serialize-and-durability-owners  1     2026-02-17T03:46:40Z  2026-02-17T03:46:40Z
                """;
        assertThat(CliRunner.run("ledger", "incidents", "--ledger", ledger, "--status", "new", "--status",
                "resolved").out()).isEqualTo(fresh);
        assertThat(CliRunner.run("ledger", "incidents", "--ledger", ledger, "--severity", "high", "--owner",
                "ft-serialize-and-durability-owners").out()).isEqualTo(fresh);
        assertThat(CliRunner.run("ledger", "incidents", "--ledger", ledger, "--open", "--class",
                "tensor_meta_state").out()).isEqualTo("""
                incident                   status     class              severity  owner           runs  first seen            last seen
                triage64:ef737f7a596f73e9  recurring  tensor_meta_state  high      ft-core-owners  2     2026-02-17T03:46:40Z  2026-02-17T04:46:40Z
                """);
        assertThat(CliRunner.run("ledger", "incidents", "--ledger", ledger, "--severity", "critical").out())
                .isEqualTo("no incidents\n");
    }

    @Test
    void openAndAClosedStatusIsBadUsage() {
        CliRunner.Result result = CliRunner.run("ledger", "incidents", "--ledger", ledger, "--open", "--status",
                "new,resolved");
        result.assertExit(2);
        assertThat(result.err()).startsWith("--open and --status resolved: a resolved incident is not open\n");
    }

    @Test
    void incidentsJson() {
        CliRunner.Result result = CliRunner.run("ledger", "incidents", "--ledger", ledger, "--status", "new", "--json");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("""
                [ {
                  "incident_id" : "triage64:04c0284c1aabb2d9",
                  "status" : "new",
                  "previous_status" : null,
                  "class" : "serialization_parser",
                  "severity" : "high",
                  "owner_hint" : "ft-serialize-and-durability-owners",
                  "packet_id" : "FT-P2C-002",
                  "suite_id" : "dispatch_key",
                  "scenario_id" : "s2",
                  "mode" : "strict",
                  "env_fingerprint" : "det64:1a5adcb7cc17c7fa",
                  "reason_code" : "decode_failure",
                  "first_seen_unix_ms" : 1771300000000,
                  "last_seen_unix_ms" : 1771300000000,
                  "status_changed_unix_ms" : 1771300000000,
                  "runs_seen" : 1,
                  "occurrences" : 1,
                  "regressions" : 0,
                  "last_verdict" : null
                } ]
                """);
    }

    @Test
    void readingALedgerThatIsNotThereCreatesNone(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path missing = dir.resolve("none.db");
        for (String query : List.of("incidents", "runs")) {
            CliRunner.Result result = CliRunner.run("ledger", query, "--ledger", missing.toString());
            result.assertExit(1);
            assertThat(result.err()).contains(missing + ": no ledger there");
        }
        assertThat(missing).doesNotExist();
    }

    @Test
    void readingADatabaseWithoutALedgerSaysHowOneIsMade(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path empty = java.nio.file.Files.createFile(dir.resolve("empty.db")); // SQLite reads it as empty
        CliRunner.Result result = CliRunner.run("ledger", "incidents", "--ledger", empty.toString());
        result.assertExit(1);
        assertThat(result.err()).isEqualTo(empty + ": not a triage-rules ledger (it has no"
                + " ledger_schema_history table)\n  hint: if the ledger is meant to be here, 'triage-rules ledger"
                + " migrate' (or a triage run with --ledger) creates it\n");
    }

    @Test
    void anOlderLedgerIsReadOnlyAfterMigrate(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        String older = dir.resolve("older.db").toString();
        dev.triagerules.ledger.LedgerDatabases.createAtVersion(older, 1);
        CliRunner.Result refused = CliRunner.run("ledger", "runs", "--ledger", older);
        refused.assertExit(1);
        assertThat(refused.err()).contains("the ledger's schema is version 1, older than this triage-rules reads")
                .contains("'triage-rules ledger migrate'");

        assertThat(CliRunner.run("ledger", "migrate", "--ledger", older).assertOk().out())
                .isEqualTo("ledger schema migrated from version 1 to " + dev.triagerules.ledger.Ledger.SCHEMA_VERSION
                        + "\n");
        assertThat(CliRunner.run("ledger", "migrate", "--ledger", older).assertOk().out())
                .isEqualTo("ledger schema at version " + dev.triagerules.ledger.Ledger.SCHEMA_VERSION
                        + ": up to date\n");
        CliRunner.run("ledger", "runs", "--ledger", older).assertOk();
        String created = dir.resolve("new.db").toString();
        assertThat(CliRunner.run("ledger", "migrate", "--ledger", created).assertOk().out())
                .isEqualTo("ledger schema created at version " + dev.triagerules.ledger.Ledger.SCHEMA_VERSION + "\n");
    }

    @Test
    void anUnknownStatusIsBadUsage() {
        CliRunner.Result result = CliRunner.run("ledger", "incidents", "--ledger", ledger, "--status", "closed");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("--status: unknown status 'closed'; one of new, recurring, regressed,"
                + " resolved");
    }

    @Test
    void showText() {
        CliRunner.Result result = CliRunner.run("ledger", "show", incidentId("s1", "rank_mismatch"), "--ledger", ledger);
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("""
                triage64:ef737f7a596f73e9  recurring since 2026-02-17T04:46:40Z (was new)
                  class tensor_meta_state, severity high, owner ft-core-owners
                  scenario FT-P2C-002 dispatch_key s1 strict, reason rank_mismatch, env det64:1a5adcb7cc17c7fa
                  seen in 2 runs, 3 failures; first 2026-02-17T03:46:40Z, last 2026-02-17T04:46:40Z
                  regressed 0 times, last verdict -

                run  recorded              commit        seen  failures  scenario pass/fail  replays  status
                1    2026-02-17T03:46:40Z  -             yes   1         0/1                 -        new: first seen in this run (failures: 1)
                2    2026-02-17T04:46:40Z  0123456789ab  yes   2         0/2                 -        recurring: seen in 2 recorded runs
                """);
    }

    @Test
    void showJson() {
        CliRunner.Result result = CliRunner.run("ledger", "show", incidentId("s2", "decode_failure"), "--ledger",
                ledger, "--json");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("""
                {
                  "incident" : {
                    "incident_id" : "triage64:04c0284c1aabb2d9",
                    "status" : "new",
                    "previous_status" : null,
                    "class" : "serialization_parser",
                    "severity" : "high",
                    "owner_hint" : "ft-serialize-and-durability-owners",
                    "packet_id" : "FT-P2C-002",
                    "suite_id" : "dispatch_key",
                    "scenario_id" : "s2",
                    "mode" : "strict",
                    "env_fingerprint" : "det64:1a5adcb7cc17c7fa",
                    "reason_code" : "decode_failure",
                    "first_seen_unix_ms" : 1771300000000,
                    "last_seen_unix_ms" : 1771300000000,
                    "status_changed_unix_ms" : 1771300000000,
                    "runs_seen" : 1,
                    "occurrences" : 1,
                    "regressions" : 0,
                    "last_verdict" : null
                  },
                  "runs" : [ {
                    "run_id" : 1,
                    "recorded_unix_ms" : 1771300000000,
                    "commit" : null,
                    "seen" : true,
                    "occurrences" : 1,
                    "scenario_passes" : 0,
                    "scenario_failures" : 1,
                    "status" : "new",
                    "previous_status" : null,
                    "rule" : "new: first sighting",
                    "reason" : "first seen in this run (failures: 1)",
                    "replay" : null
                  }, {
                    "run_id" : 2,
                    "recorded_unix_ms" : 1771303600000,
                    "commit" : "0123456789abcdef0123",
                    "seen" : false,
                    "occurrences" : 0,
                    "scenario_passes" : 1,
                    "scenario_failures" : 0,
                    "status" : null,
                    "previous_status" : null,
                    "rule" : null,
                    "reason" : null,
                    "replay" : null
                  } ]
                }
                """);
    }

    @Test
    void showAnUnknownIncident() {
        CliRunner.Result result = CliRunner.run("ledger", "show", "triage64:\u001b[2J", "--ledger", ledger);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("no incident triage64:\\u001b[2J in the ledger\n");
    }

    @Test
    void textFromLogsIsShownEscaped() {
        String scenario = "s\u001b[31mred\u202e\r";
        record(ledger, T0 + 7_200_000, List.of(fail(scenario, "rank_mismatch")), RunFacts.CiFacts.NONE);
        CliRunner.Result result = CliRunner.run("ledger", "show", incidentId(scenario, "rank_mismatch"), "--ledger",
                ledger);
        assertThat(result.out()).contains("scenario FT-P2C-002 dispatch_key s\\u001b[31mred\\u202e\\r strict,")
                .doesNotContain("\u001b").doesNotContain("\u202e").doesNotContain("\r");
    }

    @Test
    void runsTable() {
        CliRunner.Result result = CliRunner.run("ledger", "runs", "--ledger", ledger);
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("""
                run  recorded              entries  failed  incidents  new  recurring  regressed  resolved  commit        branch  inputs
                1    2026-02-17T03:46:40Z  3        2       2          2    0          0          0         -             -       e2e.jsonl
                2    2026-02-17T04:46:40Z  3        2       1          0    1          0          0         0123456789ab  main    e2e.jsonl
                """);
    }

    @Test
    void runsJson() throws Exception {
        CliRunner.Result result = CliRunner.run("ledger", "runs", "--ledger", ledger, "--json");
        assertThat(result.exitCode()).isZero();
        com.fasterxml.jackson.databind.JsonNode runs = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(result.out());
        assertThat(runs).hasSize(2);
        assertThat(runs.get(1).path("ci").path("job_url").asText()).isEqualTo("https://ci.example/job/7");
        assertThat(runs.get(1).path("entered").toString())
                .isEqualTo("{\"new\":0,\"recurring\":1,\"regressed\":0,\"resolved\":0}");
        assertThat(runs.get(0).path("inputs").get(0).path("sha256").asText()).isEqualTo("ab".repeat(32));
        assertThat(runs.get(0).path("rules_sha256").asText()).isEqualTo(Packs.v1().rulesDigest().sha256());
    }

    @Test
    void oneRunWithTheStatusChangesItMade() {
        String expected = """
                run 2  recorded 2026-02-17T04:46:40Z  commit 0123456789abcdef0123  branch main
                  job https://ci.example/job/7
                  entries 3, failed 2, incidents seen 1
                  input e2e.jsonl  sha256 %s
                  rules  sha256 %s
                  policy sha256 %s
                  recorded by triage-rules %s
                status changes: 0 new, 1 recurring, 0 regressed, 0 resolved
                incident                   status     was  class              severity  owner           scenario                           why
                %s  recurring  new  tensor_meta_state  high      ft-core-owners  FT-P2C-002 dispatch_key s1 strict  seen in 2 recorded runs
                """.formatted("ab".repeat(32), Packs.v1().rulesDigest().sha256(), Packs.v1().policyDigest().sha256(),
                dev.triagerules.base.ToolVersion.get(), incidentId("s1", "rank_mismatch"));
        assertThat(CliRunner.run("ledger", "run", "2", "--ledger", ledger).assertOk().out()).isEqualTo(expected);
        assertThat(CliRunner.run("ledger", "run", "latest", "--ledger", ledger).assertOk().out()).isEqualTo(expected);
        assertThat(CliRunner.run("ledger", "run", "1", "--ledger", ledger).assertOk().out())
                .contains("\nstatus changes: 2 new, 0 recurring, 0 regressed, 0 resolved\n")
                .contains("  commit -  branch -\n");
    }

    @Test
    void oneRunAsJson() throws Exception {
        CliRunner.Result result = CliRunner.run("ledger", "run", "2", "--json", "--ledger", ledger).assertOk();
        com.fasterxml.jackson.databind.JsonNode run = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(result.out());
        com.fasterxml.jackson.databind.JsonNode runs = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(CliRunner.run("ledger", "runs", "--json", "--ledger", ledger).assertOk().out());
        assertThat(run.get("run")).isEqualTo(runs.get(1));
        assertThat(run.get("status_changes").toString()).isEqualTo("[{\"incident_id\":\""
                + incidentId("s1", "rank_mismatch") + "\",\"status\":\"recurring\",\"previous_status\":\"new\","
                + "\"class\":\"tensor_meta_state\",\"severity\":\"high\",\"owner_hint\":\"ft-core-owners\","
                + "\"packet_id\":\"FT-P2C-002\",\"suite_id\":\"dispatch_key\",\"scenario_id\":\"s1\","
                + "\"mode\":\"strict\",\"rule\":\"recurring: seen again\",\"reason\":\"seen in 2 recorded runs\"}]");
    }

    @Test
    void theLatestRunOfALedgerWithoutRuns() {
        String empty = tmp.resolve("empty.db").toString();
        CliRunner.run("ledger", "migrate", "--ledger", empty).assertOk();
        assertThat(CliRunner.run("ledger", "run", "latest", "--ledger", empty).assertExit(1).err())
                .isEqualTo("no runs in the ledger yet\n");
    }

    @Test
    void aRunThatIsNotThereOrNoRunId() {
        assertThat(CliRunner.run("ledger", "run", "3", "--ledger", ledger).assertExit(1).err())
                .isEqualTo("no run 3 in the ledger (pruned, or not recorded yet)\n");
        assertThat(CliRunner.run("ledger", "run", "0", "--ledger", ledger).assertExit(2).err())
                .startsWith("RUN: '0' is no run id (a number from 1, or latest)\n");
        assertThat(CliRunner.run("ledger", "run", "\u001b[2J", "--ledger", ledger).assertExit(2).err())
                .startsWith("RUN: '\\u001b[2J' is no run id");
    }

    @Test
    void aRunsScenarioTextFromLogsIsShownEscaped() {
        String scenario = "s\u001b[31mred\u202e\r";
        record(ledger, T0 + 7_200_000, List.of(fail(scenario, "rank_mismatch")), RunFacts.CiFacts.NONE);
        String out = CliRunner.run("ledger", "run", "latest", "--ledger", ledger).assertOk().out();
        assertThat(out).contains("FT-P2C-002 dispatch_key s\\u001b[31mred\\u202e\\r strict")
                .doesNotContain("\u001b").doesNotContain("\u202e").doesNotContain("\r");
    }

    @Test
    void prune() {
        CliRunner.Result result = CliRunner.run("ledger", "prune", "--keep-runs", "1", "--ledger", ledger);
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("pruned 1 run; runs from 2 on are kept\n");
        assertThat(CliRunner.run("ledger", "runs", "--ledger", ledger).out().lines().count()).isEqualTo(2);
        assertThat(CliRunner.run("ledger", "prune", "--keep-runs", "0", "--ledger", ledger).exitCode()).isEqualTo(2);
        assertThat(CliRunner.run("ledger", "prune", "--keep-days", "0", "--ledger", ledger).exitCode()).isEqualTo(2);
        CliRunner.Result neither = CliRunner.run("ledger", "prune", "--ledger", ledger);
        neither.assertExit(2);
        assertThat(neither.err()).startsWith("give --keep-runs N or --keep-days D (or both)\n");
        // Runs recorded in 2026-02: older than a day, but the newest run always stays.
        assertThat(CliRunner.run("ledger", "prune", "--keep-days", "1", "--ledger", ledger).out())
                .isEqualTo("pruned 0 runs; runs from 2 on are kept\n");
        String empty = tmp.resolve("empty.db").toString();
        CliRunner.run("ledger", "migrate", "--ledger", empty).assertOk();
        assertThat(CliRunner.run("ledger", "prune", "--keep-runs", "5", "--ledger", empty).assertOk().out())
                .isEqualTo("pruned 0 runs; the ledger has no runs yet\n");
    }

    @Test
    void anUnreachableLedgerIsAnErrorWithoutThePassword() {
        CliRunner.Result result = CliRunner.run("ledger", "incidents", "--ledger",
                "jdbc:postgresql://127.0.0.1:1/ci?user=triage&password=hunter2&connectTimeout=2");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("jdbc:postgresql://127.0.0.1:1/ci?user=triage&password=***"
                + "&connectTimeout=2: cannot connect to the ledger: ").doesNotContain("hunter2");
        result = CliRunner.run("ledger", "incidents", "--ledger", "jdbc:postgresql://triage:hunter2@127.0.0.1:1/ci");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("jdbc:postgresql://triage:***@127.0.0.1:1/ci: cannot connect to the"
                + " ledger: ").doesNotContain("hunter2");
        // prune writes, so it would create a ledger that is not there, but not a folder.
        result = CliRunner.run("ledger", "prune", "--keep-runs", "5", "--ledger",
                tmp.resolve("missing/ledger.db").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("missing/ledger.db: cannot open ledger: folder ").contains(" does not exist");
    }

    /** The CLI in a JVM of its own, with TRIAGE_RULES_LEDGER set to {@code ledger} or removed (null). */
    static CliRunner.Result inProcess(String ledger, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("TRIAGE_RULES_LEDGER");
        if (ledger != null) {
            builder.environment().put("TRIAGE_RULES_LEDGER", ledger);
        }
        Process process = builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return process.getErrorStream().readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new CliRunner.Result(process.exitValue(), out, new String(err.get(), StandardCharsets.UTF_8));
    }

    @Test
    void theEnvironmentVariableNamesTheLedger() throws Exception {
        CliRunner.Result named = inProcess(ledger, "ledger", "runs");
        assertThat(named.err()).isEmpty();
        assertThat(named.exitCode()).isZero();
        assertThat(named.out()).isEqualTo(CliRunner.run("ledger", "runs", "--ledger", ledger).out());

        CliRunner.Result none = inProcess(null, "ledger", "runs");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).startsWith("no ledger: give --ledger LOC or set TRIAGE_RULES_LEDGER");
    }
}
