package dev.triagerules.triage;

import dev.triagerules.base.Await;
import dev.triagerules.base.SourceDateEpoch;
import dev.triagerules.base.ToolVersion;
import dev.triagerules.engine.ClassifiedEntry;
import dev.triagerules.engine.Classifier;
import dev.triagerules.engine.RulePack;
import dev.triagerules.history.DeterminismReport;
import dev.triagerules.history.FlakeJudge;
import dev.triagerules.history.RecordedRuns;
import dev.triagerules.history.ReplayEvidence;
import dev.triagerules.history.RerunEvidence;
import dev.triagerules.history.ScenarioKey;
import dev.triagerules.history.RunHistory;
import dev.triagerules.input.EntryOutcome;
import dev.triagerules.input.ReadOptions;
import dev.triagerules.input.RunSource;
import dev.triagerules.input.Selection;
import dev.triagerules.input.junit.JunitSession;
import dev.triagerules.ledger.Ledger;
import dev.triagerules.ledger.LedgerError;
import dev.triagerules.ledger.LifecycleJudge;
import dev.triagerules.ledger.RunFacts;
import dev.triagerules.ledger.ScenarioTallies;
import dev.triagerules.report.QuarantineWriter;
import dev.triagerules.report.ReportBuilder;
import dev.triagerules.report.TriageReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The triage service: the one pipeline every command that triages logs runs. Each run
 * (input) is read in order; its failures become facts, a rules session makes incidents of
 * them, and incidents fold into the report as they arrive; with verdicts, every entry's
 * outcome goes into the run history, and the verdict rules judge each incident at the end.
 * With a ledger, every entry's outcome is tallied per scenario, the verdict rules also see
 * the ledger's recorded runs, and the triage is recorded as one ledger run (one
 * transaction), which gives each incident its lifecycle.
 *
 * <p>Nothing is written but the quarantine of a request that has one, and the ledger run
 * of a request with a ledger, and only when the whole triage succeeded; writing the report
 * is the caller's. A ledger that fails ({@link LedgerError}) does not stop the triage: the
 * ledger is left as it was, the report has no lifecycle, and the result says why.
 */
public final class TriageService {

    /** Runs a triage; a {@link dev.triagerules.base.UserError} stops it with nothing written. */
    public TriageResult run(TriageRequest request) {
        LedgerRecording ledger = request.ledger().orElse(null);
        try {
            return triage(request, ledger);
        } finally {
            if (ledger != null) {
                ledger.close();
            }
        }
    }

    private TriageResult triage(TriageRequest request, LedgerRecording ledger) {
        RulePack pack = request.pack();
        List<RunSource> runs = request.runs();
        if (ledger != null) {
            LifecycleJudge.requireRules(pack); // before anything is read
        }
        // JUnit runs always hand over outcomes (reading them costs nothing extra): their
        // reruns are evidence, known only once read.
        boolean judge = request.verdicts().judges(runs.size()) || request.hasJunitRuns();
        ReplayEvidence replayEvidence = ReplayEvidence.read(request.verdicts().replays());
        ReportBuilder builder = new ReportBuilder(pack.policy());
        Tallies tallies = new Tallies();
        // One thread runs the rules while this one cuts and hands over the input: measured
        // 0.45 s faster on the 370 MB bench than classifying here; more threads gained nothing.
        ExecutorService rulesThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "triage-rules-classifier");
            thread.setDaemon(true);
            return thread;
        });
        Classifier classifier = new Classifier(pack, Classifier.DEFAULT_BATCH, entry -> {
            request.classified().accept(entry);
            builder.add(entry);
            tallies.add(entry);
        }, rulesThread);
        RunHistory runHistory = new RunHistory(pack.policy().flake());
        ScenarioTallies scenarios = ledger == null ? null : new ScenarioTallies();
        Consumer<EntryOutcome> outcomes = allOf(judge ? runHistory : null, scenarios, request.outcomes());
        Path quarantinePath = request.quarantine().orElse(null);
        try (QuarantineWriter quarantined = quarantinePath == null ? null : new QuarantineWriter(quarantinePath)) {
            for (RunSource run : runs) { // one input is one run of the matrix
                builder.startRun(run.name());
                runHistory.startRun(run.name());
                tallies.startRun(run.name());
                long entries = read(run, request, outcomes, classifier, quarantined);
                classifier.flush();
                runHistory.endRun();
                builder.countEntries(entries);
                tallies.endRun(entries);
            }
            // The ledger's runs are evidence for the verdicts; a ledger that cannot be read
            // leaves the verdicts (and the report) as a run without a ledger makes them.
            Ledger opened = null;
            LedgerError ledgerFailure = null;
            RecordedRuns recordedRuns = RecordedRuns.NONE;
            if (ledger != null) {
                try {
                    opened = ledger.ledger();
                    recordedRuns = opened.recordedRuns(scenarios, pack.policy().lifecycle());
                } catch (LedgerError e) {
                    opened = null;
                    ledgerFailure = e;
                }
            }
            // The verdicts (on the rules thread, idle now) and the ledger's recording (here)
            // overlap: the ledger needs no verdict and the verdicts no lifecycle. The ledger
            // commits only once the verdicts are in, so a verdict rule that fails leaves it as
            // it was. On the 300,000-entry bench the two took 0.47 s after the read, now 0.40 s:
            // little, because the C1 compiler works for both on the second core.
            Future<DeterminismReport> verdicts = null;
            if (request.verdicts().judges(runs.size()) || request.junit().hasReruns() || opened != null) {
                RecordedRuns evidence = recordedRuns;
                List<ClassifiedEntry> firstIncidents = builder.firstIncidents();
                verdicts = rulesThread.submit(() -> FlakeJudge.judge(pack, runHistory, replayEvidence,
                        reruns(request.junit()), firstIncidents, evidence));
            }
            TriageReport.Provenance provenance =
                    new TriageReport.Provenance(ToolVersion.get(), pack.rulesDigest(), pack.policyDigest());
            long generatedUnixMs = generatedUnixMs();
            Ledger.RecordedRun recorded = null;
            if (opened != null) {
                Future<DeterminismReport> judged = verdicts;
                TriageReport unjudged = builder.build(generatedUnixMs, runs.get(0).name(), request.packetFilter(),
                        provenance);
                try {
                    recorded = opened.record(RunFacts.of(unjudged, ledger.inputs(), scenarios, replayEvidence,
                            ledger.ci()), pack, () -> {
                                if (judged != null) {
                                    Await.result(judged, "the verdicts");
                                }
                            });
                } catch (LedgerError e) {
                    ledgerFailure = e;
                }
            }
            if (verdicts != null) {
                builder.determinism(Await.result(verdicts, "the verdicts"));
            }
            TriageReport report = builder.build(generatedUnixMs, runs.get(0).name(), request.packetFilter(),
                    provenance, quarantined == null ? 0 : quarantined.lines(),
                    quarantined == null ? null : quarantinePath.toString());
            if (recorded != null) {
                report = report.withLifecycle(recorded.lifecycle());
            }
            if (quarantined != null) {
                quarantined.commit();
            }
            return new TriageResult(report, tallies.runs, request.junit(), ledgerFailure);
        } finally {
            rulesThread.shutdownNow();
        }
    }

    /** Reads one run: failures to the classifier, every entry's outcome (if wanted) to outcomes; returns its entries. */
    private static long read(RunSource run, TriageRequest request, Consumer<EntryOutcome> outcomes,
            Classifier classifier, QuarantineWriter quarantined) {
        TriageProgress progress = request.progress();
        progress.startRun(run.name(), run.sizeHint());
        ReadOptions options = ReadOptions.DEFAULT.withThreads(parserThreads()).withProgress(progress::update)
                .withInvalidLines(quarantined == null ? null : line -> quarantined.add(run.name(), line));
        long entries = run.read(outcomes != null ? Selection.failuresWithOutcomes(request.packetFilter())
                : Selection.failures(request.packetFilter()), options, classifier::accept, outcomes);
        progress.endRun();
        return entries;
    }

    /** The listeners that are there, as one; null when none is. */
    @SafeVarargs
    private static Consumer<EntryOutcome> allOf(Consumer<EntryOutcome>... listeners) {
        Consumer<EntryOutcome> all = null;
        for (Consumer<EntryOutcome> listener : listeners) {
            if (listener != null) {
                all = all == null ? listener : all.andThen(listener);
            }
        }
        return all;
    }

    private static RerunEvidence reruns(JunitSession junit) {
        RerunEvidence reruns = new RerunEvidence();
        junit.forEachRerun((key, failed, passed) -> reruns.record(new ScenarioKey(key.packetId(), key.suiteId(),
                key.scenarioId(), key.mode()), failed, passed));
        return reruns;
    }

    /** Both cores parse; more rarely help because one thread must cut lines and classify. */
    private static int parserThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /** SOURCE_DATE_EPOCH (seconds) pins the timestamp for reproducible reports. */
    private static long generatedUnixMs() {
        Long epoch = SourceDateEpoch.seconds();
        return epoch != null ? epoch * 1000 : System.currentTimeMillis();
    }

    /** Per-run counts, kept as the classified failures arrive. */
    private static final class Tallies {
        final List<RunTally> runs = new ArrayList<>();
        String input;
        long failures;
        Map<String, Long> occurrences;

        void startRun(String input) {
            this.input = input;
            failures = 0;
            occurrences = new LinkedHashMap<>();
        }

        void add(ClassifiedEntry entry) {
            failures++;
            occurrences.merge(entry.incidentId(), 1L, Long::sum);
        }

        void endRun(long entries) {
            runs.add(new RunTally(input, entries, failures, occurrences));
        }
    }
}
