package dev.triagerules.html;

import dev.triagerules.base.TextLimit;
import dev.triagerules.base.UserError;
import dev.triagerules.ledger.Ledger;
import dev.triagerules.ledger.LedgerLocation;
import dev.triagerules.ledger.LedgerView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** An incident ledger's trends ({@link Ledger#trends}) as the page takes them ({@link HtmlTrends}). */
public final class LedgerTrends {
    /** Runs the page shows by default: a month of nightly runs. */
    public static final int DEFAULT_RUNS = 30;
    /** Incidents and scenarios per list. */
    public static final int LIST_LIMIT = 10;

    // The ledger's lifecycle words (ledger.LifecycleStatus) that the page counts per run.
    private static final String NEW = "new";
    private static final String RESOLVED = "resolved";
    private static final String REGRESSED = "regressed";

    private LedgerTrends() {
    }

    /**
     * Opens the ledger at {@code location} (a SQLite file or a {@code jdbc:postgresql:} URL),
     * reads the trends of its last {@code runs} runs and closes it; null when {@code location}
     * is null, so that a command passes its {@code --ledger} option as it is. A SQLite file
     * that does not exist is an error here: showing a ledger must not create one.
     */
    public static HtmlTrends read(String location, int runs) {
        return location == null ? null : read(LedgerLocation.parse(location), runs);
    }

    /** {@link #read(String, int)} for a location already parsed (the main command's {@code --ledger}). */
    public static HtmlTrends read(LedgerLocation location, int runs) {
        if (runs < 1) {
            throw new UserError("trends need at least 1 run, got " + runs);
        }
        try (Ledger ledger = Ledger.openToRead(location)) {
            return of(ledger.trends(runs, LIST_LIMIT));
        }
    }

    /** The trends as plain records: counts per run and per class, the incident lists, flaky scenarios. */
    public static HtmlTrends of(LedgerView.Trends trends) {
        List<HtmlTrends.Run> runs = new ArrayList<>();
        TreeSet<String> classNames = new TreeSet<>();
        for (LedgerView.RunTrend run : trends.runs()) {
            runs.add(new HtmlTrends.Run(label(run), run.recordedUnixMs(), new HtmlTrends.Counts(run.openTotal(),
                    run.enteredTotal(NEW), run.enteredTotal(RESOLVED), run.enteredTotal(REGRESSED))));
            classNames.addAll(run.open().keySet());
            run.entered().values().forEach(perClass -> classNames.addAll(perClass.keySet()));
        }
        List<HtmlTrends.ClassTrend> classes = new ArrayList<>();
        for (String crashClass : classNames) {
            List<HtmlTrends.Counts> perRun = new ArrayList<>();
            for (LedgerView.RunTrend run : trends.runs()) {
                perRun.add(new HtmlTrends.Counts(run.open().getOrDefault(crashClass, 0),
                        entered(run, NEW, crashClass), entered(run, RESOLVED, crashClass),
                        entered(run, REGRESSED, crashClass)));
            }
            classes.add(new HtmlTrends.ClassTrend(crashClass, perRun));
        }
        // Most open in the latest run first: the classes burning now lead the table.
        classes.sort(Comparator.comparingLong((HtmlTrends.ClassTrend c) -> c.perRun().isEmpty() ? 0
                : -c.perRun().get(c.perRun().size() - 1).open()).thenComparing(HtmlTrends.ClassTrend::crashClass));
        return new HtmlTrends(runs, classes, incidents(trends.longestOpen()), incidents(trends.mostRecurring()),
                trends.flakyScenarios().stream().map(s -> new HtmlTrends.FlakyScenario(s.packetId(), s.suiteId(),
                        s.scenarioId(), s.mode(), s.envFingerprint(), s.runs(), s.passingRuns(), s.failingRuns(),
                        s.mixedRuns(), s.historyRestarted(), s.historySinceRun())).toList());
    }

    /** {@code run 12}, with the first 7 characters of its CI commit when the run recorded one. */
    static String label(LedgerView.RunTrend run) {
        String commit = run.commit() == null || run.commit().isBlank() ? null : run.commit().strip();
        return "run " + run.runId() + (commit == null ? "" : " (" + TextLimit.cut(commit, 7)
                + ")");
    }

    private static long entered(LedgerView.RunTrend run, String status, String crashClass) {
        Map<String, Integer> perClass = run.entered().get(status);
        return perClass == null ? 0 : perClass.getOrDefault(crashClass, 0);
    }

    private static List<HtmlTrends.IncidentTrend> incidents(List<LedgerView.Incident> incidents) {
        return incidents.stream().map(i -> new HtmlTrends.IncidentTrend(i.incidentId(), i.crashClass(), i.severity(),
                i.ownerHint(), i.status(), i.firstSeenUnixMs(), i.lastSeenUnixMs(), i.runsSeen(),
                i.open() ? i.openedUnixMs() : null)).toList();
    }
}
