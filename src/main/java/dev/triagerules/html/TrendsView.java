package dev.triagerules.html;

import static dev.triagerules.html.HtmlPageBuilder.count;
import static dev.triagerules.html.HtmlPageBuilder.orMissing;
import static dev.triagerules.html.HtmlPageBuilder.shorten;
import static dev.triagerules.html.HtmlPageBuilder.time;

import dev.triagerules.html.HtmlPage.Block;
import dev.triagerules.html.HtmlPage.ClassRow;
import dev.triagerules.html.HtmlPage.RunChart;
import dev.triagerules.html.HtmlPage.RunColumn;
import dev.triagerules.html.HtmlPage.Trends;
import java.util.ArrayList;
import java.util.List;

/** Lays out {@link HtmlTrends} for the page: the run chart's geometry and the tables' cells. */
final class TrendsView {
    private static final int CHART_WIDTH = 640;
    private static final int PLOT_TOP = 10;
    private static final int PLOT_HEIGHT = 170;
    private static final int SPARK_WIDTH = 120;
    private static final int SPARK_HEIGHT = 20;

    private TrendsView() {
    }

    static Trends of(HtmlTrends trends) {
        List<String> labels = trends.runs().stream().map(HtmlTrends.Run::label).toList();
        List<List<String>> runRows = new ArrayList<>();
        for (HtmlTrends.Run run : trends.runs()) {
            HtmlTrends.Counts c = run.counts();
            runRows.add(List.of(run.label(), time(run.startedUnixMs()), String.valueOf(c.open()),
                    String.valueOf(c.newIncidents()), String.valueOf(c.regressed()), String.valueOf(c.resolved())));
        }
        List<ClassRow> classes = new ArrayList<>();
        for (HtmlTrends.ClassTrend trend : trends.classes()) {
            classes.add(new ClassRow(trend.crashClass(),
                    trend.perRun().stream().map(c -> String.valueOf(c.open())).toList(),
                    sparkline(trend.perRun().stream().mapToLong(HtmlTrends.Counts::open).toArray())));
        }
        Long latest = trends.runs().isEmpty() ? null : trends.runs().get(trends.runs().size() - 1).startedUnixMs();
        return new Trends(chart(trends.runs()), labels, runRows, classes, incidents(trends.longestOpen(), latest),
                incidents(trends.mostRecurring(), latest), flaky(trends.flakyScenarios()));
    }

    /** Columns per run: open incidents stacked as carried over, new and regressed; resolved hang below the axis. */
    private static RunChart chart(List<HtmlTrends.Run> runs) {
        long up = 1;
        long down = 0;
        for (HtmlTrends.Run run : runs) {
            HtmlTrends.Counts c = run.counts();
            up = Math.max(up, Math.max(c.open(), c.newIncidents() + c.regressed()));
            down = Math.max(down, c.resolved());
        }
        double scale = (double) PLOT_HEIGHT / (up + down);
        int axisY = PLOT_TOP + (int) Math.round(up * scale);
        int slot = runs.isEmpty() ? CHART_WIDTH : (CHART_WIDTH - 40) / runs.size();
        int barWidth = Math.max(2, Math.min(48, slot * 2 / 3));
        List<RunColumn> columns = new ArrayList<>();
        int x = 30;
        for (HtmlTrends.Run run : runs) {
            HtmlTrends.Counts c = run.counts();
            long carried = Math.max(0, c.open() - c.newIncidents() - c.regressed());
            List<Block> blocks = new ArrayList<>();
            long stacked = 0;
            stacked = stack(blocks, axisY, scale, stacked, carried, "carried",
                    run.label() + ": " + count(carried, "incident") + " still open");
            stacked = stack(blocks, axisY, scale, stacked, c.regressed(), "regressed",
                    run.label() + ": " + c.regressed() + " regressed");
            stack(blocks, axisY, scale, stacked, c.newIncidents(), "new", run.label() + ": " + c.newIncidents() + " new");
            if (c.resolved() > 0) {
                blocks.add(new Block(axisY, Math.max(1, (int) Math.round(c.resolved() * scale)), "resolved",
                        run.label() + ": " + c.resolved() + " resolved"));
            }
            columns.add(new RunColumn(x, barWidth, shorten(run.label(), Math.max(4, slot / 7)),
                    PLOT_TOP + PLOT_HEIGHT + 22, blocks));
            x += slot;
        }
        return new RunChart(CHART_WIDTH, PLOT_TOP + PLOT_HEIGHT + 30, axisY, columns);
    }

    private static long stack(List<Block> blocks, int axisY, double scale, long below, long count, String kind,
            String tooltip) {
        if (count <= 0) {
            return below;
        }
        int bottom = axisY - (int) Math.round(below * scale);
        int top = axisY - (int) Math.round((below + count) * scale);
        blocks.add(new Block(top, Math.max(1, bottom - top), kind, tooltip));
        return below + count;
    }

    /** SVG polyline points for the counts, scaled to the sparkline box. */
    static String sparkline(long[] counts) {
        long max = 1;
        for (long count : counts) {
            max = Math.max(max, count);
        }
        StringBuilder points = new StringBuilder();
        int n = counts.length;
        for (int i = 0; i < n; i++) {
            long x = n == 1 ? SPARK_WIDTH / 2 : Math.round((double) i * SPARK_WIDTH / (n - 1));
            long y = SPARK_HEIGHT - 2 - Math.round((double) counts[i] * (SPARK_HEIGHT - 4) / max);
            points.append(i == 0 ? "" : " ").append(x).append(',').append(y);
        }
        return points.toString();
    }

    /** "Open for": from its opening to the latest run shown; a dash when it is not open. */
    private static List<List<String>> incidents(List<HtmlTrends.IncidentTrend> incidents, Long latestRunMs) {
        List<List<String>> rows = new ArrayList<>();
        for (HtmlTrends.IncidentTrend i : incidents) {
            String openFor = i.openedUnixMs() == null || latestRunMs == null ? HtmlPageBuilder.MISSING
                    : days(latestRunMs - i.openedUnixMs());
            rows.add(List.of(orMissing(i.incidentId()), orMissing(i.crashClass()), orMissing(i.severity()),
                    orMissing(i.ownerHint()), orMissing(i.status()), time(i.firstSeenUnixMs()),
                    time(i.lastSeenUnixMs()), openFor, String.valueOf(i.runsSeen())));
        }
        return rows;
    }

    private static List<List<String>> flaky(List<HtmlTrends.FlakyScenario> scenarios) {
        List<List<String>> rows = new ArrayList<>();
        for (HtmlTrends.FlakyScenario s : scenarios) {
            rows.add(List.of(orMissing(s.packetId()), orMissing(s.suiteId()), orMissing(s.scenarioId()),
                    orMissing(s.mode()), orMissing(s.envFingerprint()), String.valueOf(s.runs()),
                    String.valueOf(s.failingRuns()), String.valueOf(s.passingRuns()), String.valueOf(s.mixedRuns()),
                    since(s)));
        }
        return rows;
    }

    /**
     * Where a flaky scenario's counts start, in the words of the flaky verdict's evidence in the report ("since it
     * first failed in run 1"): a regression after a fix is counted from its new failure, not its first.
     */
    static String since(HtmlTrends.FlakyScenario s) {
        return s.restarted() ? "failed again in run " + s.sinceRun() + " after a passing streak"
                : "first failed in run " + s.sinceRun();
    }

    /** A span of time in whole days and hours, e.g. {@code 12 d 3 h}. */
    static String days(long ms) {
        if (ms < 0) {
            return HtmlPageBuilder.MISSING;
        }
        long hours = ms / 3_600_000;
        return hours < 24 ? hours + " h" : hours / 24 + " d " + hours % 24 + " h";
    }
}
