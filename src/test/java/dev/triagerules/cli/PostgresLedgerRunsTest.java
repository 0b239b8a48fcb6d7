package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triagerules.ledger.Ledger;
import dev.triagerules.ledger.LedgerDatabases;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The main command on a real PostgreSQL ledger (embedded server, a new database per test). */
class PostgresLedgerRunsTest extends LedgerRunsTest {
    @Override
    String newLedger() {
        return LedgerDatabases.postgres();
    }

    @Test
    void eightConcurrentRunsAreCountedExactly() throws Exception {
        String ledger = newLedger();
        int runners = 8;
        for (int i = 0; i < runners; i++) {
            dev.triagerules.LogLines.write(tmp.resolve("runner-" + i + ".jsonl"), List.of(
                    fail("shared", "rank_mismatch"), fail("own-" + i, "decode_failure"), pass("own-" + i),
                    pass("common")));
        }
        ExecutorService pool = Executors.newFixedThreadPool(runners);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<CliRunner.Result>> results = new ArrayList<>();
        for (int i = 0; i < runners; i++) {
            String name = "runner-" + i;
            results.add(pool.submit(() -> {
                start.await();
                return CliRunner.run("-q", "--input", tmp.resolve(name + ".jsonl").toString(), "--output",
                        tmp.resolve(name + ".json").toString(), "--ledger", ledger);
            }));
        }
        start.countDown();
        for (Future<CliRunner.Result> result : results) {
            result.get(5, TimeUnit.MINUTES).assertOk();
        }
        pool.shutdown();

        String shared = incidentIdOf(fail("shared", "rank_mismatch"));
        List<String> sharedStatuses = new ArrayList<>();
        for (int i = 0; i < runners; i++) {
            JsonNode report = report("runner-" + i);
            assertThat(report.get("incidents")).hasSize(2);
            sharedStatuses.add(incident(report, shared).get("lifecycle").get("status").asText());
        }
        assertEightRunsCountedExactly(ledger, shared, sharedStatuses);
    }

    @Test
    void aRunnerThatMayNotWriteLeavesTheLedgerAsItWasAndNeverShowsItsPassword() throws Exception {
        String ledger = newLedger();
        triage(ledger, "run1", List.of(fail("s1", "rank_mismatch"), pass("s2"))).assertOk();
        String reader = selectOnlyRole(ledger, "reader_", "s3cret-pw");
        String before = LedgerDatabases.snapshot(ledger);

        CliRunner.Result result = triage(reader, "run2", List.of(fail("s1", "rank_mismatch"))).assertExit(4);
        assertThat(result.err()).contains("password=***: cannot record the run: ")
                .contains("permission denied").contains("(this run is not recorded; the outputs are written)")
                .doesNotContain("s3cret-pw");
        assertThat(report("run2").get("incidents")).hasSize(1);
        assertThat(report("run2").has("lifecycle_counts")).isFalse();
        assertThat(LedgerDatabases.snapshot(ledger)).isEqualTo(before);
    }

    @Test
    void aRunnerThatMayOnlyReadCanJudgeWithoutRecording() throws Exception {
        String ledger = newLedger();
        triage(ledger, "run1", List.of(fail("s1", "rank_mismatch"), pass("s2"))).assertOk();
        String reader = selectOnlyRole(ledger, "judge_", "r3ad-only");
        String before = LedgerDatabases.snapshot(ledger);

        CliRunner.Result result = triage(reader, "pr", List.of(fail("s1", "rank_mismatch"),
                fail("s2", "decode_failure")), "--no-record").assertOk();
        assertThat(ledgerLine(result)).startsWith("  ledger: 1 new, 1 recurring,");
        assertThat(statuses(report("pr"))).containsEntry(RANK, "recurring").containsEntry(DECODE, "new");
        assertThat(LedgerDatabases.snapshot(ledger)).isEqualTo(before);
    }

    @Test
    void aRunnerRoleOnAnOlderSchemaIsToldToAskTheOwnerToMigrate() throws Exception {
        String ledger = newLedger();
        LedgerDatabases.createAtVersion(ledger, 1);
        // A fleet's runner role (ledger-fleet.md): reads and writes rows, owns no table.
        String role = "runner_" + ledger.replaceAll(".*/(ledger_\\d+)\\?.*", "$1");
        try (Connection connection = LedgerDatabases.connect(ledger);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'run-s3cret'");
            statement.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + role);
        }
        String runner = ledger.replace("user=postgres", "user=" + role + "&password=run-s3cret");
        String shown = ledger.replace("user=postgres", "user=" + role + "&password=***");
        String migrationFailed = shown + ": cannot migrate the ledger's schema from version 1 to "
                + Ledger.SCHEMA_VERSION + ": migration V2"
                + " (flake history restarts) failed: ERROR: must be owner of table ledger_scenario_env";
        String askTheOwner = "  hint: role " + role + " may not change the ledger's schema (it belongs to role"
                + " postgres): ask the ledger's owner or admin to run 'triage-rules ledger migrate' with the owner's"
                + " credentials";

        CliRunner.Result run = triage(runner, "run", List.of(fail("s1", "rank_mismatch")), "-q").assertExit(4);
        assertThat(run.err()).isEqualTo(migrationFailed + " (this run is not recorded; the outputs are written)\n"
                + askTheOwner + "; the ledger is left at schema version 1 (a migration is applied whole or not at"
                + " all)\n");
        CliRunner.Result migrate = CliRunner.run("ledger", "migrate", "--ledger", runner).assertExit(1);
        assertThat(migrate.err()).isEqualTo(migrationFailed + "\n" + askTheOwner + "; the ledger is left at schema"
                + " version 1 (a migration is applied whole or not at all)\n");
        // The reading commands do not tell it to migrate either.
        CliRunner.Result runs = CliRunner.run("ledger", "runs", "--ledger", runner).assertExit(1);
        assertThat(runs.err()).isEqualTo(shown + ": the ledger's schema is version 1, older than this triage-rules"
                + " reads (" + Ledger.SCHEMA_VERSION + "); commands that only read do not change it\n" + askTheOwner
                + "\n");
        // The owner can: then the runner records.
        assertThat(CliRunner.run("ledger", "migrate", "--ledger", ledger).assertOk().out())
                .isEqualTo("ledger schema migrated from version 1 to " + Ledger.SCHEMA_VERSION + "\n");
        triage(runner, "run2", List.of(fail("s1", "rank_mismatch")), "-q").assertOk();
    }

    @Test
    void aRunnerOnADatabaseBeforeItsMigrateIsToldWhoMakesTheLedger() throws Exception {
        String ledger = newLedger(); // a database with no ledger in it yet
        String role = "early_" + ledger.replaceAll(".*/(ledger_\\d+)\\?.*", "$1");
        try (Connection connection = LedgerDatabases.connect(ledger);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'early-s3cret'");
            statement.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC"); // as ledger-fleet.md sets a schema up
        }
        String runner = ledger.replace("user=postgres", "user=" + role + "&password=early-s3cret");
        String shown = ledger.replace("user=postgres", "user=" + role + "&password=***");

        CliRunner.Result incidents = CliRunner.run("ledger", "incidents", "--ledger", runner).assertExit(1);
        assertThat(incidents.err()).isEqualTo(shown + ": not a triage-rules ledger (it has no ledger_schema_history"
                + " table)\n  hint: role " + role + " may not change the ledger's schema: ask the ledger's owner or"
                + " admin to run 'triage-rules ledger migrate' with the owner's credentials\n");
        // Before: the cause ended in the driver's "   Position: 14", an offset in SQL nobody is shown.
        String cannotCreate = shown + ": cannot create the ledger's schema (version " + Ledger.SCHEMA_VERSION
                + "): migration V1 (ledger) failed:"
                + " ERROR: permission denied for schema public";
        String askTheOwner = "\n  hint: role " + role + " may not change the ledger's schema: ask the ledger's owner"
                + " or admin to run 'triage-rules ledger migrate' with the owner's credentials; nothing of the schema"
                + " is created\n";
        CliRunner.Result migrate = CliRunner.run("ledger", "migrate", "--ledger", runner).assertExit(1);
        assertThat(migrate.err()).isEqualTo(cannotCreate + askTheOwner);
        CliRunner.Result run = triage(runner, "run", List.of(fail("s1", "rank_mismatch")), "-q").assertExit(4);
        assertThat(run.err()).isEqualTo(cannotCreate + " (this run is not recorded; the outputs are written)"
                + askTheOwner);
        CliRunner.Result owner = CliRunner.run("ledger", "incidents", "--ledger", ledger).assertExit(1);
        assertThat(owner.err()).endsWith("\n  hint: if the ledger is meant to be here, 'triage-rules ledger migrate'"
                + " (or a triage run with --ledger) creates it\n");
    }

    /** A new role of the ledger's database that may only SELECT its tables; the ledger's URL as that role. */
    private static String selectOnlyRole(String ledger, String prefix, String password) throws Exception {
        String role = prefix + ledger.replaceAll(".*/(ledger_\\d+)\\?.*", "$1");
        try (Connection connection = LedgerDatabases.connect(ledger);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
            statement.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role);
        }
        return ledger.replace("user=postgres", "user=" + role + "&password=" + password);
    }

    @Test
    void anUnreachableLedgerNeverShowsItsPassword() throws Exception {
        for (String unreachable : List.of("jdbc:postgresql://127.0.0.1:1/ci?user=triage&password=hunter2",
                "jdbc:postgresql://triage:hunter2@127.0.0.1:1/ci", "JDBC:POSTGRESQL://triage:hunter2@127.0.0.1:1/ci",
                "jdbc:postgresql://triage:hun@ter2@127.0.0.1:1/ci")) {
            Files.deleteIfExists(tmp.resolve("run.json"));
            CliRunner.Result result = triage(unreachable, "run", List.of(fail("s1", "rank_mismatch")))
                    .assertExit(4);
            assertThat(result.err()).contains(": cannot connect to the ledger: ").doesNotContain("ter2")
                    .containsAnyOf("password=***", "triage:***@127.0.0.1:1/ci");
            assertThat(report("run").get("incidents")).hasSize(1);
        }
        // The driver's own message named the host it was given: with a raw '@', a piece of the password.
        CliRunner.Result runs = CliRunner.run("ledger", "runs", "--ledger",
                "jdbc:postgresql://h2:Raw@Pw1@127.0.0.1:1/h2db").assertExit(1);
        assertThat(runs.err()).startsWith("jdbc:postgresql://h2:***@127.0.0.1:1/h2db: cannot connect to the ledger: ")
                .doesNotContain("Pw1").doesNotContain("Raw");
    }
}
