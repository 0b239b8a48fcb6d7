package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triagerules.html.HtmlReport;
import dev.triagerules.html.LedgerRuns;
import dev.triagerules.html.LedgerTrends;
import dev.triagerules.html.ReplayRecords;
import dev.triagerules.report.ReportFile;
import dev.triagerules.report.ReportFixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report as the commands write it: {@code --html} on the main command (from a file
 * report and from {@code --output -}) and {@code triage-rules html}, each page exactly the
 * page of the JSON report it goes with.
 */
class HtmlCommandTest {
    private static final String SAMPLE = "examples/sample-e2e.jsonl";

    @TempDir
    Path tmp;

    private static String page(ReportFile report) {
        return HtmlReport.render(report, null, null);
    }

    private List<String> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theMainCommandWritesThePageOfTheReportItWrote() throws IOException {
        Path json = tmp.resolve("triage.json");
        Path html = tmp.resolve("triage.html");
        CliRunner.run("--input", SAMPLE, "--output", json.toString(), "--html", html.toString(), "-q").assertOk();

        ReportFile report = ReportFile.read(json);
        assertThat(report.incidents()).hasSize(41);
        assertThat(Files.readString(html)).isEqualTo(page(report));
        assertThat(filesIn(tmp)).containsExactly("triage.html", "triage.json");
    }

    @Test
    void withALedgerThePageShowsTrendsThatIncludeThisRun() throws IOException {
        Path ledger = tmp.resolve("ledger.db");
        Path json = tmp.resolve("triage.json");
        Path html = tmp.resolve("triage.html");
        CliRunner.run("--input", SAMPLE, "--output", json.toString(), "--ledger", ledger.toString(), "-q").assertOk();
        CliRunner.run("--input", SAMPLE, "--output", json.toString(), "--ledger", ledger.toString(),
                "--html", html.toString(), "-q").assertOk();

        String expected = HtmlReport.render(ReportFile.read(json),
                LedgerTrends.read(ledger.toString(), LedgerTrends.DEFAULT_RUNS), null);
        assertThat(Files.readString(html)).isEqualTo(expected).contains("Trends over the last 2 runs");
    }

    @Test
    void aLedgerWithoutRunsSaysSoAndOneRunIsTheLastRun() throws IOException {
        // An empty ledger drew empty axes under "Trends over the last 0 runs".
        Path ledger = tmp.resolve("ledger.db");
        Path json = tmp.resolve("triage.json");
        CliRunner.run("ledger", "migrate", "--ledger", ledger.toString()).assertOk();
        CliRunner.run("--input", SAMPLE, "--output", json.toString(), "-q").assertOk();
        Path empty = tmp.resolve("empty.html");
        CliRunner.run("html", "--report", json.toString(), "--ledger", ledger.toString(), "--out", empty.toString(),
                "-q").assertOk();
        assertThat(Files.readString(empty)).contains("<h2 id=\"trends-title\">Trends</h2>",
                "<p id=\"no-runs\">The ledger has no recorded runs yet").doesNotContain("runs-chart", "runs-table");

        CliRunner.run("--input", SAMPLE, "--output", json.toString(), "--ledger", ledger.toString(), "-q").assertOk();
        Path one = tmp.resolve("one.html");
        CliRunner.run("html", "--report", json.toString(), "--ledger", ledger.toString(), "--out", one.toString(),
                "-q").assertOk();
        assertThat(Files.readString(one)).contains("<h2 id=\"trends-title\">Trends over the last run</h2>",
                "id=\"runs-chart\"").doesNotContain("no-runs");
    }

    @Test
    void aLedgerThatFailedGivesAPageWithoutTrends() throws IOException {
        Path json = tmp.resolve("triage.json");
        Path html = tmp.resolve("triage.html");
        CliRunner.run("--input", SAMPLE, "--output", json.toString(), "--html", html.toString(), "-q",
                "--ledger", "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2").assertExit(4);

        assertThat(Files.readString(html)).isEqualTo(page(ReportFile.read(json))).doesNotContain("id=\"trends\"");
    }

    @Test
    void withTheReportOnStdoutThePageIsRenderedFromTheBytesWritten() throws IOException {
        Path html = tmp.resolve("triage.html");
        CliRunner.Result result = CliRunner.run("--input", SAMPLE, "--output", "-", "--html", html.toString(), "-q")
                .assertOk();

        assertThat(result.out()).endsWith("}\n");
        byte[] json = result.out().substring(0, result.out().length() - 1).getBytes(StandardCharsets.UTF_8);
        JsonNode parsed = new ObjectMapper().readTree(json);
        assertThat(parsed.path("incidents")).hasSize(41);
        assertThat(Files.readString(html)).isEqualTo(page(ReportFile.read(Path.of("-"), json)))
                .contains("<h1>Triage: 41 incidents in " + SAMPLE + "</h1>");
        assertThat(filesIn(tmp)).containsExactly("triage.html");
    }

    @Test
    void thePageJoinsTheOutputCollisionList() throws IOException {
        Path json = tmp.resolve("triage.json");
        CliRunner.Result same = CliRunner.run("--input", SAMPLE, "--output", json.toString(), "--html",
                json.toString()).assertExit(2);
        assertThat(same.err()).startsWith("--output and --html name the same file (" + json
                + "); each output needs a file of its own");
        Path log = Files.copy(Path.of(SAMPLE), tmp.resolve("e2e.jsonl"));
        CliRunner.Result input = CliRunner.run("--input", log.toString(), "--output", json.toString(), "--html",
                log.toString()).assertExit(2);
        assertThat(input.err()).startsWith("--input and --html name the same file (" + log
                + "); an output must not be an input");
        assertThat(log).hasSameBinaryContentAs(Path.of(SAMPLE));
        assertThat(filesIn(tmp)).containsExactly("e2e.jsonl");
    }

    @Test
    void aRunThatFailsWritesNoPage() throws IOException {
        Path log = Files.writeString(tmp.resolve("bad.jsonl"), "{not json\n");
        Path html = tmp.resolve("triage.html");
        CliRunner.run("--input", log.toString(), "--output", tmp.resolve("r.json").toString(), "--html",
                html.toString()).assertExit(1);
        assertThat(filesIn(tmp)).containsExactly("bad.jsonl");
    }

    @Test
    void theHtmlCommandRendersAReportFile() throws IOException {
        Path json = tmp.resolve("triage.json");
        CliRunner.run("--input", SAMPLE, "--output", json.toString(), "-q").assertOk();
        Path html = tmp.resolve("page.html");

        CliRunner.Result result = CliRunner.run("html", "--report", json.toString(), "--out", html.toString())
                .assertOk();

        assertThat(result.err()).isEqualTo("html: 41 incident(s) -> " + html + "\n");
        assertThat(Files.readString(html)).isEqualTo(page(ReportFile.read(json))).doesNotContain("id=\"trends\"");
    }

    /** Before: {@code html --output}, as the main command names its output, was "Missing required option". */
    @Test
    void theHtmlCommandTakesOutputAsEveryCommandNamesIt() throws IOException {
        Path json = tmp.resolve("triage.json");
        CliRunner.run("--input", SAMPLE, "--output", json.toString(), "-q").assertOk();
        Path byOut = tmp.resolve("by-out.html");
        Path byOutput = tmp.resolve("by-output.html");

        CliRunner.run("html", "--report", json.toString(), "--out", byOut.toString()).assertOk();
        CliRunner.run("html", "--report", json.toString(), "--output", byOutput.toString()).assertOk();

        assertThat(Files.readString(byOutput)).isEqualTo(Files.readString(byOut));
    }

    /**
     * Before: the page showed a report's seed "007" as written, a seed the gate refuses and
     * replay would run as TRIAGE_SEED=007. Now reading the report refuses it, at
     * FILE:LINE:COLUMN with the gate's advice, and no page is written (an old one stays).
     */
    @Test
    void theHtmlCommandRefusesASeedWithALeadingZeroWhereItIs() throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode report = ReportFixtures.report();
        ReportFixtures.incident(report, "triage64:c1", "critical", "exit 1");
        ReportFixtures.incident(report, "triage64:m1", "medium", "true").put("seed", "00010");
        Path json = ReportFixtures.write(report, tmp.resolve("triage.json"));
        Path html = Files.writeString(tmp.resolve("page.html"), "the old page");

        CliRunner.Result result = CliRunner.run("html", "--report", json.toString(), "--out", html.toString())
                .assertExit(1);

        assertThat(result.err()).isEqualTo(ReportFixtures.place(json, "\"00010\"") + ": incidents[1]"
                + " (triage64:m1): seed \"00010\" has a leading zero, which no report writer writes (a seed is a"
                + " JSON number): replay would pass it as written (TRIAGE_SEED=00010), and a program may read that"
                + " otherwise than 10 (a shell reads 010 as octal 8); write the seed as 10 and replay again\n");
        assertThat(Files.readString(html)).isEqualTo("the old page");
        assertThat(filesIn(tmp)).containsExactly("page.html", "triage.json");
    }

    @Test
    void theHtmlCommandAddsTrendsFromARealLedgerAndReplaysFromASummary() throws IOException {
        LedgerRuns.Made made = LedgerRuns.make(tmp);
        Path replays = tmp.resolve("replay-transcripts");
        Files.createDirectories(replays);
        String id = made.lastReport().incidents().get(0).incidentId();
        Path summary = Files.writeString(replays.resolve("replay-summary.json"), "{\"schema_version\":"
                + " \"triage-rules-replay-summary-v1\", \"complete\": true, \"incidents\": [{\"incident_id\": \"" + id
                + "\", \"verdict\": \"reproduced\", \"failed_attempts\": 1, \"attempts\": [{\"attempt\": 1,"
                + " \"exit_code\": 101, \"timed_out\": false}]}], \"skipped\": []}");
        Path html = tmp.resolve("page.html");

        CliRunner.Result result = CliRunner.run("html", "--report", made.report().toString(), "--ledger",
                made.ledger().toString(), "--replays", summary.toString(), "--out", html.toString()).assertOk();

        assertThat(result.err()).isEqualTo("html: " + made.lastReport().incidents().size()
                + " incident(s), trends of 6 run(s), 1 replayed -> " + html + "\n");
        ReportFile reportRead = ReportFile.read(made.report());
        String expected = HtmlReport.render(reportRead,
                LedgerTrends.read(made.ledger().toString(), LedgerTrends.DEFAULT_RUNS),
                ReplayRecords.read(summary, null, reportRead));
        assertThat(Files.readString(html)).isEqualTo(expected).contains("Trends over the last 6 runs",
                "run 6 (c0ffee6)");

        CliRunner.run("html", "--report", made.report().toString(), "--ledger", made.ledger().toString(), "--runs",
                "2", "--out", html.toString(), "-q").assertOk();
        assertThat(Files.readString(html)).contains("Trends over the last 2 runs").doesNotContain("run 4 (c0ffee4)");
    }

    /**
     * Before: the page showed an attempt of a summary made before replay recorded
     * not_runnable that exited 127 as one more failure of a "reproduced" replay, while the
     * main command's --replays refuses the summary and the gate the replay. Now html says
     * what --replays says, and writes no page.
     */
    @Test
    void theHtmlCommandRefusesAnOlderSummaryWhoseAttemptExited127AsReplaysDoes() throws IOException {
        Path json = tmp.resolve("triage.json");
        CliRunner.run("--input", SAMPLE, "--output", json.toString(), "-q").assertOk();
        String id = ReportFile.read(json).incidents().get(0).incidentId();
        Path summary = Files.writeString(tmp.resolve("replay-summary.json"), "{\"schema_version\":"
                + " \"triage-rules-replay-summary-v1\", \"complete\": true, \"incidents\": [{\"incident_id\": \"" + id
                + "\", \"verdict\": \"reproduced\", \"failed_attempts\": 1, \"attempts\": [{\"attempt\": 1,"
                + " \"exit_code\": 127, \"timed_out\": false}]}], \"skipped\": []}");
        Path html = tmp.resolve("page.html");

        CliRunner.Result result = CliRunner.run("html", "--report", json.toString(), "--replays", summary.toString(),
                "--out", html.toString()).assertExit(1);

        assertThat(result.err()).isEqualTo(summary + ":1:219: incidents[0].attempts[0] exited 127 (the shell's"
                + " \"not found\") and the summary does not say whether it ran (no not_runnable): made by an older"
                + " triage-rules; replay again\n");
        assertThat(html).doesNotExist();
    }

    /** A replay summary of {@code replayed} and {@code skipped} incident ids, as triage-rules replay writes one. */
    private static Path replaySummary(Path file, List<String> replayed, List<String> skipped) throws IOException {
        StringBuilder json = new StringBuilder("{\"schema_version\": \"triage-rules-replay-summary-v1\","
                + " \"complete\": true, \"incidents\": [");
        for (int i = 0; i < replayed.size(); i++) {
            json.append(i == 0 ? "" : ", ").append("{\"incident_id\": \"").append(replayed.get(i))
                    .append("\", \"verdict\": \"reproduced\", \"failed_attempts\": 1, \"attempts\": []}");
        }
        json.append("], \"skipped\": [");
        for (int i = 0; i < skipped.size(); i++) {
            json.append(i == 0 ? "" : ", ").append("{\"incident_id\": \"").append(skipped.get(i))
                    .append("\", \"reason\": \"no replay command\"}");
        }
        return Files.writeString(file, json.append("]}").toString());
    }

    private static List<String> otherIds(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> "triage64:00000000000000" + i + "f").toList();
    }

    /**
     * The summary of another report counted all its incidents as replayed ("41 incident(s),
     * 7 replayed"; on the page "7 incidents replayed") though none of the report's was.
     */
    @Test
    void aSummaryOfAnotherReportCountsNoReplayAndIsWarnedOfOnce() throws IOException {
        Path json = tmp.resolve("triage.json");
        CliRunner.run("--input", SAMPLE, "--output", json.toString(), "-q").assertOk();
        Path summary = replaySummary(tmp.resolve("other-summary.json"), otherIds(7), List.of());
        Path html = tmp.resolve("page.html");

        CliRunner.Result result = CliRunner.run("html", "--report", json.toString(), "--replays", summary.toString(),
                "--out", html.toString()).assertOk();

        assertThat(result.err()).isEqualTo("html: 41 incident(s), 0 replayed -> " + html + "\n"
                + "html: warning: --replays " + summary + ": 7 of its 7 replayed incidents are not in " + json
                + " (the summary of another report?)\n");
        assertThat(Files.readString(html)).contains("<p class=\"note\">Replays from " + summary
                + ": no incident of this report was replayed. Its 7 replayed incidents are not in this report: it"
                + " may be the summary of another report.</p>");

        // Under --quiet the warning still shows: it is what needs attention.
        assertThat(CliRunner.run("html", "--report", json.toString(), "--replays", summary.toString(), "--out",
                html.toString(), "-q").assertOk().err()).isEqualTo("html: warning: --replays " + summary
                + ": 7 of its 7 replayed incidents are not in " + json + " (the summary of another report?)\n");
    }

    @Test
    void aSummaryWithSomeIncidentsOfAnotherReportCountsOnlyTheReportsOwn() throws IOException {
        Path json = tmp.resolve("triage.json");
        CliRunner.run("--input", SAMPLE, "--output", json.toString(), "-q").assertOk();
        List<String> ids = ReportFile.read(json).incidents().stream().map(i -> i.incidentId()).toList();
        List<String> replayed = new java.util.ArrayList<>(otherIds(2));
        replayed.add(ids.get(0));
        Path summary = replaySummary(tmp.resolve("replay-summary.json"), replayed,
                List.of(ids.get(1), otherIds(3).get(2)));
        Path html = tmp.resolve("page.html");

        CliRunner.Result result = CliRunner.run("html", "--report", json.toString(), "--replays", summary.toString(),
                "--out", html.toString()).assertOk();

        assertThat(result.err()).isEqualTo("html: 41 incident(s), 1 replayed -> " + html + "\n"
                + "html: warning: --replays " + summary + ": 2 of its 3 replayed incidents and 1 of its 2 skipped"
                + " incidents are not in " + json + " (not shown on the page)\n");
        assertThat(Files.readString(html)).contains("<p class=\"note\">Replays from " + summary
                + ": 1 incident replayed, 1 skipped. 2 replayed incidents and 1 skipped incident of the summary are"
                + " not in this report and are not shown.</p>");

        Path one = replaySummary(tmp.resolve("one.json"), List.of(ids.get(0), otherIds(1).get(0)), List.of());
        assertThat(CliRunner.run("html", "--report", json.toString(), "--replays", one.toString(), "--out",
                html.toString(), "-q").assertOk().err()).isEqualTo("html: warning: --replays " + one
                + ": 1 of its 2 replayed incidents is not in " + json + " (not shown on the page)\n");
        assertThat(Files.readString(html)).contains(": 1 incident replayed. 1 replayed incident of the summary is not"
                + " in this report and is not shown.</p>");
    }

    /** The summary's and the report's names are shown escaped, as every name from outside is. */
    @Test
    void theWarningShowsTheNamesEscaped() throws IOException {
        Path json = tmp.resolve("triage\u001b[2J.json");
        CliRunner.run("--input", SAMPLE, "--output", json.toString(), "-q").assertOk();
        Path summary = replaySummary(tmp.resolve("summary\u202e.json"), otherIds(1), List.of());

        String err = CliRunner.run("html", "--report", json.toString(), "--replays", summary.toString(), "--out",
                tmp.resolve("page.html").toString(), "-q").assertOk().err();

        assertThat(err).isEqualTo("html: warning: --replays " + tmp + "/summary\\u202e.json: 1 of its 1 replayed"
                + " incident is not in " + tmp + "/triage\\u001b[2J.json (the summary of another report?)\n");
    }

    @Test
    void theSummaryLineShowsThePagesNameEscaped() throws IOException {
        Path json = tmp.resolve("triage.json");
        CliRunner.run("--input", SAMPLE, "--output", json.toString(), "-q").assertOk();
        Path page = tmp.resolve("page\u001b[2J.html");

        String err = CliRunner.run("html", "--report", json.toString(), "--out", page.toString()).assertOk().err();

        assertThat(err).isEqualTo("html: 41 incident(s) -> " + tmp + "/page\\u001b[2J.html\n");
    }

    /**
     * The main command's --replays is evidence for the verdicts, not the page's replays: a
     * summary of another report adds no replay note there and claims no replay.
     */
    @Test
    void theMainCommandsPageClaimsNoReplayFromItsReplaysOption() throws IOException {
        Path summary = replaySummary(tmp.resolve("other-summary.json"), otherIds(7), List.of());
        Path json = tmp.resolve("triage.json");
        Path html = tmp.resolve("triage.html");
        CliRunner.run("--input", SAMPLE, "--output", json.toString(), "--html", html.toString(), "--replays",
                summary.toString(), "-q").assertOk();

        assertThat(Files.readString(html)).isEqualTo(page(ReportFile.read(json))).doesNotContain("Replays from");
    }

    @Test
    void theHtmlCommandRefusesWhatCannotBeRightBeforeWritingAnything() throws IOException {
        Path json = tmp.resolve("triage.json");
        CliRunner.run("--input", SAMPLE, "--output", json.toString(), "-q").assertOk();
        Path html = tmp.resolve("page.html");

        assertThat(CliRunner.run("html", "--report", json.toString(), "--out", json.toString()).assertExit(2).err())
                .startsWith("--report and --output name the same file (" + json + "); an output must not be an input");
        assertThat(CliRunner.run("html", "--report", json.toString(), "--transcripts", tmp.toString(), "--out",
                html.toString()).assertExit(2).err()).startsWith("--transcripts needs --replays SUMMARY");
        assertThat(CliRunner.run("html", "--report", json.toString(), "--runs", "3", "--out", html.toString())
                .assertExit(2).err()).startsWith("--runs needs --ledger LOC");
        Path missing = tmp.resolve("ledger.db");
        assertThat(CliRunner.run("html", "--report", json.toString(), "--ledger", missing.toString(), "--out",
                html.toString()).assertExit(1).err()).contains(missing + ": no ledger there");
        Path notAReport = Files.writeString(tmp.resolve("x.json"), "[]");
        assertThat(CliRunner.run("html", "--report", notAReport.toString(), "--out", html.toString()).assertExit(1)
                .err()).contains(notAReport + ": not a triage report");
        assertThat(filesIn(tmp)).containsExactly("triage.json", "x.json");
    }
    /**
     * Before: html read a report of 2,500,000 incidents whole, grew to 6.4 GB and stalled in garbage
     * collection for minutes without a word; one of a hundred thousand and one incidents became a
     * page no browser shows. Now it says which limit the report is over and what to do, and writes
     * nothing.
     */
    @Test
    void aReportOfMoreIncidentsThanAPageShowsIsRefusedSayingWhatToDo() {
        Path json = ReportFixtures.write(tmp.resolve("big.json"), ReportFile.MAX_INCIDENTS + 1,
                n -> ReportFixtures.JSON.createObjectNode().put("incident_id", "i" + n).put("severity", "high"),
                true);
        Path html = tmp.resolve("big.html");

        CliRunner.Result result = CliRunner.run("html", "--report", json.toString(), "--out", html.toString())
                .assertExit(1);
        assertThat(result.err()).contains(json + ": more than 100000 incidents (incidents[100000] is one too many):"
                + " html, tickets and replay read at most 100000 from one report").contains("--packet");
        assertThat(html).doesNotExist();
    }
}
