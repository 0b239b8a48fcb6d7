package dev.triagerules.triage;

import dev.triagerules.base.Await;
import dev.triagerules.base.OutputSet;
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
import dev.triagerules.input.InvalidLine;
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
 * ledger is left as it was, the report is what a run without a ledger gives (no lifecycle,
 * and verdicts judged without the ledger's runs, even when it failed only at recording), and
 * the result says why.
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

    /** One triage as the pipeline: read every run (facts, session, incidents, fold), judge, record, report. */
    private TriageResult triage(TriageRequest request, LedgerRecording ledger) {
        if (ledger != null) {
            LifecycleJudge.requireRules(request.pack()); // before anything is read
        }
        ReplayEvidence replays = ReplayEvidence.read(request.verdicts().replays());
        ExecutorService rulesThread = rulesThread();
        Pipeline pipeline = pipeline(request, ledger, replays, rulesThread);
        Path quarantinePath = request.quarantine().orElse(null);
        // A caller's output set is the caller's to commit, with its other outputs.
        try (OutputSet ownOutputs = request.outputs().isPresent() || quarantinePath == null ? null : new OutputSet()) {
            QuarantineWriter quarantined = quarantinePath == null ? null
                    : new QuarantineWriter(quarantinePath, request.outputs().orElse(ownOutputs));
            SkippedInput skipped = request.skipsInvalidLines() ? new SkippedInput(quarantined) : null;
            readAll(pipeline, skipped);
            LedgerEvidence evidence = readLedger(pipeline, ledger);
            // The verdicts (on the rules thread, idle now) and the ledger's recording (here)
            // overlap: the ledger needs no verdict and the verdicts no lifecycle. The ledger
            // commits only once the verdicts are in, so a verdict rule that fails leaves it as
            // it was. On the 300,000-entry bench the two took 0.47 s after the read, now 0.40 s:
            // little, because the C1 compiler works for both on the second core.
            Future<DeterminismReport> verdicts = submitVerdicts(pipeline, evidence, rulesThread);
            ReportStamp stamp = stamp(request.pack());
            LedgerOutcome recording = recordRun(pipeline, ledger, evidence, verdicts, stamp);
            if (recording.failure() != null && evidence.opened() != null) {
                verdicts = judgeAgainWithoutTheLedger(pipeline, verdicts, rulesThread);
            }
            if (verdicts != null) {
                pipeline.builder().determinism(Await.result(verdicts, "the verdicts"));
            }
            TriageReport report = report(pipeline, stamp, skipped, recording);
            if (quarantined != null) {
                quarantined.finish();
            }
            if (ownOutputs != null) {
                ownOutputs.commit();
            }
            return new TriageResult(report, pipeline.tallies().runs, request.junit(), recording.failure(),
                    recording.recorded() == null ? null : recording.recorded().trends());
        } finally {
            rulesThread.shutdownNow();
        }
    }

    /** The one thread the rules run on, classifying and then judging; a daemon, so it never holds the JVM up. */
    private static ExecutorService rulesThread() {
        // One thread runs the rules while this one cuts and hands over the input: measured
        // 0.45 s faster on the 370 MB bench than classifying here; more threads gained nothing.
        return Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "triage-rules-classifier");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Sets up what reading feeds: the classifier (incidents fold into report and tallies), the outcome listeners. */
    private static Pipeline pipeline(TriageRequest request, LedgerRecording ledger, ReplayEvidence replays,
            ExecutorService rulesThread) {
        RulePack pack = request.pack();
        ReportBuilder builder = new ReportBuilder(pack.policy());
        Tallies tallies = new Tallies();
        Classifier classifier = new Classifier(pack, Classifier.DEFAULT_BATCH, entry -> {
            request.classified().accept(entry);
            builder.add(entry);
            tallies.add(entry);
        }, rulesThread);
        // JUnit runs always hand over outcomes (reading them costs nothing extra): their
        // reruns are evidence, known only once read.
        boolean judge = request.verdicts().judges(request.runs().size()) || request.hasJunitRuns();
        // With a ledger every run is judged by the infrastructure guard (as with --history), so
        // that an outage's passes and failures stay out of the ledger's history; without a
        // history of its own that costs a few counters, not every key's.
        RunHistory runHistory = judge || ledger == null ? new RunHistory(pack.policy().flake())
                : RunHistory.guardOnly(pack.policy().flake());
        LedgerTallies scenarios = ledger == null ? null : new LedgerTallies();
        Consumer<EntryOutcome> outcomes = allOf(judge || ledger != null ? runHistory : null, scenarios,
                request.outcomes());
        return new Pipeline(request, replays, classifier, builder, tallies, runHistory, scenarios, outcomes,
                new ArrayList<>());
    }

    /** Reads every run in order, the classifier flushed after each so its incidents fold into their own run. */
    private static void readAll(Pipeline pipeline, SkippedInput skipped) {
        ReportBuilder builder = pipeline.builder();
        RunHistory runHistory = pipeline.runHistory();
        Tallies tallies = pipeline.tallies();
        for (RunSource run : pipeline.request().runs()) { // one input is one run of the matrix
            builder.startRun(run.name());
            runHistory.startRun(run.name());
            tallies.startRun(run.name());
            pipeline.classifier().startRun(run.name()); // its errors name the entry's file and line
            long entries = read(run, pipeline.request(), pipeline.outcomes(), pipeline.classifier(), skipped);
            pipeline.classifier().flush();
            boolean infraSuspect = runHistory.endRun().infraSuspect();
            pipeline.infraSuspect().add(infraSuspect);
            if (pipeline.scenarios() != null) {
                pipeline.scenarios().endRun(!infraSuspect);
            }
            builder.countEntries(entries);
            tallies.endRun(entries);
        }
    }

    /** Opens the ledger, if any, and reads its recorded runs; a {@link LedgerError} is kept, not thrown. */
    private static LedgerEvidence readLedger(Pipeline pipeline, LedgerRecording ledger) {
        // The ledger's runs are evidence for the verdicts; a ledger that cannot be read
        // leaves the verdicts (and the report) as a run without a ledger makes them.
        if (ledger == null) {
            return new LedgerEvidence(null, RecordedRuns.NONE, null);
        }
        try {
            Ledger opened = ledger.ledger();
            return new LedgerEvidence(opened, opened.recordedRuns(pipeline.scenarios().counted(),
                    pipeline.request().pack().policy().lifecycle()), null);
        } catch (LedgerError e) {
            return new LedgerEvidence(null, RecordedRuns.NONE, e);
        }
    }

    /** Submits the flaky-or-deterministic verdicts to the rules thread; null when there is nothing to judge. */
    private static Future<DeterminismReport> submitVerdicts(Pipeline pipeline, LedgerEvidence ledger,
            ExecutorService rulesThread) {
        TriageRequest request = pipeline.request();
        // JUnit reruns are known only now, with every run read.
        if (request.verdicts().judges(request.runs().size()) || request.junit().hasReruns()
                || ledger.opened() != null) {
            RulePack pack = request.pack();
            RunHistory runHistory = pipeline.runHistory();
            ReplayEvidence replays = pipeline.replays();
            RecordedRuns evidence = ledger.recordedRuns();
            List<ClassifiedEntry> firstIncidents = pipeline.builder().firstIncidents();
            return rulesThread.submit(() -> FlakeJudge.judge(pack, runHistory, replays, reruns(request.junit()),
                    firstIncidents, evidence));
        }
        return null;
    }

    /**
     * The verdicts a run without a ledger gets, for a ledger that was read but then failed to record: the report
     * must not lean on a history this run is not part of. Null when such a run judges nothing.
     */
    private static Future<DeterminismReport> judgeAgainWithoutTheLedger(Pipeline pipeline,
            Future<DeterminismReport> judgedWithTheLedger, ExecutorService rulesThread) {
        if (judgedWithTheLedger != null) {
            judgedWithTheLedger.cancel(false); // if still queued; its result, or failure, is not wanted
        }
        return submitVerdicts(pipeline, new LedgerEvidence(null, RecordedRuns.NONE, null), rulesThread);
    }

    /** When and by what the report was made: taken once, after the read, so both builds of the report agree. */
    private static ReportStamp stamp(RulePack pack) {
        TriageReport.Provenance provenance =
                new TriageReport.Provenance(ToolVersion.get(), pack.rulesDigest(), pack.policyDigest());
        return new ReportStamp(generatedUnixMs(), provenance);
    }

    /**
     * Records the run in the opened ledger (the report without verdicts is all it needs), committing only once
     * the verdicts are in; a {@link LedgerError} is kept for the result, not thrown, and the triage goes on.
     */
    private static LedgerOutcome recordRun(Pipeline pipeline, LedgerRecording ledger, LedgerEvidence evidence,
            Future<DeterminismReport> verdicts, ReportStamp stamp) {
        Ledger opened = evidence.opened();
        if (opened == null) {
            return new LedgerOutcome(null, evidence.failure());
        }
        TriageRequest request = pipeline.request();
        TriageReport unjudged = pipeline.builder().build(stamp.generatedUnixMs(), request.runs().get(0).name(),
                request.packetFilter(), stamp.provenance());
        try {
            RunFacts facts = RunFacts.of(unjudged, ledger.inputs(pipeline.infraSuspect()),
                    pipeline.scenarios().counted(), pipeline.replays(), ledger.ci());
            if (!ledger.records()) {
                return new LedgerOutcome(opened.judgeWithoutRecording(facts, request.pack(), ledger.trends()), null);
            }
            // The run's verdicts become its incidents' last verdicts, in the same transaction.
            Ledger.RecordedRun recorded = opened.recordJudged(facts, request.pack(),
                    () -> verdicts == null ? null : Await.result(verdicts, "the verdicts"), ledger.trends());
            return new LedgerOutcome(recorded, null);
        } catch (LedgerError e) {
            return new LedgerOutcome(null, e);
        }
    }

    /** Builds the final report: the folded runs with their verdicts, what was skipped, and the lifecycle. */
    private static TriageReport report(Pipeline pipeline, ReportStamp stamp, SkippedInput skipped,
            LedgerOutcome ledger) {
        TriageRequest request = pipeline.request();
        TriageReport report = pipeline.builder().build(stamp.generatedUnixMs(), request.runs().get(0).name(),
                request.packetFilter(), stamp.provenance(), skipped == null ? 0 : skipped.lines,
                skipped == null ? 0 : skipped.files,
                request.quarantine().map(Path::toString).orElse(null));
        if (ledger.recorded() != null) {
            report = report.withLifecycle(ledger.recorded().lifecycle());
        }
        return report;
    }

    /** Reads one run: failures to the classifier, every entry's outcome (if wanted) to outcomes; returns its entries. */
    private static long read(RunSource run, TriageRequest request, Consumer<EntryOutcome> outcomes,
            Classifier classifier, SkippedInput skipped) {
        TriageProgress progress = request.progress();
        progress.startRun(run.name(), run.sizeHint());
        ReadOptions options = ReadOptions.DEFAULT.withThreads(parserThreads()).withProgress(progress::update)
                .withInvalidLines(skipped == null ? null : line -> skipped.add(line.source(run.name()), line));
        long entries = run.read(outcomes != null ? Selection.failuresWithOutcomes(request.packetFilter())
                : Selection.failures(request.packetFilter()), options, classifier, outcomes);
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

    /** What invalid input was skipped: counted, and kept in the quarantine when the request has one. */
    private static final class SkippedInput {
        final QuarantineWriter quarantine;
        long lines;
        long files;

        SkippedInput(QuarantineWriter quarantine) {
            this.quarantine = quarantine;
        }

        void add(String source, InvalidLine line) {
            if (quarantine != null) {
                quarantine.add(source, line);
            }
            if (line.wholeFile()) {
                files++;
            } else {
                lines++;
            }
        }
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

    /**
     * What the steps of one triage share: the request, its replays, and what reading feeds
     * (the classifier, whose incidents fold into the builder and the tallies, and the
     * listeners of every entry's outcome: run history, scenario tallies, the request's own),
     * and per run read, whether the infrastructure guard left it out.
     */
    private record Pipeline(TriageRequest request, ReplayEvidence replays, Classifier classifier,
            ReportBuilder builder, Tallies tallies, RunHistory runHistory, LedgerTallies scenarios,
            Consumer<EntryOutcome> outcomes, List<Boolean> infraSuspect) {
    }

    /**
     * What the ledger records of the scenarios: the tallies of the runs that count. Each run's are
     * kept apart until the infrastructure guard has judged it; an infrastructure-suspect run's are
     * dropped, so that neither this run's verdicts nor later runs' see its passes and failures.
     */
    private static final class LedgerTallies implements Consumer<EntryOutcome> {
        private ScenarioTallies counted = new ScenarioTallies();
        private ScenarioTallies run = new ScenarioTallies();

        @Override
        public void accept(EntryOutcome outcome) {
            run.accept(outcome);
        }

        void endRun(boolean counts) {
            if (counts) {
                if (counted.size() == 0) {
                    counted = run; // the usual single run: no copy
                } else {
                    counted.addAll(run);
                }
            }
            run = new ScenarioTallies();
        }

        ScenarioTallies counted() {
            return counted;
        }
    }

    /** The opened ledger and its recorded runs; or no ledger, or why it could not be read (then opened is null). */
    private record LedgerEvidence(Ledger opened, RecordedRuns recordedRuns, LedgerError failure) {
    }

    /** What recording gave: the run as the ledger recorded it, or null and the ledger's failure (none: both null). */
    private record LedgerOutcome(Ledger.RecordedRun recorded, LedgerError failure) {
    }

    /** When the report was made, and by what (tool, rules, policy). */
    private record ReportStamp(long generatedUnixMs, TriageReport.Provenance provenance) {
    }
}
