package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triagerules.LogLines;
import dev.triagerules.ledger.Ledger;
import dev.triagerules.ledger.LedgerDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The main command on a SQLite ledger file; and what only separate processes show:
 * processes racing on one file, the environment variable, and that a run without a ledger
 * is what it always was.
 */
class SqliteLedgerRunsTest extends LedgerRunsTest {
    @Override
    String newLedger() {
        return LedgerDatabases.sqlite(tmp);
    }

    @Test
    void eightProcessesOnOneNewFileAreCountedExactly() throws Exception {
        String ledger = tmp.resolve("shared-ledger.db").toString();
        String shared = incidentIdOf(fail("shared", "rank_mismatch"));
        int runners = 8;
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < runners; i++) {
            String name = "runner-" + i;
            LogLines.write(tmp.resolve(name + ".jsonl"), List.of(fail("shared", "rank_mismatch"),
                    fail("own-" + i, "decode_failure"), pass("own-" + i), pass("common")));
            List<String> args = new ArrayList<>(List.of("-q", "--input", tmp.resolve(name + ".jsonl").toString(),
                    "--output", tmp.resolve(name + ".json").toString()));
            // Half name the ledger, half find it in the environment, as CI jobs would.
            if (i % 2 == 0) {
                args.addAll(List.of("--ledger", ledger));
            }
            processes.add(MainProcess.start(args, i % 2 == 0 ? Map.of() : Map.of("TRIAGE_RULES_LEDGER", ledger),
                    tmp.resolve(name + ".out"), tmp.resolve(name + ".err")));
        }
        List<String> sharedStatuses = new ArrayList<>();
        for (int i = 0; i < runners; i++) {
            String name = "runner-" + i;
            MainProcess.finish(processes.get(i), tmp.resolve(name + ".out"), tmp.resolve(name + ".err")).assertOk();
            JsonNode report = report(name);
            assertThat(report.get("incidents")).hasSize(2);
            sharedStatuses.add(incident(report, shared).get("lifecycle").get("status").asText());
        }
        assertEightRunsCountedExactly(ledger, shared, sharedStatuses);
        assertThat(count(ledger, "SELECT COUNT(*) FROM ledger_schema_history WHERE success"))
                .isEqualTo(Ledger.SCHEMA_VERSION);
    }

    /** A ledger file from elsewhere (a CI cache) may define triggers: this code creates none, and writes through none. */
    @Test
    void aFileWithATriggerIsNotWritten() throws Exception {
        String ledger = ledgerChangedBy("CREATE TABLE loot (n INTEGER)", "CREATE TRIGGER \"steal\u001b]0;x\u0007\""
                + " AFTER INSERT ON ledger_run BEGIN INSERT INTO loot VALUES (1); END");
        String before = LedgerDatabases.snapshot(ledger);

        CliRunner.Result result = triage(ledger, "run2", List.of(fail("s1", "rank_mismatch"))).assertExit(4);
        assertThat(result.err()).contains(": the ledger defines a trigger triage-rules did not create"
                + " ('steal\\u001b]0;x\\u0007' on 'ledger_run'); it is not used (this run is not recorded; the"
                + " outputs are written)\n").doesNotContain("\u001b");
        assertThat(Files.exists(tmp.resolve("run2.json"))).isTrue();
        assertThat(LedgerDatabases.snapshot(ledger)).isEqualTo(before);
        assertThat(count(ledger, "SELECT COUNT(*) FROM loot")).isZero();
        assertThat(CliRunner.run("ledger", "migrate", "--ledger", ledger).assertExit(1).err())
                .contains("defines a trigger");
    }

    /** SQLite keeps a text in an integer column, which JDBC would read as 0: the row is refused, by name. */
    @Test
    void anIncidentRowOfTheWrongTypesIsRefusedByColumn() throws Exception {
        String ledger = ledgerChangedBy("UPDATE ledger_incident SET runs_seen = 'lots'");
        String id = incidentIdOf(fail("s1", "rank_mismatch"));
        String before = LedgerDatabases.snapshot(ledger);

        assertThat(triage(ledger, "run2", List.of(fail("s1", "rank_mismatch"))).assertExit(4).err())
                .contains(": incident '" + id + "' has runs_seen 'lots' (text), not an integer (this run is not"
                        + " recorded; the outputs are written)\n");
        assertThat(LedgerDatabases.snapshot(ledger)).isEqualTo(before);
        assertThat(CliRunner.run("ledger", "show", id, "--ledger", ledger).assertExit(1).err())
                .contains("has runs_seen 'lots' (text), not an integer");
    }

    /** The columns of schema version 3 are checked as the others: a text where a count belongs is refused. */
    @Test
    void theVersionThreeColumnsOfTheWrongTypesAreRefusedByColumn() throws Exception {
        String id = incidentIdOf(fail("s1", "rank_mismatch"));
        for (String column : List.of("regressions", "passing_runs_to_resolve")) {
            String ledger = ledgerChangedBy("UPDATE ledger_incident SET " + column + " = 'lots'");
            assertThat(CliRunner.run("ledger", "show", id, "--ledger", ledger).assertExit(1).err())
                    .contains("has " + column + " 'lots' (text), not an integer");
        }
        String ledger = ledgerChangedBy("UPDATE ledger_incident SET last_verdict = X'41'"); // TEXT affinity: a blob
        assertThat(CliRunner.run("ledger", "show", id, "--ledger", ledger).assertExit(1).err())
                .contains("has last_verdict 'A' (blob), not a text");
    }

    /**
     * Every table's rows are checked as they are read, as the incidents' are when the ledger opens: a text in an
     * integer column (which JDBC reads as 0), a real (read cut), a blob in a text column, a number beyond the 32
     * bits this code reads into: each refused by the ledger, table, row key and column, exit 1, by every read
     * command that reads it. Before, each of these printed a wrong number or a blob's bytes and exited 0.
     */
    @Test
    void aValueOfTheWrongTypeInAnyTableIsRefusedByTableRowAndColumn() throws Exception {
        String id = incidentIdOf(fail("s1", "rank_mismatch"));
        List<String> runs = List.of("ledger", "runs");
        List<String> runOne = List.of("ledger", "run", "1");
        List<String> latest = List.of("ledger", "run", "latest");
        List<String> show = List.of("ledger", "show", id);
        List<Corruption> corruptions = List.of(
                new Corruption("UPDATE ledger_run SET total_entries = 'abc'",
                        "ledger_run row (run_id 1) has total_entries 'abc' (text), not an integer",
                        List.of(runs, runOne, latest)),
                new Corruption("UPDATE ledger_run SET recorded_unix_ms = 1.5",
                        "ledger_run row (run_id 1) has recorded_unix_ms '1.5' (real), not an integer",
                        List.of(runs, show)),
                new Corruption("UPDATE ledger_run SET ci_commit = X'41'",
                        "ledger_run row (run_id 1) has ci_commit 'A' (blob), not a text", List.of(runOne, show)),
                new Corruption("UPDATE ledger_run SET run_id = 'one'",
                        "ledger_run row (run_id 'one') has run_id 'one' (text), not an integer", List.of(runs, latest)),
                new Corruption("UPDATE ledger_run_input SET sha256 = X'41'",
                        "ledger_run_input row (run_id 1, position 0) has sha256 'A' (blob), not a text",
                        List.of(runs, runOne)),
                new Corruption("UPDATE ledger_run_input SET infra_suspect = 'no'",
                        "ledger_run_input row (run_id 1, position 0) has infra_suspect 'no' (text), not an integer",
                        List.of(runs, runOne)),
                new Corruption("UPDATE ledger_run_class SET entered = 'abc'", "ledger_run_class row (run_id 1,"
                        + " crash_class 'tensor_meta_state', status 'new') has entered 'abc' (text), not an integer",
                        List.of(runs, runOne)),
                new Corruption("UPDATE ledger_run_class SET entered = 4294967297", "ledger_run_class row (run_id 1,"
                        + " crash_class 'tensor_meta_state', status 'new') has entered '4294967297' (integer), not a"
                        + " 32-bit integer", List.of(runs)),
                new Corruption("UPDATE ledger_sighting SET occurrences = 'abc'",
                        "ledger_sighting row (incident_no 1, run_id 1) has occurrences 'abc' (text), not an integer",
                        List.of(show)),
                new Corruption("UPDATE ledger_status_change SET reason = X'41'",
                        "ledger_status_change row (incident_no 1, run_id 1) has reason 'A' (blob), not a text",
                        List.of(show, runOne)),
                new Corruption("INSERT INTO ledger_replay VALUES (1, 1, 'two', 1, 1, 0)",
                        "ledger_replay row (incident_no 1, run_id 1) has attempts 'two' (text), not an integer",
                        List.of(show)),
                new Corruption("UPDATE ledger_scenario_run SET passes = 'abc'", "has passes 'abc' (text), not an"
                        + " integer", List.of(show)),
                new Corruption("UPDATE ledger_incident SET runs_seen = 4294967297", "incident '" + id + "' has"
                        + " runs_seen '4294967297' (integer), not a 32-bit integer",
                        List.of(List.of("ledger", "incidents"), show)));
        for (Corruption corruption : corruptions) {
            String ledger = ledgerChangedBy(corruption.sql().toArray(String[]::new));
            for (List<String> command : corruption.commands()) {
                List<String> args = new ArrayList<>(command);
                args.addAll(List.of("--ledger", ledger));
                String err = CliRunner.run(args.toArray(String[]::new)).assertExit(1).err();
                assertThat(err).as("%s after %s", command, corruption.sql())
                        .contains(ledger + ": ").contains(corruption.says() + "\n" + REFUSED_HINT);
            }
        }
        String ledger = ledgerChangedBy("UPDATE ledger_scenario_run SET passes = 'abc'");
        assertThat(CliRunner.run("ledger", "show", id, "--ledger", ledger).assertExit(1).err())
                .startsWith(ledger + ": ledger_scenario_run row (key_hash ").contains(", run_id 1, env_hash ");
    }

    /**
     * A run reads the scenario tallies, the scenarios that ever failed and the newest run's id and time: a value of
     * the wrong type there is a ledger that cannot be used (the outputs written, the ledger as it was, exit 4), not a
     * wrong lifecycle (a text passing streak compared as larger than any number restarted a scenario's history).
     */
    @Test
    void aRunRefusesAValueOfTheWrongTypeItReadsAndRecordsNothing() throws Exception {
        List<List<String>> both = List.of(List.of("--fail-on-new", "high"), List.of("--no-record"));
        List<Corruption> corruptions = List.of(
                new Corruption("UPDATE ledger_scenario_env SET passing_streak = 'abc'",
                        "has passing_streak 'abc' (text), not an integer", both),
                new Corruption("UPDATE ledger_scenario_env SET runs = 2.5", "has runs '2.5' (real), not an integer",
                        both),
                new Corruption(List.of("PRAGMA foreign_keys = OFF", "UPDATE ledger_scenario SET key_hash = 'abc'"),
                        "ledger_scenario row (key_hash 'abc') has key_hash 'abc' (text), not an integer", both),
                new Corruption("UPDATE ledger_run SET recorded_unix_ms = 'late'",
                        "ledger_run row (run_id 1) has recorded_unix_ms 'late' (text), not an integer", both),
                new Corruption("UPDATE ledger_run SET run_id = 'one'",
                        // A run judged without recording takes no run id.
                        "ledger_run row (run_id 'one') has run_id 'one' (text), not an integer",
                        List.of(both.get(0))));
        for (Corruption corruption : corruptions) {
            String ledger = ledgerChangedBy(corruption.sql().toArray(String[]::new));
            String before = LedgerDatabases.snapshot(ledger);
            for (List<String> options : corruption.commands()) {
                String mode = options.get(0);
                CliRunner.Result result = triage(ledger, "run2", List.of(fail("s1", "rank_mismatch"), pass("s2")),
                        options.toArray(String[]::new)).assertExit(4);
                assertThat(result.err()).as("%s after %s", mode, corruption.sql()).contains(ledger + ": ")
                        .contains(corruption.says() + (mode.equals("--no-record") ? " (the outputs are written)\n"
                                : " (this run is not recorded; the outputs are written)\n") + REFUSED_HINT);
                assertThat(report("run2").get("incidents").get(0).has("lifecycle")).isFalse();
                assertThat(LedgerDatabases.snapshot(ledger)).isEqualTo(before);
            }
        }
    }

    /** prune reads the newest run's id, the first run recorded in the window and the oldest kept: all checked. */
    @Test
    void pruneRefusesARunOfTheWrongTypesAndDeletesNothing() throws Exception {
        for (List<String> corruption : List.of(List.of("UPDATE ledger_run SET recorded_unix_ms = 'old'",
                "ledger_run row (run_id 1) has recorded_unix_ms 'old' (text), not an integer", "--keep-days"),
                List.of("UPDATE ledger_run SET run_id = 'one'",
                        "ledger_run row (run_id 'one') has run_id 'one' (text), not an integer", "--keep-runs"))) {
            String ledger = ledgerChangedBy(corruption.get(0));
            String before = LedgerDatabases.snapshot(ledger);
            assertThat(CliRunner.run("ledger", "prune", corruption.get(2), "1", "--ledger", ledger).assertExit(1).err())
                    .isEqualTo(ledger + ": " + corruption.get(1) + "\n" + REFUSED_HINT);
            assertThat(LedgerDatabases.snapshot(ledger)).isEqualTo(before);
        }
    }

    /**
     * The HTML page's trends read the runs' class counts, which nothing else reads. A run with --html reads them in
     * its transaction: a value of the wrong type there is a ledger that failed (outputs written, the page without
     * trends, nothing recorded), where reading them after the commit failed the run with no output at all.
     */
    @Test
    void theHtmlTrendsRefuseAValueOfTheWrongType() throws Exception {
        String ledger = ledgerChangedBy("UPDATE ledger_run_class SET open_after = 'abc'");
        String says = ledger + ": ledger_run_class row (run_id 1, crash_class 'tensor_meta_state', status 'new') has"
                + " open_after 'abc' (text), not an integer";
        assertThat(CliRunner.run("html", "--report", tmp.resolve("run1.json").toString(), "--ledger", ledger, "--out",
                tmp.resolve("page.html").toString()).assertExit(1).err()).contains(says + "\n" + REFUSED_HINT);
        assertThat(tmp.resolve("page.html")).doesNotExist();

        String before = LedgerDatabases.snapshot(ledger);
        for (String noRecord : List.of("--quiet", "--no-record")) {
            CliRunner.Result result = triage(ledger, "run2", List.of(fail("s1", "rank_mismatch")), noRecord,
                    "--html", tmp.resolve("run2.html").toString()).assertExit(4);
            assertThat(result.err()).contains(says + (noRecord.equals("--no-record") ? "" : " (this run is not"
                    + " recorded; the outputs are written)"));
            assertThat(report("run2").get("incidents").get(0).has("lifecycle")).isFalse();
            assertThat(Files.readString(tmp.resolve("run2.html"))).contains("tensor_meta_state");
            assertThat(LedgerDatabases.snapshot(ledger)).isEqualTo(before);
            Files.delete(tmp.resolve("run2.html"));
        }
    }

    @Test
    void withoutALedgerTheReportIsByteForByteWhatItWas() throws Exception {
        Path log = LogLines.write(tmp.resolve("e2e.jsonl"), List.of(fail("s1", "rank_mismatch"),
                fail("s2", "decode_failure"), pass("s3")));
        Map<String, String> epoch = Map.of("SOURCE_DATE_EPOCH", "1771300000");
        MainProcess.run(List.of("-q", "--input", log.toString(), "--output", tmp.resolve("plain.json").toString(),
                "--markdown", tmp.resolve("plain.md").toString()), epoch, tmp).assertOk();
        // A ledger that cannot be opened: the run goes on as if there were none.
        Map<String, String> unopenable = Map.of("SOURCE_DATE_EPOCH", "1771300000", "TRIAGE_RULES_LEDGER",
                tmp.resolve("no-such-folder/ledger.db").toString());
        CliRunner.Result failed = MainProcess.run(List.of("-q", "--input", log.toString(), "--output",
                tmp.resolve("failed.json").toString(), "--markdown", tmp.resolve("failed.md").toString()), unopenable,
                tmp).assertExit(4);
        assertThat(failed.err()).isEqualTo(tmp.resolve("no-such-folder/ledger.db") + ": cannot open ledger: folder "
                + tmp.resolve("no-such-folder") + " does not exist (this run is not recorded; the outputs are"
                + " written)\n");
        assertThat(Files.readAllBytes(tmp.resolve("failed.json"))).isEqualTo(Files.readAllBytes(
                tmp.resolve("plain.json")));
        assertThat(Files.readAllBytes(tmp.resolve("failed.md"))).isEqualTo(Files.readAllBytes(tmp.resolve("plain.md")));
        String plain = Files.readString(tmp.resolve("plain.json"));
        assertThat(plain).doesNotContain("\"lifecycle\"").doesNotContain("\"lifecycle_counts\"")
                .doesNotContain("\"resolved_incidents\"").doesNotContain("\"determinism\"");
        // The same run with a ledger gains the ledger's keys.
        MainProcess.run(List.of("-q", "--input", log.toString(), "--output", tmp.resolve("ledger.json").toString()),
                Map.of("SOURCE_DATE_EPOCH", "1771300000", "TRIAGE_RULES_LEDGER", tmp.resolve("l.db").toString()), tmp)
                .assertOk();
        assertThat(Files.readString(tmp.resolve("ledger.json"))).contains("\"lifecycle_counts\"");
    }

    @Test
    void explainNeverTouchesTheLedger() {
        Path log = LogLines.write(tmp.resolve("e2e.jsonl"), List.of(fail("s1", "rank_mismatch")));
        String id = incidentIdOf(fail("s1", "rank_mismatch"));
        Path ledger = tmp.resolve("explain-ledger.db");
        CliRunner.Result result = MainProcess.run(List.of("explain", "--input", log.toString(), "--incident", id),
                Map.of("TRIAGE_RULES_LEDGER", ledger.toString()), tmp).assertOk();
        assertThat(result.out()).contains(id);
        assertThat(ledger).doesNotExist();
    }

    /**
     * SQLite strips white space around a file name, the output check did not: with
     * --ledger "same.json " the run recorded into same.json, then its report overwrote it.
     */
    @Test
    void aLedgerNamedWithSpaceAroundItIsTheFileWithoutAndCollidesAsSuch() {
        LogLines.write(tmp.resolve("e2e.jsonl"), List.of(fail("s1", "rank_mismatch")));
        Path same = tmp.resolve("same.json");

        CliRunner.Result result = CliRunner.run("--input", tmp.resolve("e2e.jsonl").toString(), "--output",
                same.toString(), "--ledger", same + " \n");

        assertThat(result.assertExit(2).err()).startsWith("--output and --ledger name the same file (" + same);
        assertThat(same).doesNotExist();
    }

    /** A folder as --ledger was refused as an output ("cannot write: is a directory", exit 1, no report). */
    @Test
    void aFolderAsTheLedgerIsALedgerErrorAndTheReportIsWritten() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("a-folder"));

        CliRunner.Result result = triage(folder.toString(), "run1", List.of(fail("s1", "rank_mismatch")));

        assertThat(result.assertExit(4).err()).contains(folder + ": cannot open ledger: it is a folder, not a SQLite"
                + " file");
        assertThat(tmp.resolve("run1.json")).exists();
    }

    @Test
    void usageErrors() {
        LogLines.write(tmp.resolve("e2e.jsonl"), List.of(fail("s1", "rank_mismatch")));
        String log = tmp.resolve("e2e.jsonl").toString();
        assertThat(CliRunner.run("--input", log, "--output", tmp.resolve("r.json").toString(), "--fail-on-new",
                "high").assertExit(2).err()).startsWith("--fail-on-new needs a ledger: give --ledger LOC or set"
                        + " TRIAGE_RULES_LEDGER\n");
        assertThat(CliRunner.run("--input", log, "--output", tmp.resolve("r.json").toString(), "--ledger",
                tmp.resolve("l.db").toString(), "--fail-on-new", "severe").assertExit(2).err())
                .startsWith("--fail-on-new: unknown severity 'severe'; the policy's severities are critical, high,"
                        + " medium, low\n");
        assertThat(CliRunner.run("--input", log, "--output", tmp.resolve("r.json").toString(), "--ledger",
                "jdbc:mysql://db/ci?password=hunter2").assertExit(2).err())
                .startsWith("--ledger: jdbc:mysql://db/ci?password=***: unsupported ledger location: give a SQLite file"
                        + " path or a jdbc:postgresql: URL\n");
        // A URL that is not pgjdbc's is refused, not taken for a path (a folder "postgres:" could get a ledger).
        for (String url : List.of("postgres://h2:TypoPw3@localhost/h2db", "postgresql://h2:TypoPw3@localhost/h2db")) {
            assertThat(CliRunner.run("--input", log, "--output", tmp.resolve("r.json").toString(), "--ledger", url)
                    .assertExit(2).err()).startsWith("--ledger: " + url.replace("TypoPw3", "***") + ": a libpq URL is"
                            + " not a ledger location: write it as jdbc:postgresql://host:5432/database?user=NAME,"
                            + " the password as user:PASSWORD@host or a password parameter\n")
                    .doesNotContain("TypoPw3");
        }
        // A URL that lost its jdbc:postgresql: prefix: a usage error, its password masked (it was a path
        // whose missing folder "/h2:TypoPw8@localhost" the error named).
        assertThat(CliRunner.run("--input", log, "--output", tmp.resolve("r.json").toString(), "--ledger",
                "//h2:TypoPw8@localhost/h2db").assertExit(2).err())
                .startsWith("--ledger: //h2:***@localhost/h2db: looks like a database URL without its scheme, not a"
                        + " SQLite file path: for PostgreSQL write jdbc:postgresql://h2:***@localhost/h2db")
                .doesNotContain("TypoPw8");
        assertThat(CliRunner.run("ledger", "runs", "--ledger", "//h2:TypoPw8@localhost/h2db").assertExit(2).err())
                .contains("//h2:***@localhost/h2db: looks like a database URL without its scheme")
                .doesNotContain("TypoPw8");
        assertThat(MainProcess.run(List.of("--input", log, "--output", tmp.resolve("r.json").toString()),
                Map.of("TRIAGE_RULES_LEDGER", "postgresql://h2:TypoPw7@localhost/h2db"), tmp).assertExit(2).err())
                .startsWith("TRIAGE_RULES_LEDGER: postgresql://h2:***@localhost/h2db: a libpq URL is not a ledger"
                        + " location: ").doesNotContain("TypoPw7");
        // A ledger file is an output like the others: it may not be an input or another output.
        assertThat(CliRunner.run("--input", log, "--output", tmp.resolve("r.json").toString(), "--ledger", log)
                .assertExit(2).err()).startsWith("--input and --ledger name the same file (" + log
                        + "); an output must not be an input\n");
        assertThat(CliRunner.run("--input", log, "--output", tmp.resolve("r.json").toString(), "--ledger",
                tmp.resolve("r.json").toString()).assertExit(2).err()).startsWith("--output and --ledger name the"
                        + " same file");
        assertThat(tmp.resolve("l.db")).doesNotExist();
        assertThat(tmp.resolve("r.json")).doesNotExist();
    }
}
