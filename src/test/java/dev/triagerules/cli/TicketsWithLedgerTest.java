package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triagerules.LogLines;
import dev.triagerules.ledger.LedgerDatabases;
import dev.triagerules.tickets.BeadsStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tickets --ledger} on a real SQLite ledger the main command recorded: the lifecycle
 * reopens a closed ticket when its incident regressed (though its sightings alone would not:
 * every entry has the same timestamp), and with {@code tickets.close_resolved} closes the
 * ticket of a resolved incident with the evidence as a comment; Markdown shows the same.
 */
class TicketsWithLedgerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String RANK = LedgerRunsTest.RANK;
    static final String DECODE = LedgerRunsTest.DECODE;

    @TempDir
    Path tmp;
    Path ledger;
    Path closingPolicy;

    @BeforeEach
    void policyThatClosesResolvedTickets() throws IOException {
        ledger = tmp.resolve("ledger.db");
        closingPolicy = PackCopy.of("", tmp.resolve("pack")).policy();
        PackCopy.edit(closingPolicy.resolve("tickets.yaml"), "close_resolved: false", "close_resolved: true");
    }

    private Path triage(String name, String... lines) {
        Path log = LogLines.write(tmp.resolve(name + ".jsonl"), List.of(lines));
        Path report = tmp.resolve(name + ".json");
        CliRunner.run("-q", "--input", log.toString(), "--output", report.toString(), "--ledger", ledger.toString())
                .assertOk();
        return report;
    }

    private CliRunner.Result tickets(Path report, Path store, Path policy, String... extra) {
        List<String> args = new ArrayList<>(List.of("tickets", "--report", report.toString(), "--store",
                store.toString(), "--ledger", ledger.toString()));
        if (policy != null) {
            args.addAll(List.of("--policy", policy.toString()));
        }
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new)).assertOk();
    }

    private static ObjectNode ticket(Path store, String incidentId) {
        return BeadsStore.read(store).stream().filter(line -> incidentId.equals(line.externalRef()))
                .map(BeadsStore.Line::record).findFirst().orElseThrow();
    }

    private static void closeByHand(Path store, String incidentId) throws IOException {
        List<String> lines = new ArrayList<>();
        for (BeadsStore.Line line : BeadsStore.read(store)) {
            ObjectNode record = line.record();
            if (incidentId.equals(line.externalRef())) {
                record.put("status", "closed");
                record.put("closed_at", "2026-02-18T00:00:00Z");
            }
            lines.add(JSON.writeValueAsString(record));
        }
        Files.write(store, lines, StandardCharsets.UTF_8);
    }

    @Test
    void theLifecycleClosesResolvedTicketsWithEvidenceAndReopensRegressedOnes() throws IOException, SQLException {
        Path store = tmp.resolve("issues.jsonl");
        Path run1 = triage("run1", LedgerRunsTest.fail("s1", "rank_mismatch"),
                LedgerRunsTest.fail("s2", "decode_failure"));
        assertThat(tickets(run1, store, closingPolicy).err())
                .isEqualTo("tickets: 2 created, 0 updated, 0 reopened, 0 closed, 0 unchanged, 0 held back by the cap"
                        + " of 20 new per run -> " + store + "\n");
        assertThat(ticket(store, RANK).get("description").asText())
                .contains("\n- Lifecycle: new in the ledger since ")
                .contains(", seen in 1 run, opened in ledger run 1\n");

        // s1 passes in three runs: resolved by the third, and its ticket closed with the evidence.
        Path last = null;
        for (int run = 2; run <= 4; run++) {
            last = triage("run" + run, LedgerRunsTest.pass("s1"), LedgerRunsTest.fail("s2", "decode_failure"));
        }
        // The commit comes from CI variables: text anyone with a branch can choose.
        try (Connection connection = LedgerDatabases.connect(ledger.toString());
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE ledger_run SET ci_commit = '<img src=x onerror=alert(1)> [l](http://evil)'"
                    + " WHERE run_id = 4");
        }
        CliRunner.Result closing = tickets(last, store, closingPolicy);
        assertThat(closing.err()).startsWith("tickets: 0 created, 1 updated, 0 reopened, 1 closed, 0 unchanged,");
        ObjectNode closed = ticket(store, RANK);
        assertThat(closed.get("status").asText()).isEqualTo("closed");
        assertThat(closed.get("close_reason").asText()).startsWith("the incident ledger has it resolved: not seen in 3"
                + " recorded runs in which its scenario ran and passed");
        JsonNode comment = closed.get("comments").get(0);
        assertThat(comment.get("author").asText()).isEqualTo("triage-rules");
        assertThat(comment.get("issue_id").asText()).isEqualTo(closed.get("id").asText());
        // Markdown-escaped as the description is: no tag, no link.
        assertThat(comment.get("text").asText()).startsWith("The incident ledger marked it resolved in ledger run 4 (")
                .contains(", commit &lt;img src=x onerror=alert(1)&gt; \\[l\\](http\\://evil))\\: not seen in 3")
                .contains("\nLedger runs since its last sighting in which its scenario ran and passed\\: 2, 3, 4.");
        assertThat(closed.get("description").asText()).contains("- Lifecycle: resolved in the ledger since ")
                .contains("opened in ledger run 1");
        assertThat(ticket(store, DECODE).get("status").asText()).isEqualTo("open");

        // The same report again changes nothing.
        byte[] before = Files.readAllBytes(store);
        assertThat(tickets(last, store, closingPolicy).err()).startsWith("tickets: 0 created, 0 updated, 0 reopened,"
                + " 0 closed, 1 unchanged,");
        assertThat(Files.readAllBytes(store)).isEqualTo(before);

        // It fails again, with the very same entry timestamp: the ledger says regressed, so it reopens.
        Path run5 = triage("run5", LedgerRunsTest.fail("s1", "rank_mismatch"),
                LedgerRunsTest.fail("s2", "decode_failure"));
        CliRunner.Result dryRun = CliRunner.run("tickets", "--report", run5.toString(), "--store", store.toString(),
                "--ledger", ledger.toString(), "--dry-run").assertOk();
        assertThat(dryRun.out()).contains("reopen ").contains("the ledger opened it again (regressed)");
        tickets(run5, store, null);
        ObjectNode reopened = ticket(store, RANK);
        assertThat(reopened.get("status").asText()).isEqualTo("open");
        assertThat(reopened.has("closed_at")).isFalse();
        assertThat(reopened.get("labels").toString()).contains("\"regression\"");
        assertThat(reopened.get("description").asText()).contains("- Lifecycle: regressed in the ledger since ")
                .contains("opened in ledger run 5");

        // Closed by hand: the same report leaves it closed, as does a later run that sees it recurring.
        closeByHand(store, RANK);
        tickets(run5, store, null);
        assertThat(ticket(store, RANK).get("status").asText()).isEqualTo("closed");
        Path run6 = triage("run6", LedgerRunsTest.fail("s1", "rank_mismatch"));
        assertThat(tickets(run6, store, null).err()).contains(" 0 reopened, 0 closed,");
        assertThat(ticket(store, RANK).get("status").asText()).isEqualTo("closed");
    }

    /** A pruned ledger has lost the run of the last sighting: the runs it still has are after it. */
    @Test
    void theClosingEvidenceListsThePassingRunsAPrunedLedgerStillHas() throws IOException {
        Path store = tmp.resolve("issues.jsonl");
        tickets(triage("run1", LedgerRunsTest.fail("s1", "rank_mismatch")), store, closingPolicy);
        for (int run = 2; run <= 3; run++) {
            triage("run" + run, LedgerRunsTest.pass("s1"));
        }
        CliRunner.run("ledger", "prune", "--keep-runs", "2", "--ledger", ledger.toString()).assertOk();
        Path last = triage("run4", LedgerRunsTest.pass("s1"));

        tickets(last, store, closingPolicy);

        ObjectNode closed = ticket(store, RANK);
        assertThat(closed.get("status").asText()).isEqualTo("closed");
        assertThat(closed.get("comments").get(0).get("text").asText())
                .startsWith("The incident ledger marked it resolved in ledger run 4 (")
                .contains("\nLedger runs since its last sighting in which its scenario ran and passed\\: 2, 3, 4.");
    }

    @Test
    void withoutCloseResolvedTicketsStayOpenAndWithoutALedgerTheSightingsDecide() throws IOException {
        Path store = tmp.resolve("issues.jsonl");
        Path run1 = triage("run1", LedgerRunsTest.fail("s1", "rank_mismatch"));
        tickets(run1, store, null);
        Path last = null;
        for (int run = 2; run <= 4; run++) {
            last = triage("run" + run, LedgerRunsTest.pass("s1"));
        }
        // The bundled policy: close_resolved false.
        assertThat(tickets(last, store, null).err()).startsWith("tickets: 0 created, 0 updated, 0 reopened, 0 closed,");
        assertThat(ticket(store, RANK).get("status").asText()).isEqualTo("open");

        // Without a ledger, the regression run's report does not reopen a closed ticket: its
        // sighting is no later than the one the ticket records.
        closeByHand(store, RANK);
        Path run5 = triage("run5", LedgerRunsTest.fail("s1", "rank_mismatch"));
        CliRunner.Result plain = CliRunner.run("tickets", "--report", run5.toString(), "--store", store.toString())
                .assertOk();
        assertThat(plain.err()).startsWith("tickets: 0 created, 0 updated, 0 reopened, 1 unchanged,");
        assertThat(ticket(store, RANK).get("status").asText()).isEqualTo("closed");
        tickets(run5, store, null);
        assertThat(ticket(store, RANK).get("status").asText()).isEqualTo("open");
    }

    @Test
    void markdownShowsTheLifecycleAndWhatThisRunResolved() throws IOException {
        Path last = runsInWhichS1IsResolved("rank_mismatch");
        Path out = tmp.resolve("md");
        String owners = markdownTickets(last, out);
        assertThat(String.join("\n", Files.readAllLines(out.resolve("README.md"))))
                .contains("| Owner | Incidents | Most severe |");
        assertThat(owners).contains("- Lifecycle: recurring in the ledger since ")
                .contains("\n## Resolved in this run\n")
                .contains("(`" + RANK + "`)")
                .contains("  The incident ledger marked it resolved in ledger run 4 (");

        // A ledger file that is not there is a mistake: nothing is created.
        CliRunner.Result missing = CliRunner.run("tickets", "--report", last.toString(), "--store",
                tmp.resolve("s.jsonl").toString(), "--ledger", tmp.resolve("none.db").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("none.db: no ledger there");
        assertThat(tmp.resolve("none.db")).doesNotExist();
        assertThat(tmp.resolve("s.jsonl")).doesNotExist();
    }

    @Test
    void aResolvedIncidentsLogTextStaysTextInMarkdown() throws IOException {
        String hostile = "x\n## pwned <script>alert(1)</script> | [a](javascript:b)";
        String all = markdownTickets(runsInWhichS1IsResolved(hostile), tmp.resolve("md"));
        assertThat(all).contains("\n## Resolved in this run\n").contains("&lt;script&gt;")
                .doesNotContain("<script>").doesNotContain("\n## pwned").doesNotContain("[a](javascript:")
                .contains("\\[a\\](javascript\\:b)");
    }

    /**
     * Four recorded runs: s1 fails with {@code reasonCode} in the first and passes in the
     * other three (the third passing run resolves it), s2 fails in all; the last run's report.
     */
    private Path runsInWhichS1IsResolved(String reasonCode) throws IOException {
        triage("run1", LedgerRunsTest.fail("s1", reasonCode), LedgerRunsTest.fail("s2", "decode_failure"));
        Path last = null;
        for (int run = 2; run <= 4; run++) {
            last = triage("run" + run, LedgerRunsTest.pass("s1"), LedgerRunsTest.fail("s2", "decode_failure"));
        }
        return last;
    }

    /** Markdown tickets of the report with the ledger into {@code out}; every file's text, in name order. */
    private String markdownTickets(Path report, Path out) throws IOException {
        CliRunner.run("tickets", "--report", report.toString(), "--format", "markdown", "--out-dir", out.toString(),
                "--ledger", ledger.toString(), "--policy", closingPolicy.toString()).assertOk();
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(out)) {
            for (Path file : files.sorted().toList()) {
                all.append(Files.readString(file));
            }
        }
        return all.toString();
    }
}
