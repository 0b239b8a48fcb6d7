package dev.triagerules.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triagerules.base.UserError;
import dev.triagerules.ledger.LedgerView;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real SQLite ledger's trends, as the page takes them. */
class LedgerTrendsTest {
    @TempDir
    Path dir;

    @Test
    void countsPerRunAndPerClassAreTheLedgers() {
        LedgerRuns.Made made = LedgerRuns.make(dir);
        HtmlTrends trends = LedgerTrends.read(made.ledger().toString(), LedgerTrends.DEFAULT_RUNS);

        assertThat(trends.runs()).extracting(HtmlTrends.Run::label).containsExactly("run 1 (c0ffee1)",
                "run 2 (c0ffee2)", "run 3 (c0ffee3)", "run 4 (c0ffee4)", "run 5 (c0ffee5)", "run 6 (c0ffee6)");
        for (int run = 0; run < LedgerRuns.COUNTS.length; run++) {
            long[] expected = LedgerRuns.COUNTS[run];
            HtmlTrends.Run got = trends.runs().get(run);
            assertThat(got.counts()).as("run %d", run + 1)
                    .isEqualTo(new HtmlTrends.Counts(expected[3], expected[0], expected[2], expected[1]));
            assertThat(got.startedUnixMs()).isEqualTo(LedgerRuns.T0 + (run + 1) * LedgerRuns.DAY);
        }
        // Open per class and run, most open in the last run first, then by name.
        assertThat(trends.classes()).extracting(HtmlTrends.ClassTrend::crashClass).containsExactly("autograd_state",
                "serialization_parser", "tensor_meta_state", "dispatch_routing", "oracle_infra");
        assertThat(openPerRun(trends, "serialization_parser")).containsExactly(1L, 1L, 1L, 0L, 1L, 1L);
        assertThat(openPerRun(trends, "dispatch_routing")).containsExactly(1L, 1L, 1L, 1L, 0L, 0L);
        assertThat(openPerRun(trends, "oracle_infra")).containsExactly(0L, 0L, 1L, 1L, 1L, 0L);
        HtmlTrends.ClassTrend serialization = trends.classes().get(1);
        assertThat(serialization.perRun().get(3).resolved()).isEqualTo(1);
        assertThat(serialization.perRun().get(4).regressed()).isEqualTo(1);

        assertThat(trends.mostRecurring().get(0).runsSeen()).isEqualTo(5);
        assertThat(trends.mostRecurring().get(0).crashClass()).isEqualTo("autograd_state");
        HtmlTrends.IncidentTrend longest = trends.longestOpen().get(0);
        assertThat(longest.crashClass()).isEqualTo("autograd_state");
        assertThat(longest.openedUnixMs()).isEqualTo(LedgerRuns.T0 + LedgerRuns.DAY);
        // s1 to s4 both failed and passed; s5 only failed.
        assertThat(trends.flakyScenarios()).extracting(HtmlTrends.FlakyScenario::scenarioId)
                .containsExactlyInAnyOrder("s1", "s2", "s3", "s4");
    }

    @Test
    void aLabelNeverCutsACharacterOfTheCommitInHalf() {
        // Six ASCII chars and an emoji: seven chars would end between the emoji's two halves.
        LedgerView.RunTrend run = new LedgerView.RunTrend(1, 0, " abcdef\uD83D\uDE00x ", Map.of(), Map.of());
        assertThat(LedgerTrends.label(run)).isEqualTo("run 1 (abcdef)");
    }

    /**
     * Each flaky scenario's row says where its counts start, as the report's flaky evidence does: s2 failed in run
     * 1, passed three runs (its incident resolved) and failed again in run 5, so its counts restart there; the
     * others count from their first failure. Before, the page gave the counts without saying since when.
     */
    @Test
    void eachFlakyScenarioSaysWhereItsCountsStart() throws Exception {
        LedgerRuns.Made made = LedgerRuns.make(dir);
        String html = HtmlReport.render(dev.triagerules.report.ReportFile.read(made.report()),
                LedgerTrends.read(made.ledger().toString(), LedgerTrends.DEFAULT_RUNS), null);
        String table = HtmlReportTest.between(html, "id=\"flaky-scenarios\"", "</table>");
        assertThat(table).contains("<th scope=\"col\">Counted since</th>");
        java.util.Map<String, String> since = new java.util.TreeMap<>();
        for (String row : table.split("<tr>")) {
            java.util.regex.Matcher cells = java.util.regex.Pattern.compile("<td>([^<]*)</td>").matcher(row);
            List<String> values = new java.util.ArrayList<>();
            while (cells.find()) {
                values.add(cells.group(1));
            }
            if (!values.isEmpty()) {
                since.put(values.get(2), values.get(values.size() - 1));
            }
        }
        assertThat(since).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(
                "s1", "first failed in run 1",
                "s2", "failed again in run 5 after a passing streak",
                "s3", "first failed in run 1",
                "s4", "first failed in run 3")));
    }

    /** A run's totals over classes are 64-bit sums of 32-bit counts: two large classes wrapped round negative. */
    @Test
    void aRunsTotalsOverClassesDoNotWrapRound() {
        int most = Integer.MAX_VALUE;
        LedgerView.RunTrend run = new LedgerView.RunTrend(1, 0, null, Map.of("a", most, "b", most),
                Map.of("new", Map.of("a", most, "b", most)));
        HtmlTrends trends = LedgerTrends.of(new LedgerView.Trends(List.of(run), List.of(), List.of(), List.of()));
        assertThat(trends.runs().get(0).counts()).isEqualTo(new HtmlTrends.Counts(2L * most, 2L * most, 0, 0));
    }

    @Test
    void onlyTheLastRunsAsked() {
        LedgerRuns.Made made = LedgerRuns.make(dir);
        HtmlTrends trends = LedgerTrends.read(made.ledger().toString(), 2);
        assertThat(trends.runs()).extracting(HtmlTrends.Run::label).containsExactly("run 5 (c0ffee5)",
                "run 6 (c0ffee6)");
        assertThat(trends.classes()).allSatisfy(c -> assertThat(c.perRun()).hasSize(2));
    }

    @Test
    void noLocationNoTrendsAndAMissingLedgerIsNotCreated() {
        assertThat(LedgerTrends.read((String) null, 30)).isNull();
        Path missing = dir.resolve("nope.db");
        assertThatThrownBy(() -> LedgerTrends.read(missing.toString(), 30)).isInstanceOf(UserError.class)
                .hasMessage(missing + ": no ledger there (a ledger is made by a triage run with --ledger, or by ledger migrate)");
        assertThat(missing).doesNotExist();
    }

    private static List<Long> openPerRun(HtmlTrends trends, String crashClass) {
        return trends.classes().stream().filter(c -> c.crashClass().equals(crashClass)).findFirst().orElseThrow()
                .perRun().stream().map(HtmlTrends.Counts::open).toList();
    }
}
