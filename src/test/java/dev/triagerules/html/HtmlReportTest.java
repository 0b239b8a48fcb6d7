package dev.triagerules.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triagerules.base.UserError;
import dev.triagerules.cli.CliRunner;
import dev.triagerules.report.ReportFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page's markup, without a browser: escaping, the security policy, determinism, size. */
class HtmlReportTest {
    @TempDir
    Path dir;

    private ReportFile hostileReport() throws Exception {
        ObjectNode report = HtmlFixtures.report(12, true, true);
        HtmlFixtures.hostile((ObjectNode) report.withArray("incidents").get(3));
        return HtmlFixtures.write(report, dir.resolve("triage.json"));
    }

    @Test
    void logTextIsEscapedInTextAndAttributes() throws Exception {
        String html = HtmlReport.render(hostileReport(), HtmlFixtures.trends(), null);
        Files.writeString(Path.of("target/hostile.html"), html);

        assertThat(html).doesNotContain(HtmlFixtures.XSS_REASON, HtmlFixtures.XSS_OWNER, HtmlFixtures.XSS_COMMAND,
                "<b>bold</b>");
        assertThat(html).contains("&lt;img src=x onerror=alert(1)&gt;");
        // The owner is an <option> text, and an attribute of its chart bar.
        assertThat(html).contains("<option value=\"&#34;>&lt;script>alert(2)&lt;/script>\">\"&gt;&lt;script&gt;alert(2)&lt;/script&gt;</option>",
                "data-value=\"&#34;>&lt;script>alert(2)&lt;/script>\"");
        // Exactly the page's own script element, whatever the logs say.
        assertThat(count(html, "<script")).isEqualTo(1);
        assertThat(count(html, "</script")).isEqualTo(1);
    }

    @Test
    void theSecurityPolicyAllowsExactlyTheInlineStyleAndScript() throws Exception {
        String html = HtmlReport.render(hostileReport(), null, null);

        String style = between(html, "<style>", "</style>");
        String script = between(html, "<script>", "</script>");
        String policy = between(html, "<meta http-equiv=\"Content-Security-Policy\" content=\"", "\">")
                .replace("&#39;", "'");
        assertThat(policy).isEqualTo("default-src 'none'; style-src '" + HtmlReport.sha256(style) + "'; script-src '"
                + HtmlReport.sha256(script) + "'; img-src data:; base-uri 'none'; form-action 'none'");
        assertThat(html).doesNotContain(" style=", "http://", "https://");
    }

    @Test
    void theSameReportGivesTheSameBytesInAnyLocaleAndTimeZone() throws Exception {
        ReportFile report = hostileReport();
        String first = HtmlReport.render(report, HtmlFixtures.trends(), null);
        Locale locale = Locale.getDefault();
        TimeZone zone = TimeZone.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("ar-EG"));
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kathmandu"));
            assertThat(HtmlReport.render(report, HtmlFixtures.trends(), null)).isEqualTo(first);
        } finally {
            Locale.setDefault(locale);
            TimeZone.setDefault(zone);
        }
        assertThat(first).contains("2026-02-16 21:00:57"); // last_seen_unix_ms 1771275657409, in UTC
    }

    @Test
    void trendsAreShownOnlyWhenGiven() throws Exception {
        ReportFile report = hostileReport();
        assertThat(HtmlReport.render(report, null, null)).doesNotContain("id=\"trends\"");

        String html = HtmlReport.render(report, HtmlFixtures.trends(), null);
        assertThat(html).contains("id=\"trends\"", "Trends over the last 5 runs", "nightly-103", "id=\"longest-open\"",
                "id=\"most-recurring\"", "id=\"flaky-scenarios\"", "dispatch_key/strict:case_7", "58 d 0 h"
                        .replace("58", String.valueOf((1771145600000L - 1770800000000L) / 86_400_000)));
        // A ledger's words in a trend table are escaped like any other text.
        assertThat(between(html, "id=\"longest-open\"", "</table>")).doesNotContain(HtmlFixtures.XSS_OWNER);
    }

    @Test
    void aTrendPerClassMustHaveACountForEveryRun() {
        assertThatThrownBy(() -> new HtmlTrends(HtmlFixtures.trends().runs(),
                java.util.List.of(new HtmlTrends.ClassTrend("x", java.util.List.of())), java.util.List.of(),
                java.util.List.of(), java.util.List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 counts for 5 runs");
    }

    @Test
    void tenThousandIncidentsFitInFiveMegabytesWithTheirDetailsAsData() throws Exception {
        ReportFile report = HtmlFixtures.write(HtmlFixtures.report(10_000, true, true), dir.resolve("big.json"));
        Path page = dir.resolve("big.html");
        HtmlReport.write(page, report, HtmlFixtures.trends(), null);

        long size = Files.size(page);
        System.out.println("html-report: 10,000 incidents (with verdicts and lifecycles) in " + size + " bytes");
        assertThat(size).isLessThanOrEqualTo(5_000_000);
        String html = Files.readString(page);
        assertThat(count(html, "<tr class=\"row\">")).isEqualTo(10_000);
        assertThat(html).contains("<div id=\"details-data\" hidden>").doesNotContain("<tr class=\"more\">");
        assertThat(Files.list(dir).filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();

        // The compressed bytes are zlib's (the system's on Debian, so they may differ between
        // machines); what they inflate to is the same everywhere: every incident's details, in row order.
        com.fasterxml.jackson.databind.JsonNode details = details(html);
        assertThat(details.size()).isEqualTo(10_000);
        assertThat(details.get(9_999).get("replayCommand").asText())
                .isEqualTo(report.incidents().get(9_999).replayCommand());
    }

    /** The details a large page carries as data, inflated. */
    private static com.fasterxml.jackson.databind.JsonNode details(String html) throws Exception {
        int start = html.indexOf("<div id=\"details-data\" hidden>") + "<div id=\"details-data\" hidden>".length();
        byte[] compressed = java.util.Base64.getDecoder().decode(html.substring(start, html.indexOf("</div>", start)).strip());
        java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
        inflater.setInput(compressed);
        java.io.ByteArrayOutputStream inflated = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        while (!inflater.finished()) {
            int n = inflater.inflate(buffer);
            assertThat(n > 0 || inflater.finished()).as("inflating the details").isTrue();
            inflated.write(buffer, 0, n);
        }
        inflater.end();
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(inflated.toByteArray());
    }

    @Test
    void hiddenCharactersAreShownNotObeyedInMarkupAndInTheDetailsData() throws Exception {
        // A bidi override made the replay box show "... ok # ; echo PWNED" while Copy took the
        // real order; zero-width and control characters hid text.
        String command = "sh demo.sh --scenario ok \u202e\u2066; echo PWNED > /tmp/pwned\u2069 \u2066#\u2069\u202c";
        String reason = "boom\u200b\ufeff\u001b[31m\u0007\u0000 \\u202e typed";
        for (int incidents : new int[] {12, HtmlPageBuilder.INLINE_DETAILS_MAX + 1}) {
            ObjectNode report = HtmlFixtures.report(incidents, true, true);
            ObjectNode incident = (ObjectNode) report.withArray("incidents").get(3);
            incident.put("replay_command", command);
            incident.put("reason_code", reason);
            incident.put("owner_hint", "team\u202e-a\tb\r\nc");
            String html = HtmlReport.render(HtmlFixtures.write(report, dir.resolve("r" + incidents + ".json")), null,
                    null);
            boolean asData = incidents > HtmlPageBuilder.INLINE_DETAILS_MAX;
            String shown = asData ? html + details(html) : html;

            assertThat(shown).as("%d incidents", incidents).doesNotContain("\u202e", "\u2066", "\u2069", "\u202c",
                    "\u200b", "\ufeff", "\u001b", "\u0007", "\u0000");
            assertThat(html).contains("boom\\u200b\\ufeff\\u001b[31m\\u0007\\u0000 \\u202e typed",
                    "<option value=\"team\\u202e-a\tb\r\nc\">team\\u202e-a\tb\r\nc</option>");
            String visibleCommand = "sh demo.sh --scenario ok \\u202e\\u2066; echo PWNED > /tmp/pwned\\u2069 "
                    + "\\u2066#\\u2069\\u202c";
            if (asData) {
                assertThat(details(html).findValuesAsText("replayCommand")).contains(visibleCommand);
            } else {
                assertThat(html).contains(visibleCommand.replace(">", "&gt;"));
            }
        }
    }

    @Test
    void smallReportsCarryTheirDetailsAsMarkup() throws Exception {
        String html = HtmlReport.render(hostileReport(), null, null);
        assertThat(count(html, "<tr class=\"more\">")).isEqualTo(12);
        assertThat(html).doesNotContain("<div id=\"details-data\" hidden>");
    }

    @Test
    void rendersTheToolsOwnReportWithItsHeader() throws Exception {
        Path json = dir.resolve("triage.json");
        CliRunner.Result run = CliRunner.run("--input", "examples/sample-e2e.jsonl", "--output", json.toString(),
                "--quiet");
        assertThat(run.exitCode()).as(run.err()).isZero();
        ReportFile report = ReportFile.read(json);
        assertThat(report.header().totalEntries()).isEqualTo(240);
        assertThat(report.header().toolVersion()).isNotBlank();
        assertThat(report.header().rules().sha256()).hasSize(64);
        assertThat(report.header().severityCounts()).isNotEmpty();

        String html = HtmlReport.render(report, null, null);
        assertThat(count(html, "<tr class=\"row\">")).isEqualTo(41);
        assertThat(html).contains("<dt>Entries</dt><dd>240", "<dt>Failures</dt><dd>80", report.header().rules().sha256(),
                "examples/replay-demo.sh");
    }

    @Test
    void aMaskedReasonCodeIsShownInTheIncidentsDetail() throws Exception {
        ObjectNode report = HtmlFixtures.report(2, false, false);
        ObjectNode masked = (ObjectNode) report.withArray("incidents").get(0);
        masked.put("reason_code", "took 1534 ms at 0x7f3a9c21");
        masked.put("masked_reason_code", "took <n> ms at <hex>");
        String html = HtmlReport.render(HtmlFixtures.write(report, dir.resolve("masked.json")), null, null);

        assertThat(html).contains("<dt>Reason code</dt><dd><code>took 1534 ms at 0x7f3a9c21</code>",
                "<dt>Masked reason code</dt><dd><code>took &lt;n&gt; ms at &lt;hex&gt;</code>");
        assertThat(count(html, "Masked reason code")).isEqualTo(1);
    }

    /**
     * A ledger run without --history counts no runs of its log (nulls): the verdict's facts show
     * the ledger's counts, not "Runs —: — passing"; a run that counted its logs keeps them.
     */
    @Test
    void aLedgerVerdictShowsTheLedgersRunsInsteadOfUncountedLogRuns() throws Exception {
        ObjectNode report = HtmlFixtures.report(2, true, false);
        ObjectNode fromLedger = (ObjectNode) report.withArray("incidents").get(0).get("determinism");
        for (String count : new String[] {"runs", "passing_runs", "failing_runs", "mixed_runs", "passes", "failures"}) {
            fromLedger.putNull(count);
        }
        fromLedger.putObject("ledger").put("runs", 4).put("passing_runs", 0).put("failing_runs", 4)
                .put("mixed_runs", 0);
        String html = HtmlReport.render(HtmlFixtures.write(report, dir.resolve("ledger.json")), null, null);

        assertThat(html).contains("<dt>Ledger runs</dt><dd>4 on its env fingerprint: 0 passing, 4 failing, 0 mixed\n",
                "<dt>Runs</dt><dd>3: 0 passing, 3 failing, 0 mixed\n");
        assertThat(count(html, "<dt>Runs</dt>")).as("only the incident that counted its logs").isEqualTo(1);
        assertThat(count(html, "<dt>Observations</dt>")).isEqualTo(1);
    }

    /**
     * An incident of a JUnit folder or glob run was shown first seen at RUN:LINE, a line of no
     * file; its first_seen_file is the report the line is in. A file name is hostile text: it is
     * escaped, and its hidden characters shown, in markup and in the details carried as data.
     */
    @Test
    void anIncidentOfAFolderRunIsFirstSeenInItsReportFile() throws Exception {
        for (int incidents : new int[] {3, HtmlPageBuilder.INLINE_DETAILS_MAX + 1}) {
            ObjectNode report = HtmlFixtures.report(incidents, true, false);
            ObjectNode fromFolder = (ObjectNode) report.withArray("incidents").get(1);
            fromFolder.put("first_seen_input", "build/*/TEST-*.xml");
            fromFolder.put("first_seen_file", "build/<img src=x onerror=alert(5)>\u202e/TEST-a.xml");
            fromFolder.put("first_seen_line", 135);
            String html = HtmlReport.render(HtmlFixtures.write(report, dir.resolve("f" + incidents + ".json")), null,
                    null);
            String shown = "build/<img src=x onerror=alert(5)>\\u202e/TEST-a.xml:135";
            boolean asData = incidents > HtmlPageBuilder.INLINE_DETAILS_MAX;
            if (asData) {
                java.util.List<String> firstSeen = new java.util.ArrayList<>();
                details(html).forEach(detail -> detail.get("facts").forEach(fact -> {
                    if (fact.get("label").asText().equals("First seen")) {
                        firstSeen.add(fact.get("value").asText());
                    }
                }));
                assertThat(firstSeen).contains(shown, "runs/run-0.jsonl:10").doesNotContain("build/*/TEST-*.xml:135");
            } else {
                assertThat(html).contains("<dt>First seen</dt><dd><code>"
                        + shown.replace("<", "&lt;").replace(">", "&gt;") + "</code>",
                        "<dt>First seen</dt><dd><code>runs/run-0.jsonl:10</code>")
                        .doesNotContain("build/*/TEST-*.xml:135", HtmlFixtures.XSS_REASON.replace("1", "5"), "\u202e");
            }
        }
    }

    /** JUnit XML reports skipped whole are counted apart from skipped lines, in their own terms. */
    @Test
    void skippedLinesAndSkippedJunitReportsAreShownApart() throws Exception {
        ObjectNode report = HtmlFixtures.report(1, false, false);
        report.put("invalid_lines", 2);
        report.put("invalid_reports", 1);
        report.put("quarantine_path", "q.jsonl");
        String html = HtmlReport.render(HtmlFixtures.write(report, dir.resolve("skipped.json")), null, null);
        assertThat(html).contains("<dt>Invalid lines skipped</dt><dd>2, kept in q.jsonl",
                "<dt>Invalid JUnit XML reports skipped</dt><dd>1, kept in q.jsonl");
    }

    @Test
    void writesAtomicallyAndNamesTheFileWhenItCannot() throws Exception {
        ReportFile report = hostileReport();
        Path blocker = Files.writeString(dir.resolve("not-a-folder"), "x");
        assertThatThrownBy(() -> HtmlReport.write(blocker.resolve("page.html"), report, null, null))
                .isInstanceOf(UserError.class).hasMessageContaining("page.html");
    }

    @Test
    void missingAndMistypedHeaderKeysShowAsMissing() throws Exception {
        ObjectNode report = HtmlFixtures.report(1, false, false);
        report.put("total_entries", "many");
        report.remove("triage_rules");
        ArrayNode incidents = report.withArray("incidents");
        ((ObjectNode) incidents.get(0)).put("lifecycle", "not an object");
        ReportFile read = HtmlFixtures.write(report, dir.resolve("odd.json"));
        assertThat(read.header().totalEntries()).isNull();
        assertThat(read.incidents().get(0).problems()).containsKey("lifecycle");

        String html = HtmlReport.render(read, null, null);
        assertThat(html).contains("<dt>Entries</dt><dd>\u2014", "<dt>Rules</dt><dd>\u2014",
                "keys of this incident that were left out:", "lifecycle must be an object or null");
    }

    static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    static String between(String text, String start, String end) {
        Matcher m = Pattern.compile(Pattern.quote(start) + "(.*?)" + Pattern.quote(end), Pattern.DOTALL).matcher(text);
        assertThat(m.find()).as("%s...%s in the page", start, end).isTrue();
        return m.group(1);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
