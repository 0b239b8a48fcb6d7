package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triagerules.LogLines;
import dev.triagerules.ledger.Ledger;
import dev.triagerules.history.ReplayEvidence;
import dev.triagerules.ledger.LedgerDatabases;
import dev.triagerules.ledger.RunFacts;
import dev.triagerules.ledger.TriagePipeline;
import dev.triagerules.rules.Packs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main command recording into a real ledger, end to end: the issue's walk-through
 * (new, recurring, resolved, regressed) with the report, the Markdown and stderr summaries
 * and {@code --fail-on-new}, and a ledger that fails: the outputs are written, the exit
 * status is 4, the ledger is as it was. Each subclass runs it on one database.
 */
abstract class LedgerRunsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** tensor_meta_state, high, in the bundled pack. */
    static final String RANK = "triage64:ef737f7a596f73e9";
    /** serialization_parser, high. */
    static final String DECODE = "triage64:04c0284c1aabb2d9";

    @TempDir
    Path tmp;

    /** A new, empty ledger location. */
    abstract String newLedger();

    static String fail(String scenario, String reasonCode) {
        return LogLines.entry(scenario, "fail", reasonCode);
    }

    static String pass(String scenario) {
        return LogLines.entry(scenario, "pass", "parity_ok");
    }

    /** Triages {@code lines}, written to {@code <name>.jsonl}, into {@code <name>.json} and {@code <name>.md}. */
    CliRunner.Result triage(String ledger, String name, List<String> lines, String... extra) {
        LogLines.write(tmp.resolve(name + ".jsonl"), lines);
        List<String> args = new ArrayList<>(List.of("--input", tmp.resolve(name + ".jsonl").toString(), "--output",
                tmp.resolve(name + ".json").toString(), "--markdown", tmp.resolve(name + ".md").toString()));
        if (ledger != null) {
            args.addAll(List.of("--ledger", ledger));
        }
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    JsonNode report(String name) {
        try {
            return JSON.readTree(tmp.resolve(name + ".json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String markdown(String name) {
        try {
            return Files.readString(tmp.resolve(name + ".md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Incident id to its lifecycle status in a report. */
    static Map<String, String> statuses(JsonNode report) {
        Map<String, String> statuses = new TreeMap<>();
        report.get("incidents").forEach(incident -> statuses.put(incident.get("incident_id").asText(),
                incident.get("lifecycle").get("status").asText()));
        return statuses;
    }

    /** The id of the incident one failing line makes, from a run without a ledger. */
    /** A ledger of one recorded run (s1 failing), then changed by SQL, as by hand or by another program. */
    String ledgerChangedBy(String... statements) throws SQLException {
        String ledger = newLedger();
        triage(ledger, "run1", List.of(fail("s1", "rank_mismatch"))).assertOk();
        try (Connection connection = LedgerDatabases.connect(ledger);
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.executeUpdate(sql);
            }
        }
        return ledger;
    }

    String incidentIdOf(String line) {
        triage(null, "probe", List.of(line)).assertOk();
        return report("probe").get("incidents").get(0).get("incident_id").asText();
    }

    static JsonNode incident(JsonNode report, String id) {
        for (JsonNode incident : report.get("incidents")) {
            if (incident.get("incident_id").asText().equals(id)) {
                return incident;
            }
        }
        throw new AssertionError(id + " is not in the report");
    }

    static String ledgerLine(CliRunner.Result result) {
        return result.err().lines().filter(line -> line.startsWith("  ledger: ")).findFirst().orElse("(none)");
    }

    /** `ledger runs` counts each run's statuses as the run's own summary did: recurring is every incident seen again. */
    @Test
    void theRunsTableCountsStatusesAsEachRunsSummaryDid() {
        String ledger = newLedger();
        List<String> summaries = new ArrayList<>();
        for (int run = 1; run <= 3; run++) {
            String err = triage(ledger, "run" + run, List.of(fail("s1", "rank_mismatch"), fail("s2", "decode_failure")))
                    .assertOk().err();
            summaries.add(err.lines().filter(line -> line.startsWith("  ledger: ")).findFirst().orElseThrow());
        }
        assertThat(summaries).containsExactly("  ledger: 2 new, 0 recurring, 0 regressed, 0 resolved",
                "  ledger: 0 new, 2 recurring, 0 regressed, 0 resolved",
                "  ledger: 0 new, 2 recurring, 0 regressed, 0 resolved");

        List<String> rows = CliRunner.run("ledger", "runs", "--ledger", ledger).assertOk().out().lines().toList();

        assertThat(rows.get(0)).contains("incidents  new  recurring  regressed  resolved");
        for (int run = 1; run <= 3; run++) {
            assertThat(rows.get(run).split(" +")).as("run " + run).containsSequence("2", run == 1 ? "2" : "0",
                    run == 1 ? "0" : "2", "0", "0");
        }
    }

    @Test
    void walkThroughNewRecurringResolvedRegressed() throws Exception {
        String ledger = newLedger();

        CliRunner.Result run1 = triage(ledger, "run1", List.of(fail("s1", "rank_mismatch"),
                fail("s2", "decode_failure"), pass("s3"))).assertOk();
        assertThat(ledgerLine(run1)).isEqualTo("  ledger: 2 new, 0 recurring, 0 regressed, 0 resolved");
        assertThat(markdown("run1")).contains("\nLedger: 2 new, 0 recurring, 0 regressed, 0 resolved.\n");
        JsonNode report1 = report("run1");
        assertThat(statuses(report1)).isEqualTo(Map.of(RANK, "new", DECODE, "new"));
        JsonNode lifecycle = incident(report1, RANK).get("lifecycle");
        assertThat(lifecycle.get("opened_in_run").asBoolean()).isTrue();
        assertThat(lifecycle.get("runs_seen").asInt()).isEqualTo(1);
        assertThat(lifecycle.get("previous_status").isNull()).isTrue();
        assertThat(report1.get("resolved_incidents")).isEmpty();

        // The same failures again: nothing new, so --fail-on-new does not trip.
        CliRunner.Result run2 = triage(ledger, "run2", List.of(fail("s1", "rank_mismatch"),
                fail("s2", "decode_failure")), "--fail-on-new", "high").assertOk();
        assertThat(ledgerLine(run2)).isEqualTo("  ledger: 0 new, 2 recurring, 0 regressed, 0 resolved");
        assertThat(statuses(report("run2"))).isEqualTo(Map.of(RANK, "recurring", DECODE, "recurring"));
        assertThat(incident(report("run2"), RANK).get("lifecycle").get("runs_seen").asInt()).isEqualTo(2);

        // s1 passes in three runs: its incident is resolved by the third, and listed there.
        for (int run = 3; run <= 5; run++) {
            CliRunner.Result result = triage(ledger, "run" + run, List.of(pass("s1"), fail("s2", "decode_failure")))
                    .assertOk();
            JsonNode report = report("run" + run);
            assertThat(statuses(report)).isEqualTo(Map.of(DECODE, "recurring"));
            if (run < 5) {
                assertThat(report.get("resolved_incidents")).isEmpty();
                assertThat(ledgerLine(result)).isEqualTo("  ledger: 0 new, 1 recurring, 0 regressed, 0 resolved");
            } else {
                assertThat(report.get("resolved_incidents")).containsExactly(JSON.valueToTree(RANK));
                assertThat(report.get("lifecycle_counts").get("resolved").asInt()).isEqualTo(1);
                assertThat(ledgerLine(result)).isEqualTo("  ledger: 0 new, 1 recurring, 0 regressed, 1 resolved");
                assertThat(markdown("run5")).contains("\nLedger: 0 new, 1 recurring, 0 regressed, 1 resolved.\n");
            }
        }

        // It fails again: regressed, which --fail-on-new counts as opened in this run.
        CliRunner.Result run6 = triage(ledger, "run6", List.of(fail("s1", "rank_mismatch"),
                fail("s2", "decode_failure")), "--fail-on-new", "high").assertExit(3);
        assertThat(ledgerLine(run6)).isEqualTo("  ledger: 0 new, 1 recurring, 1 regressed, 0 resolved");
        assertThat(markdown("run6")).contains("\nLedger: 0 new, 1 recurring, 1 regressed, 0 resolved.\n");
        assertThat(run6.err()).contains("triage-rules: --fail-on-new high: 1 incident at or above high opened in"
                + " this run\n  " + RANK + " high tensor_meta_state rank_mismatch\n");
        JsonNode report6 = report("run6");
        assertThat(statuses(report6)).isEqualTo(Map.of(RANK, "regressed", DECODE, "recurring"));
        JsonNode regressed = incident(report6, RANK).get("lifecycle");
        assertThat(regressed.get("previous_status").asText()).isEqualTo("resolved");
        assertThat(regressed.get("opened_in_run").asBoolean()).isTrue();
        assertThat(regressed.get("runs_seen").asInt()).isEqualTo(3);

        // The ledger commands see the same history.
        JsonNode incidents = JSON.readTree(CliRunner.run("ledger", "incidents", "--json", "--ledger", ledger)
                .assertOk().out());
        assertThat(incidents).hasSize(2);
        JsonNode runs = JSON.readTree(CliRunner.run("ledger", "runs", "--json", "--ledger", ledger).assertOk().out());
        assertThat(runs).hasSize(6);
        JsonNode input = runs.get(0).get("inputs").get(0);
        assertThat(input.get("path").asText()).isEqualTo(tmp.resolve("run1.jsonl").toString());
        assertThat(input.get("sha256").asText()).isEqualTo(sha256(tmp.resolve("run1.jsonl")));
    }

    @Test
    void aLedgerThatCannotBeOpenedLeavesItAsItWasAndTheOutputsWritten() throws Exception {
        String ledger = ledgerChangedBy("UPDATE ledger_schema_history SET version = '99' WHERE version = '1'");
        String before = LedgerDatabases.snapshot(ledger);

        CliRunner.Result result = triage(ledger, "run2", List.of(fail("s1", "rank_mismatch")), "--fail-on", "high",
                "--fail-on-new", "high").assertExit(4);
        assertThat(result.err()).contains(": the ledger's schema is version 99, newer than this triage-rules knows"
                + " (" + Ledger.SCHEMA_VERSION + "): use a newer triage-rules (this run is not recorded; the outputs"
                + " are written)\n"
                + "triage-rules: --fail-on-new high: not checked without the ledger\n");
        assertThat(result.err()).as("--fail-on is still checked and said").contains("--fail-on high: 1 incident");
        JsonNode report = report("run2");
        assertThat(report.get("incidents").get(0).has("lifecycle")).isFalse();
        assertThat(report.has("lifecycle_counts")).isFalse();
        assertThat(markdown("run2")).doesNotContain("Ledger:");
        assertThat(LedgerDatabases.snapshot(ledger)).isEqualTo(before);
    }

    @Test
    void aLedgerHoldingAStatusNoRuleSetsIsRefusedAsItIs() throws Exception {
        String ledger = ledgerChangedBy("UPDATE ledger_incident SET status = 'zom\u001b[2Jbie'");
        String id = incidentIdOf(fail("s1", "rank_mismatch"));
        String before = LedgerDatabases.snapshot(ledger);

        CliRunner.Result result = triage(ledger, "run2", List.of(fail("s1", "rank_mismatch"))).assertExit(4);
        assertThat(result.err()).contains(": incident '" + id + "' has status 'zom\\u001b[2Jbie', not one of new,"
                + " recurring, regressed, resolved (this run is not recorded; the outputs are written)\n"
                + "  hint: a ledger written by something else, or changed by hand: restore it from a backup or start"
                + " a new one\n").doesNotContain("\u001b");
        assertThat(report("run2").get("incidents").get(0).has("lifecycle")).isFalse();
        assertThat(LedgerDatabases.snapshot(ledger)).isEqualTo(before);
        assertThat(CliRunner.run("ledger", "incidents", "--ledger", ledger).assertExit(1).err())
                .contains("has status 'zom\\u001b[2Jbie'");
    }

    static final String REFUSED_HINT = "  hint: a ledger written by something else, or changed by hand:"
            + " restore it from a backup or start a new one\n";

    /**
     * A way to corrupt the ledger of one recorded run (s1 failing), what the error says, and who reads it: the
     * commands (or the main command's options) that refuse it.
     */
    record Corruption(List<String> sql, String says, List<List<String>> commands) {
        Corruption(String sql, String says, List<List<String>> commands) {
            this(List.of(sql), says, commands);
        }
    }

    static final String NOT_A_STATUS = " (text), not one of new, recurring, regressed, resolved";

    /**
     * The location to read {@code ledger} by and how messages show it: on PostgreSQL with a password, which every
     * message must mask (the test server trusts local connections, so any password connects).
     */
    static String[] withPassword(String ledger) {
        return ledger.startsWith("jdbc:postgresql:") ? new String[] {ledger + "&password=s3cret-pw",
            ledger + "&password=***"} : new String[] {ledger, ledger};
    }

    /**
     * The statuses of the status changes and of the runs' class counts are checked as the incidents' are: before,
     * `ledger show` and `ledger run` printed a status no rule sets as written (its escape sequences escaped, but
     * shown as a lifecycle status), and `ledger runs` and the trends left its counts out without a word. On both
     * databases: PostgreSQL keeps any text in a TEXT column too.
     */
    @Test
    void aStatusNoRuleSetsInTheStatusChangesOrClassCountsIsRefusedByTableRowAndColumn() throws Exception {
        String id = incidentIdOf(fail("s1", "rank_mismatch"));
        List<String> show = List.of("ledger", "show", id);
        List<String> runOne = List.of("ledger", "run", "1");
        List<String> runs = List.of("ledger", "runs");
        List<String> html = List.of("html", "--report", tmp.resolve("run1.json").toString(), "--out",
                tmp.resolve("page.html").toString());
        String classRow = "ledger_run_class row (run_id 1, crash_class 'tensor_meta_state', status 'zom\\u001b[2Jbie')";
        List<Corruption> corruptions = List.of(
                new Corruption("UPDATE ledger_status_change SET status = 'zom\u001b[2Jbie'", "ledger_status_change"
                        + " row (incident_no 1, run_id 1) has status 'zom\\u001b[2Jbie'" + NOT_A_STATUS,
                        List.of(show, runOne)),
                new Corruption("UPDATE ledger_status_change SET previous_status = 'gone\u202e'", "ledger_status_change"
                        + " row (incident_no 1, run_id 1) has previous_status 'gone\\u202e'" + NOT_A_STATUS,
                        List.of(show, runOne)),
                new Corruption("UPDATE ledger_run_class SET status = 'zom\u001b[2Jbie'", classRow + " has status"
                        + " 'zom\\u001b[2Jbie'" + NOT_A_STATUS, List.of(runs, runOne, html)));
        for (Corruption corruption : corruptions) {
            String[] ledger = withPassword(ledgerChangedBy(corruption.sql().toArray(String[]::new)));
            for (List<String> command : corruption.commands()) {
                List<String> args = new ArrayList<>(command);
                args.addAll(List.of("--ledger", ledger[0]));
                String err = CliRunner.run(args.toArray(String[]::new)).assertExit(1).err();
                assertThat(err).as("%s after %s", command, corruption.sql())
                        .isEqualTo(ledger[1] + ": " + corruption.says() + "\n" + REFUSED_HINT)
                        .doesNotContain("s3cret-pw");
            }
            assertThat(tmp.resolve("page.html")).doesNotExist();
        }
    }

    /** Two rows of run 1's class counts whose open_after add up beyond 32 bits (one next to the maximum). */
    static final String OPEN_BEYOND_32_BITS = "INSERT INTO ledger_run_class (run_id, crash_class, status, entered,"
            + " open_after) VALUES (1, 'tensor_meta_state', 'recurring', 0, 2147483647)";
    static final String OPEN_OVERFLOWS = "ledger_run_class row \\(run_id 1, crash_class 'tensor_meta_state', status"
            + " '(new|recurring)'\\) has open_after '(1|2147483647)' \\(integer\\), which plus (2147483647|1) \\(the"
            + " class's other statuses\\) is beyond a 32-bit integer";

    /**
     * What the read commands add up in Java (over environments, classes, statuses) is added exactly: a sum beyond
     * the 64 or 32 bits it is kept in is refused by the row that takes it there, where before `ledger show` printed
     * a negative failure count, `ledger runs` a negative count of new incidents and the trends a negative open
     * count. On both databases: each value alone is of its column's type.
     */
    @Test
    void countsThatAddUpBeyondTheirBitsAreRefusedByTableRowAndColumn() throws Exception {
        String id = incidentIdOf(fail("s1", "rank_mismatch"));
        Map<String, List<String>> corruptions = Map.of(
                "INSERT INTO ledger_scenario_run (key_hash, run_id, env_hash, passes, failures) SELECT key_hash,"
                        + " run_id, env_hash + 1, 0, 9223372036854775807 FROM ledger_scenario_run",
                List.of("ledger_scenario_run row \\(key_hash -?\\d+, run_id 1, env_hash -?\\d+\\) has failures"
                        + " '(1|9223372036854775807)' \\(integer\\), which plus (9223372036854775807|1) \\(the run's"
                        + " other environments\\) is beyond a 64-bit integer\n", "ledger", "show", id),
                "INSERT INTO ledger_run_class (run_id, crash_class, status, entered, open_after) VALUES (1,"
                        + " 'zz_other', 'new', 2147483647, 0)",
                List.of("ledger_run_class row \\(run_id 1, crash_class '(tensor_meta_state|zz_other)', status"
                        + " 'new'\\) has entered '(1|2147483647)' \\(integer\\), which plus (2147483647|1) \\(the"
                        + " run's other classes\\) is beyond a 32-bit integer\n", "ledger", "runs"),
                OPEN_BEYOND_32_BITS, List.of(OPEN_OVERFLOWS + "\n", "html", "--report",
                        tmp.resolve("run1.json").toString(), "--out", tmp.resolve("page.html").toString()));
        for (Map.Entry<String, List<String>> corruption : corruptions.entrySet()) {
            String[] ledger = withPassword(ledgerChangedBy(corruption.getKey()));
            List<String> args = new ArrayList<>(corruption.getValue().subList(1, corruption.getValue().size()));
            args.addAll(List.of("--ledger", ledger[0]));
            String err = CliRunner.run(args.toArray(String[]::new)).assertExit(1).err();
            assertThat(err).as("%s after %s", args, corruption.getKey())
                    .startsWith(ledger[1] + ": ").containsPattern(corruption.getValue().get(0)
                            + java.util.regex.Pattern.quote(REFUSED_HINT))
                    .doesNotContain("s3cret-pw");
        }
        assertThat(tmp.resolve("page.html")).doesNotExist();
    }

    /**
     * A run adds 1 to counts it reads (a scenario's runs on its env, an incident's runs seen, the next run's id)
     * and its occurrences to the incident's: past the bits they are kept in, Java gave the flake rules a negative
     * run count and the run a negative id (SQLite's + made a real of the occurrences). Now the ledger is refused
     * like one holding a value of the wrong type: outputs written, nothing recorded, exit 4.
     */
    @Test
    void aRunThatWouldTakeACountBeyondItsBitsRecordsNothing() throws Exception {
        String id = incidentIdOf(fail("s1", "rank_mismatch"));
        List<String> record = List.of("--fail-on-new", "high");
        List<String> judge = List.of("--no-record");
        List<Corruption> corruptions = List.of(
                new Corruption("UPDATE ledger_scenario_env SET runs = 2147483647", "ledger_scenario_env row"
                        + " \\(key_hash -?\\d+, env_hash -?\\d+\\) has runs '2147483647' \\(integer\\), which plus 1"
                        + " \\(this run\\) is beyond a 32-bit integer", List.of(record, judge)),
                new Corruption("UPDATE ledger_incident SET runs_seen = 2147483647", "incident '" + id + "' has"
                        + " runs_seen '2147483647' \\(integer\\), which plus 1 \\(this run\\) is beyond a 32-bit"
                        + " integer", List.of(record, judge)),
                new Corruption("UPDATE ledger_incident SET occurrences = 9223372036854775807", "incident '" + id
                        + "' has occurrences '9223372036854775807' \\(integer\\), which plus 1 \\(this run\\) is"
                        + " beyond a 64-bit integer", List.of(record)),
                new Corruption("INSERT INTO ledger_run (run_id, recorded_unix_ms, tool_version, rules_sha256,"
                        + " policy_sha256, total_entries, failed_entries, incidents_seen) SELECT 9223372036854775807,"
                        + " recorded_unix_ms, tool_version, rules_sha256, policy_sha256, total_entries, failed_entries,"
                        + " incidents_seen FROM ledger_run", "ledger_run row \\(run_id 9223372036854775807\\) has"
                        + " run_id '9223372036854775807' \\(integer\\), which plus 1 \\(the next run\\) is beyond a"
                        + " 64-bit integer", List.of(record)));
        for (Corruption corruption : corruptions) {
            String ledger = ledgerChangedBy(corruption.sql().toArray(String[]::new));
            String before = LedgerDatabases.snapshot(ledger);
            for (List<String> options : corruption.commands()) {
                String mode = options.get(0);
                CliRunner.Result result = triage(ledger, "run2", List.of(fail("s1", "rank_mismatch")),
                        options.toArray(String[]::new)).assertExit(4);
                assertThat(result.err()).as("%s after %s", mode, corruption.sql()).containsPattern(
                        java.util.regex.Pattern.quote(ledger + ": ") + corruption.says()
                                + java.util.regex.Pattern.quote((mode.equals("--no-record")
                                        ? " (the outputs are written)\n"
                                        : " (this run is not recorded; the outputs are written)\n") + REFUSED_HINT));
                assertThat(report("run2").get("incidents").get(0).has("lifecycle")).isFalse();
                assertThat(LedgerDatabases.snapshot(ledger)).isEqualTo(before);
            }
        }
    }

    /**
     * A run with --html reads the trends in its transaction (LedgerRecording.withTrends): a value the trends refuse
     * is a ledger that failed (outputs written, the page without trends, nothing recorded), not a failure after the
     * commit. SqliteLedgerRunsTest tests it with a value of the wrong type; this is the side PostgreSQL has too.
     */
    @Test
    void theHtmlTrendsARunReadsInItsTransactionRefuseACountBeyondItsBits() throws Exception {
        String ledger = ledgerChangedBy(OPEN_BEYOND_32_BITS);
        String[] shown = withPassword(ledger);
        String before = LedgerDatabases.snapshot(ledger);
        for (String noRecord : List.of("--quiet", "--no-record")) {
            CliRunner.Result result = triage(shown[0], "run2", List.of(fail("s1", "rank_mismatch")), noRecord,
                    "--html", tmp.resolve("run2.html").toString()).assertExit(4);
            assertThat(result.err()).as(noRecord).containsPattern(java.util.regex.Pattern.quote(shown[1] + ": ")
                    + OPEN_OVERFLOWS + java.util.regex.Pattern.quote((noRecord.equals("--no-record")
                            ? " (the outputs are written)\n" : " (this run is not recorded; the outputs are written)\n")
                            + REFUSED_HINT)).doesNotContain("s3cret-pw");
            assertThat(report("run2").get("incidents").get(0).has("lifecycle")).isFalse();
            String page = Files.readString(tmp.resolve("run2.html"));
            assertThat(page).contains("tensor_meta_state").doesNotContain("id=\"trends\"");
            assertThat(LedgerDatabases.snapshot(ledger)).isEqualTo(before);
            Files.delete(tmp.resolve("run2.html"));
        }
        // The same run on the ledger as it should be: its trends on the page, the run recorded.
        try (Connection connection = LedgerDatabases.connect(ledger);
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE ledger_run_class SET open_after = 0 WHERE status = 'recurring'");
        }
        triage(shown[0], "run2", List.of(fail("s1", "rank_mismatch")), "--quiet", "--html",
                tmp.resolve("run2.html").toString()).assertOk();
        assertThat(Files.readString(tmp.resolve("run2.html"))).contains("id=\"trends\"");
        assertThat(count(ledger, "SELECT COUNT(*) FROM ledger_run")).isEqualTo(2);
    }

    @Test
    void aRunThatWaitsLongerThanItsLimitForAnotherWriterExits4WithTheOutputsWritten() throws Exception {
        String ledger = newLedger();
        triage(ledger, "run1", List.of(fail("s1", "rank_mismatch"))).assertOk();
        assertThat(triage(ledger, "zero", List.of(pass("s1")), "--ledger-wait", "0").assertExit(2).err())
                .startsWith("--ledger-wait must be from 1 to 86400 seconds, not 0\n");
        assertThat(triage(ledger, "long", List.of(pass("s1")), "--ledger-wait", "86401").assertExit(2).err())
                .startsWith("--ledger-wait must be from 1 to 86400 seconds, not 86401\n");
        try (HeldLedger held = holdTheLedger(ledger)) {
            String before = LedgerDatabases.snapshot(ledger);

            CliRunner.Result waited = triage(ledger, "run2", List.of(fail("s1", "rank_mismatch")), "--ledger-wait",
                    "1").assertExit(4);
            assertThat(waited.err()).contains(": cannot record the run: another run held the ledger longer than"
                    + " this one waits (1 s, --ledger-wait): ").contains("(this run is not recorded; the outputs are"
                    + " written)\n");
            assertThat(report("run2").get("incidents")).hasSize(1);
            assertThat(LedgerDatabases.snapshot(ledger)).isEqualTo(before);
            held.commit();
        }
    }

    @Test
    void aLedgerThatFailsToRecordLeavesTheVerdictsAndFailOnAsWithoutALedger() throws Exception {
        String ledger = newLedger();
        // s1 fails and passes by turns: the ledger's history alone calls it flaky, which --fail-on does not gate.
        for (int run = 1; run <= 4; run++) {
            triage(ledger, "history" + run, List.of(run % 2 == 1 ? fail("s1", "rank_mismatch") : pass("s1")))
                    .assertOk();
        }
        Path log = LogLines.write(tmp.resolve("failing.jsonl"), List.of(fail("s1", "rank_mismatch")));
        Path again = LogLines.write(tmp.resolve("failing-again.jsonl"), List.of(fail("s1", "rank_mismatch")));
        // The same outputs both times, so that the summaries name the same files; each run's are kept aside.
        List<String> outputs = List.of("--input", log.toString(), "--output", tmp.resolve("out.json").toString(),
                "--markdown", tmp.resolve("out.md").toString(), "--fail-on", "high");
        Map<String, String> epoch = Map.of("SOURCE_DATE_EPOCH", "1771300000");
        CliRunner.Result plain = MainProcess.run(outputs, epoch, tmp).assertExit(3);
        assertThat(plain.err()).contains("--fail-on high: 1 incident");
        byte[] plainJson = Files.readAllBytes(tmp.resolve("out.json"));
        byte[] plainMarkdown = Files.readAllBytes(tmp.resolve("out.md"));
        List<String> twoRuns = List.of("--input", log.toString(), "--input", again.toString(), "--output",
                tmp.resolve("two.json").toString(), "--fail-on", "high");
        CliRunner.Result twoPlain = CliRunner.run(twoRuns.toArray(String[]::new)).assertExit(3);
        JsonNode twoDeterminism = report("two").get("incidents").get(0).get("determinism");
        assertThat(twoDeterminism.get("runs").asInt()).isEqualTo(2);

        try (HeldLedger held = holdTheLedger(ledger)) {
            List<String> withLedger = List.of("--ledger", ledger, "--ledger-wait", "1");
            CliRunner.Result failed = MainProcess.run(concat(outputs, withLedger), epoch, tmp).assertExit(4);
            assertThat(failed.err()).startsWith(plain.err());
            assertThat(failed.err().substring(plain.err().length())).contains(": cannot record the run: ")
                    .endsWith("(this run is not recorded; the outputs are written)\n").hasLineCount(1);
            assertThat(Files.readAllBytes(tmp.resolve("out.json"))).isEqualTo(plainJson);
            assertThat(Files.readAllBytes(tmp.resolve("out.md"))).isEqualTo(plainMarkdown);

            // Two runs are judged without a ledger too: on their evidence alone, not the ledger's.
            CliRunner.Result twoFailed = CliRunner.run(concat(twoRuns, withLedger).toArray(String[]::new))
                    .assertExit(4);
            assertThat(twoFailed.err()).startsWith(twoPlain.err());
            assertThat(report("two").get("incidents").get(0).get("determinism")).isEqualTo(twoDeterminism);
            held.commit();
        }
    }

    /** s1 fails deterministically; nine other scenarios pass. */
    private static List<String> ordinaryRun() {
        List<String> lines = new ArrayList<>(List.of(fail("s1", "rank_mismatch")));
        for (int i = 0; i < 9; i++) {
            lines.add(pass("fine-" + i));
        }
        return lines;
    }

    /** A broken machine: 10 of 11 entries fail, and s1 passes once among them (same seed, same env). */
    private static List<String> outageRun() {
        List<String> lines = new ArrayList<>(List.of(fail("s1", "rank_mismatch"), pass("s1")));
        for (int i = 0; i < 9; i++) {
            lines.add(fail("fine-" + i, "decode_failure"));
        }
        return lines;
    }

    /** A run where most entries failed is left out of the ledger's history, as it is out of --history's. */
    @Test
    void anInfrastructureSuspectRunIsLeftOutOfTheLedgersHistory() throws Exception {
        String ledger = newLedger();
        List<String> ordinary = ordinaryRun();
        List<String> outage = outageRun();
        triage(ledger, "before", ordinary).assertOk();
        CliRunner.Result outageRun = triage(ledger, "outage", outage).assertOk();

        JsonNode suspect = report("outage").get("infra_suspect_runs");
        assertThat(suspect).hasSize(1);
        assertThat(suspect.get(0).get("input").asText()).endsWith("outage.jsonl");
        assertThat(suspect.get(0).get("failures").asInt()).isEqualTo(10);
        assertThat(outageRun.err()).contains("infrastructure-suspect run (left out of flake statistics): "
                + tmp.resolve("outage.jsonl") + ", 10 of 11 entries failed");
        JsonNode inOutage = incident(report("outage"), RANK);
        assertThat(inOutage.get("determinism").get("verdict").asText()).isNotEqualTo("flaky");
        assertThat(inOutage.get("gating_excluded").asBoolean()).isFalse();

        triage(ledger, "after", ordinary).assertOk();
        JsonNode after = incident(report("after"), RANK);
        assertThat(after.get("determinism").get("verdict").asText()).isEqualTo("deterministic");
        assertThat(after.get("gating_excluded").asBoolean()).isFalse();
        assertThat(report("after").get("infra_suspect_runs")).isEmpty();
    }

    /** Of several inputs recorded as one run, only the suspect one's counts are left out. */
    @Test
    void anInfrastructureSuspectInputAmongOthersIsLeftOutOfTheLedgersHistory() throws Exception {
        String ledger = newLedger();
        List<String> ordinary = ordinaryRun();
        List<String> outage = outageRun();
        LogLines.write(tmp.resolve("outage.jsonl"), outage);
        LogLines.write(tmp.resolve("second.jsonl"), ordinary);
        triage(ledger, "first", ordinary, "--input", tmp.resolve("outage.jsonl").toString(), "--input",
                tmp.resolve("second.jsonl").toString()).assertOk();
        assertThat(report("first").get("infra_suspect_runs")).hasSize(1);
        assertThat(incident(report("first"), RANK).get("determinism").get("verdict").asText())
                .isEqualTo("deterministic");

        // The ledger's run is one failing run of s1 (two failures, no pass): the next single input
        // makes two, all failing.
        triage(ledger, "after", ordinary).assertOk();
        JsonNode after = incident(report("after"), RANK).get("determinism");
        assertThat(after.get("verdict").asText()).isEqualTo("deterministic");
        assertThat(after.get("rule").asText()).isEqualTo("deterministic: failed in every run the ledger recorded");
    }

    /** The same setup: `ledger run` says which input the guard left out, in text and JSON. */
    @Test
    void ledgerRunShowsTheInputsTheInfrastructureGuardLeftOut() throws Exception {
        String ledger = newLedger();
        Path outage = LogLines.write(tmp.resolve("outage.jsonl"), outageRun());
        Path second = LogLines.write(tmp.resolve("second.jsonl"), ordinaryRun());
        triage(ledger, "first", ordinaryRun(), "--input", outage.toString(), "--input", second.toString()).assertOk();

        String text = CliRunner.run("ledger", "run", "latest", "--ledger", ledger).assertOk().out();
        assertThat(text).contains("  input " + tmp.resolve("first.jsonl") + "  sha256 "
                + sha256(tmp.resolve("first.jsonl")) + "\n");
        assertThat(text).contains("  input " + outage + "  sha256 " + sha256(outage)
                + "  infrastructure-suspect: left out of the flake history\n");
        assertThat(text).contains("  input " + second + "  sha256 " + sha256(second) + "\n");
        JsonNode inputs = JSON.readTree(CliRunner.run("ledger", "run", "latest", "--json", "--ledger", ledger)
                .assertOk().out()).get("run").get("inputs");
        assertThat(inputs).hasSize(3);
        assertThat(inputs.get(0).get("infra_suspect").asBoolean()).isFalse();
        assertThat(inputs.get(1).get("infra_suspect").asBoolean()).isTrue();
        assertThat(inputs.get(1).get("path").asText()).isEqualTo(outage.toString());
        assertThat(inputs.get(2).get("infra_suspect").asBoolean()).isFalse();
        JsonNode runs = JSON.readTree(CliRunner.run("ledger", "runs", "--json", "--ledger", ledger).assertOk().out());
        assertThat(runs.get(0).get("inputs")).isEqualTo(inputs);
        String table = CliRunner.run("ledger", "runs", "--ledger", ledger).assertOk().out();
        assertThat(table).contains(tmp.resolve("first.jsonl") + " " + outage + " (infrastructure-suspect) " + second);
    }

    /** s1 fails in about one run of four, on one env: the runs it fails in, as F, the others P. */
    static final String ONE_IN_FOUR = "FPFPPPFPPPFP";

    /**
     * Triages one run per letter of {@code pattern} (s1 failing at F, passing at P; s9 passes
     * always) with {@code --fail-on-new high}; returns each run's exit status.
     */
    List<Integer> runPattern(String ledger, String prefix, String pattern, String... extra) {
        List<Integer> exits = new ArrayList<>();
        for (int run = 1; run <= pattern.length(); run++) {
            List<String> lines = List.of(pattern.charAt(run - 1) == 'F' ? fail("s1", "rank_mismatch") : pass("s1"),
                    pass("s9"));
            List<String> args = new ArrayList<>(List.of("-q", "--fail-on-new", "high"));
            args.addAll(List.of(extra));
            exits.add(triage(ledger, prefix + run, lines, args.toArray(String[]::new)).exitCode());
        }
        return exits;
    }

    /** Per recorded run, the incidents that entered {@code status} in it (`ledger runs --json`). */
    List<Integer> entered(String ledger, String status) throws IOException {
        List<Integer> counts = new ArrayList<>();
        JSON.readTree(CliRunner.run("ledger", "runs", "--json", "--ledger", ledger).assertOk().out())
                .forEach(run -> counts.add(run.get("entered").get(status).asInt()));
        return counts;
    }

    JsonNode ledgerIncident(String ledger, String id) throws IOException {
        for (JsonNode incident : JSON.readTree(CliRunner.run("ledger", "incidents", "--json", "--ledger", ledger)
                .assertOk().out())) {
            if (incident.get("incident_id").asText().equals(id)) {
                return incident;
            }
        }
        throw new AssertionError(id + " is not in the ledger");
    }

    /**
     * The churn a team saw weekly: a 1-in-4 flake was resolved after 3 passing runs, regressed
     * at its next failure, and (its history restarted) not judged flaky, so --fail-on-new
     * failed the job. Once judged flaky it now needs resolve_flaky_after_passing_runs (10).
     */
    @Test
    void aOneInFourFlakeNoLongerCyclesBetweenResolvedAndRegressed() throws Exception {
        String ledger = newLedger();
        List<Integer> exits = runPattern(ledger, "flake", ONE_IN_FOUR);
        assertThat(exits).as("only its first sighting opens it").containsExactly(3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(entered(ledger, "resolved")).containsOnly(0);
        assertThat(entered(ledger, "regressed")).containsOnly(0);
        assertThat(statuses(report("flake11"))).containsEntry(RANK, "recurring");
        JsonNode determinism = incident(report("flake11"), RANK).get("determinism");
        assertThat(determinism.get("verdict").asText()).as("its history was not restarted").isEqualTo("flaky");
        assertThat(determinism.get("rule").asText()).isEqualTo("flaky: passed and failed on one env across the"
                + " ledger's runs");
        assertThat(determinism.get("evidence").get(0).asText()).endsWith(" passing runs, of 11 since it first failed"
                + " in run 1");

        JsonNode incident = ledgerIncident(ledger, RANK);
        assertThat(incident.get("status").asText()).isEqualTo("recurring");
        assertThat(incident.get("regressions").asInt()).isZero();
        assertThat(incident.get("last_verdict").asText()).isEqualTo("flaky");
        String show = CliRunner.run("ledger", "show", RANK, "--ledger", ledger).assertOk().out();
        assertThat(show).contains("\n  regressed 0 times, last verdict flaky\n");
        JsonNode shown = JSON.readTree(CliRunner.run("ledger", "show", RANK, "--json", "--ledger", ledger)
                .assertOk().out()).get("incident");
        assertThat(shown.get("regressions").asInt()).isZero();
        assertThat(shown.get("last_verdict").asText()).isEqualTo("flaky");
    }

    /**
     * After a fix (3 passing runs resolve it) the failure in run 5 restarts the flake history;
     * the flake the restarted history then shows says so, instead of "since it first failed".
     */
    @Test
    void aFlakeAfterARestartedHistoryNamesTheRestartNotTheFirstFailure() throws Exception {
        String ledger = newLedger();
        runPattern(ledger, "again", "FPPPFPF");
        assertThat(statuses(report("again5"))).containsEntry(RANK, "regressed");
        JsonNode determinism = incident(report("again7"), RANK).get("determinism");
        assertThat(determinism.get("rule").asText()).isEqualTo("flaky: passed and failed on one env across the"
                + " ledger's runs");
        assertThat(determinism.get("evidence").get(0).asText()).isEqualTo("on its env fingerprint the ledger"
                + " recorded 2 failing runs (0 of them with passes too) and 1 passing runs, of 3 since it failed"
                + " again in run 5 after a passing streak");
    }

    /** With the flaky threshold equal to the other, the same flake cycles as it used to. */
    @Test
    void aFlakeCyclesWhenItsThresholdIsTheDeterministicOne() throws Exception {
        PackCopy pack = PackCopy.of("", tmp.resolve("pack"));
        PackCopy.edit(pack.policy().resolve("lifecycle.yaml"), "resolve_flaky_after_passing_runs: 10",
                "resolve_flaky_after_passing_runs: 3");
        String ledger = newLedger();
        List<Integer> exits = runPattern(ledger, "churn", ONE_IN_FOUR, "--rules", pack.rules().toString(),
                "--policy", pack.policy().toString());
        assertThat(exits).containsExactly(3, 0, 0, 0, 0, 0, 3, 0, 0, 0, 3, 0);
        assertThat(entered(ledger, "resolved")).containsExactly(0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0);
        assertThat(entered(ledger, "regressed")).containsExactly(0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0);
        JsonNode incident = ledgerIncident(ledger, RANK);
        assertThat(incident.get("regressions").asInt()).isEqualTo(2);
        assertThat(incident.get("last_verdict").asText()).as("history restarted at the regression")
                .isEqualTo("insufficient_evidence");
        String show = CliRunner.run("ledger", "show", RANK, "--ledger", ledger).assertOk().out();
        assertThat(show).contains("\n  regressed 2 times, last verdict insufficient_evidence\n");
    }

    /**
     * A deterministic incident is untouched: resolved after 3 passing runs, and when it fails
     * again (in two shards) its history restarts, so the regression is deterministic.
     */
    @Test
    void aDeterministicIncidentStillResolvesAfterThreeAndRegressesDeterministic() throws Exception {
        String ledger = newLedger();
        List<Integer> exits = runPattern(ledger, "det", "FFPPP");
        assertThat(exits).containsExactly(3, 0, 0, 0, 0);
        assertThat(incident(report("det2"), RANK).get("determinism").get("verdict").asText())
                .isEqualTo("deterministic");
        assertThat(report("det5").get("resolved_incidents")).containsExactly(JSON.valueToTree(RANK));

        Path shard = LogLines.write(tmp.resolve("shard.jsonl"), List.of(fail("s1", "rank_mismatch"), pass("s9")));
        CliRunner.Result regression = triage(ledger, "det6", List.of(fail("s1", "rank_mismatch"), pass("s9")),
                "-q", "--input", shard.toString(), "--fail-on-new", "high").assertExit(3);
        assertThat(regression.err()).contains("--fail-on-new high: 1 incident at or above high opened in this run");
        JsonNode regressed = incident(report("det6"), RANK);
        assertThat(regressed.get("lifecycle").get("status").asText()).isEqualTo("regressed");
        assertThat(regressed.get("determinism").get("verdict").asText()).isEqualTo("deterministic");
        assertThat(regressed.get("determinism").get("rule").asText()).as("history restarted: the passes before"
                + " the fix do not count").isEqualTo("deterministic: failed in every run");
        assertThat(regressed.get("gating_excluded").asBoolean()).isFalse();

        JsonNode incident = ledgerIncident(ledger, RANK);
        assertThat(incident.get("regressions").asInt()).isEqualTo(1);
        assertThat(incident.get("last_verdict").asText()).isEqualTo("deterministic");
    }

    /**
     * With a ledger and one input (no {@code --history}) the logs' own per-scenario counts are
     * not kept: the report says so with nulls instead of zeros, gives the ledger's counts that
     * the verdict rests on, and the evidence counts the ledger's runs, not "0 of 0".
     */
    @Test
    void aLedgerRunsVerdictShowsTheLedgersCountsNotUncountedZeros() throws Exception {
        String ledger = newLedger();
        runPattern(ledger, "counts", "FF");
        JsonNode first = incident(report("counts1"), RANK).get("determinism");
        assertThat(first.get("verdict").asText()).isEqualTo("insufficient_evidence");
        for (String notCounted : List.of("runs", "passing_runs", "failing_runs", "mixed_runs", "passes", "failures")) {
            assertThat(first.get(notCounted).isNull()).as(notCounted).isTrue();
        }
        assertThat(first.get("ledger")).isEqualTo(JSON.readTree(
                "{\"runs\": 1, \"passing_runs\": 0, \"failing_runs\": 1, \"mixed_runs\": 0}"));
        assertThat(first.get("evidence").get(0).asText()).isEqualTo("failed in 1 of 1 runs the ledger recorded on"
                + " its env fingerprint, never seen passing there; a deterministic verdict needs 2 failing runs or"
                + " reproducing replays");
        JsonNode second = incident(report("counts2"), RANK).get("determinism");
        assertThat(second.get("verdict").asText()).isEqualTo("deterministic");
        assertThat(second.get("ledger").get("failing_runs").asInt()).isEqualTo(2);

        triage(ledger, "counted", List.of(fail("s1", "rank_mismatch"), pass("s9")), "-q", "--history").assertOk();
        JsonNode counted = incident(report("counted"), RANK).get("determinism");
        assertThat(counted.get("runs").asInt()).as("--history counts the log").isEqualTo(1);
        assertThat(counted.get("failures").asInt()).isEqualTo(1);
        assertThat(counted.get("ledger").get("runs").asInt()).isEqualTo(3);
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> both = new ArrayList<>(first);
        both.addAll(second);
        return both;
    }

    /** Another runner, stuck in its transaction before the commit; {@link HeldLedger#commit()} lets it finish. */
    static HeldLedger holdTheLedger(String ledger) throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        TriagePipeline.Triaged other = TriagePipeline.triage(Packs.v1(), "other.jsonl",
                List.of(fail("s9", "decode_failure")), 1_771_300_000_000L);
        Future<?> stuck = pool.submit(() -> {
            try (Ledger opened = Ledger.open(ledger)) {
                opened.record(RunFacts.of(other.report(), List.of(), other.tallies(), ReplayEvidence.NONE,
                        RunFacts.CiFacts.NONE), Packs.v1(), () -> {
                            holding.countDown();
                            try {
                                release.await(2, TimeUnit.MINUTES);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
            }
            return null;
        });
        HeldLedger held = new HeldLedger(release, stuck, pool);
        if (!holding.await(2, TimeUnit.MINUTES)) {
            held.close();
            throw new AssertionError("the other runner never got the ledger");
        }
        return held;
    }

    record HeldLedger(CountDownLatch release, Future<?> stuck, ExecutorService pool) implements AutoCloseable {
        /** Lets the other runner commit, and waits for it. */
        void commit() throws Exception {
            release.countDown();
            stuck.get(2, TimeUnit.MINUTES);
        }

        @Override
        public void close() {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aRunJudgedWithoutRecordingGetsTheLifecycleItWouldAndLeavesTheLedgerAsItWas() throws Exception {
        String ledger = newLedger();
        triage(ledger, "run1", List.of(fail("s1", "rank_mismatch"), pass("s2"))).assertOk();
        String before = LedgerDatabases.snapshot(ledger);
        List<String> pullRequest = List.of(fail("s1", "rank_mismatch"), fail("s2", "decode_failure"));

        CliRunner.Result judged = triage(ledger, "judged", pullRequest, "--no-record", "--fail-on-new", "high")
                .assertExit(3);
        assertThat(ledgerLine(judged)).isEqualTo("  ledger: 1 new, 1 recurring, 0 regressed, 0 resolved"
                + " (judged against the ledger, not recorded)");
        assertThat(judged.err()).contains("--fail-on-new high: 1 incident");
        assertThat(markdown("judged")).contains("Ledger: 1 new, 1 recurring, 0 regressed, 0 resolved (judged against"
                + " the ledger, not recorded).");
        assertThat(LedgerDatabases.snapshot(ledger)).as("nothing recorded").isEqualTo(before);

        // The same run recorded gets the same lifecycle, incident for incident.
        triage(ledger, "recorded", pullRequest, "--fail-on-new", "high").assertExit(3);
        assertThat(statuses(report("judged"))).isEqualTo(statuses(report("recorded")))
                .containsEntry(RANK, "recurring").containsEntry(DECODE, "new");
        for (String id : List.of(RANK, DECODE)) {
            assertThat(incident(report("judged"), id).get("lifecycle").get("runs_seen"))
                    .isEqualTo(incident(report("recorded"), id).get("lifecycle").get("runs_seen"));
        }
        // First seen in run 1 (a new incident's is its own run's time, which differs between the two).
        assertThat(incident(report("judged"), RANK).get("lifecycle").get("first_seen_unix_ms"))
                .isEqualTo(incident(report("recorded"), RANK).get("lifecycle").get("first_seen_unix_ms"));
        assertThat(report("judged").get("lifecycle_counts")).isEqualTo(report("recorded").get("lifecycle_counts"));
    }

    @Test
    void theMarkdownListsTheIncidentsARunOpenedWithTheirTextEscaped() throws Exception {
        String ledger = newLedger();
        String hostile = "s1<img src=x onerror=alert(1)>`|*x*\nline";
        triage(ledger, "run1", List.of(fail(hostile, "rank_mismatch"), fail("s2", "decode_failure"))).assertOk();
        String first = markdown("run1");
        assertThat(first).contains("\n### Opened in this run (2)\n\n- `" + DECODE + "` new: **serialization\\_parser**"
                + " (high, ft-serialize-and-durability-owners), `decode_failure` in `FT-P2C-002 dispatch_key s2"
                + " strict`\n");
        String hostileItem = first.lines().filter(line -> line.startsWith("- `") && line.contains("rank_mismatch"))
                .findFirst().orElseThrow();
        // Inside a code span whose fence outlasts the backtick in it, on one line (the LF shown as on the
        // terminal): shown literally, never HTML.
        assertThat(hostileItem).endsWith(" in ``FT-P2C-002 dispatch_key s1<img src=x onerror=alert(1)>`|*x*\\nline"
                + " strict``");

        // Seen again: nothing opened, no section; resolved and seen again: regressed, listed.
        triage(ledger, "run2", List.of(fail(hostile, "rank_mismatch"), fail("s2", "decode_failure"))).assertOk();
        assertThat(markdown("run2")).doesNotContain("Opened in this run");
        for (int run = 3; run <= 5; run++) {
            triage(ledger, "run" + run, List.of(fail(hostile, "rank_mismatch"), pass("s2"))).assertOk();
        }
        triage(ledger, "run6", List.of(fail(hostile, "rank_mismatch"), fail("s2", "decode_failure"))).assertOk();
        assertThat(markdown("run6")).contains("### Opened in this run (1)\n\n- `" + DECODE + "` regressed: ");
    }

    @Test
    void theMarkdownListsTheIncidentsARunResolvedWithTheirTextEscaped() throws Exception {
        String ledger = newLedger();
        String hostile = "s1<img src=x onerror=alert(1)>`|*x*\nline";
        triage(ledger, "run1", List.of(fail(hostile, "rank_mismatch"), fail("s2", "decode_failure"))).assertOk();
        String hostileId = report("run1").get("incidents").get(1).get("incident_id").asText();
        for (int run = 2; run <= 3; run++) {
            triage(ledger, "run" + run, List.of(pass(hostile), fail("s2", "decode_failure"))).assertOk();
            assertThat(markdown("run" + run)).doesNotContain("Resolved in this run");
        }
        triage(ledger, "run4", List.of(pass(hostile), fail("s2", "decode_failure"))).assertOk();
        assertThat(report("run4").get("resolved_incidents").toString()).isEqualTo("[\"" + hostileId + "\"]");
        // Not seen in the run: described as the ledger has it, the scenario inside a code span on one line.
        assertThat(markdown("run4")).contains("\n### Resolved in this run (1)\n\n- `" + hostileId
                + "` **tensor\\_meta\\_state** (high, ft-core-owners), `rank_mismatch` in ``FT-P2C-002 dispatch_key"
                + " s1<img src=x onerror=alert(1)>`|*x*\\nline strict``: not seen in 3 recorded runs in which its"
                + " scenario ran and passed (resolve\\_after\\_passing\\_runs 3)\n");
        triage(ledger, "run5", List.of(pass(hostile), fail("s2", "decode_failure"))).assertOk();
        assertThat(markdown("run5")).doesNotContain("Resolved in this run");
    }

    @Test
    void longListsOfOpenedAndResolvedIncidentsStopAtTwenty() throws Exception {
        String ledger = newLedger();
        List<String> failing = new ArrayList<>();
        List<String> passing = new ArrayList<>();
        for (int i = 0; i < 22; i++) {
            // The last is critical (autograd_state), the others high: it is listed first.
            failing.add(fail("case_" + i, i == 21 ? "reentrant_backward" : "rank_mismatch"));
            passing.add(pass("case_" + i));
        }
        triage(ledger, "run1", failing).assertOk();
        assertOneListOfTwenty(markdown("run1"), "### Opened in this run (22)",
                "- ... and 2 more (the JSON report has every one)");
        for (int run = 2; run <= 4; run++) {
            triage(ledger, "run" + run, passing).assertOk();
        }
        assertThat(report("run4").get("resolved_incidents")).hasSize(22);
        assertOneListOfTwenty(markdown("run4"), "### Resolved in this run (22)",
                "- ... and 2 more (the JSON report lists every one's id)");
        assertThat(markdown("run4")).contains("### Resolved in this run (22)\n\n- `triage64:")
                .containsPattern("\\(22\\)\n\n- `triage64:[0-9a-f]{16}` \\*\\*autograd\\\\_state\\*\\* \\(critical,")
                .contains("\nNo failures.\n");
    }

    private static void assertOneListOfTwenty(String markdown, String heading, String more) {
        List<String> lines = markdown.lines().toList();
        int at = lines.indexOf(heading);
        assertThat(at).as("%s in\n%s", heading, markdown).isNotNegative();
        assertThat(lines.subList(at + 2, at + 22)).allMatch(line -> line.startsWith("- `triage64:"));
        assertThat(lines.get(at + 22)).isEqualTo(more);
    }

    @Test
    void judgingWithoutRecordingNeedsALedgerThatIsThere() throws Exception {
        CliRunner.Result noLedger = triage(null, "none", List.of(fail("s1", "rank_mismatch")), "--no-record")
                .assertExit(2);
        assertThat(noLedger.err()).startsWith("--no-record needs a ledger to judge the run against: give --ledger"
                + " LOC or set TRIAGE_RULES_LEDGER");

        String ledger = newLedger(); // nothing recorded in it yet: for SQLite, no file at all
        CliRunner.Result fresh = triage(ledger, "fresh", List.of(fail("s1", "rank_mismatch")), "--no-record")
                .assertExit(4);
        assertThat(fresh.err()).contains("(the outputs are written)").doesNotContain("this run is not recorded");
        assertThat(report("fresh").get("incidents")).hasSize(1);
        assertThat(report("fresh").has("lifecycle_counts")).isFalse();
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /**
     * Eight concurrent runs, each failing one incident they share and one of its own, and
     * passing one scenario: the shared incident new once and recurring seven times, and
     * every row of the ledger counted exactly (no sighting lost, no incident twice).
     */
    static void assertEightRunsCountedExactly(String ledger, String shared, List<String> sharedStatuses) {
        assertThat(sharedStatuses).filteredOn("new"::equals).hasSize(1);
        assertThat(sharedStatuses).filteredOn("recurring"::equals).hasSize(7);
        assertThat(count(ledger, "SELECT COUNT(*) FROM ledger_run")).isEqualTo(8);
        assertThat(count(ledger, "SELECT COUNT(*) FROM ledger_incident")).isEqualTo(9);
        assertThat(count(ledger, "SELECT COUNT(*) FROM ledger_sighting")).isEqualTo(16);
        assertThat(count(ledger, "SELECT runs_seen FROM ledger_incident WHERE incident_id = '" + shared + "'"))
                .isEqualTo(8);
        assertThat(count(ledger, "SELECT COUNT(*) FROM ledger_status_change")).isEqualTo(10);
        assertThat(count(ledger, "SELECT SUM(passes) FROM ledger_scenario_run")).isEqualTo(8);
        assertThat(count(ledger, "SELECT SUM(failures) FROM ledger_scenario_run")).isEqualTo(16);
    }

    static long count(String ledger, String sql) {
        try {
            return LedgerDatabases.count(ledger, sql);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
