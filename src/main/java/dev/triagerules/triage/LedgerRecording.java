package dev.triagerules.triage;

import dev.triagerules.engine.RulePack;
import dev.triagerules.input.InputOpener;
import dev.triagerules.input.RunSource;
import dev.triagerules.ledger.InputDigests;
import dev.triagerules.ledger.Ledger;
import dev.triagerules.ledger.LedgerLocation;
import dev.triagerules.ledger.LifecycleJudge;
import dev.triagerules.ledger.RunFacts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A triage's ledger step, begun before the logs are read: {@link #start} opens the ledger
 * (driver, schema check) and digests the input files on background threads, so both
 * overlap with reading the logs. The triage service then records the run
 * ({@link TriageRequest.Builder#ledger}), or, begun by {@link #withoutRecording}, only
 * judges it against the ledger. {@link #close} releases the connection, also when the
 * triage never got that far.
 */
public final class LedgerRecording implements AutoCloseable {
    private final LedgerLocation location;
    private final CompletableFuture<Ledger> opening;
    private final InputDigests digests;
    private final RunFacts.CiFacts ci;
    private final boolean records;
    /** Per run, how many of the recorded input files are its. */
    private final List<Integer> filesPerRun;
    private final Ledger.TrendsWanted trends;

    private LedgerRecording(LedgerLocation location, CompletableFuture<Ledger> opening, InputDigests digests,
            RunFacts.CiFacts ci, boolean records, List<Integer> filesPerRun, Ledger.TrendsWanted trends) {
        this.filesPerRun = filesPerRun;
        this.location = location;
        this.opening = opening;
        this.digests = digests;
        this.ci = ci;
        this.records = records;
        this.trends = trends;
    }

    /**
     * The same step, also reading the ledger's trends of the last {@code runs} runs (at most {@code limit} of each
     * list) with the run, in its transaction: for a run's HTML page ({@link TriageResult#ledgerTrends}).
     */
    public LedgerRecording withTrends(int runs, int limit) {
        return new LedgerRecording(location, opening, digests, ci, records, filesPerRun,
                new Ledger.TrendsWanted(runs, limit));
    }

    Ledger.TrendsWanted trends() {
        return trends;
    }

    /**
     * Starts opening the ledger at {@code location} and digesting the files of {@code runs},
     * to overlap with reading them. A {@link dev.triagerules.base.UserError} when
     * {@code pack} has no lifecycle rules, before the ledger is touched.
     *
     * @param env the environment, for the CI job's commit, branch and URL (e.g. {@code System::getenv})
     */
    public static LedgerRecording start(LedgerLocation location, RulePack pack, List<RunSource> runs,
            Function<String, String> env) {
        Objects.requireNonNull(location);
        LifecycleJudge.requireRules(pack);
        return new LedgerRecording(location, Ledger.openInBackground(location), InputDigests.start(inputFiles(runs)),
                RunFacts.CiFacts.from(env), true, runs.stream().map(run -> Math.max(1, run.files().size())).toList(),
                Ledger.TrendsWanted.NONE);
    }

    /**
     * Starts opening the ledger at {@code location} to judge the run against it without
     * recording it: the ledger must exist with the current schema (nothing is created or
     * migrated), and no input is digested. A {@link dev.triagerules.base.UserError} when
     * {@code pack} has no lifecycle rules, before the ledger is touched.
     */
    public static LedgerRecording withoutRecording(LedgerLocation location, RulePack pack) {
        Objects.requireNonNull(location);
        LifecycleJudge.requireRules(pack);
        return new LedgerRecording(location, Ledger.openToReadInBackground(location), InputDigests.none(),
                RunFacts.CiFacts.NONE, false, List.of(), Ledger.TrendsWanted.NONE);
    }

    /**
     * The files the ledger records for the runs, in order: a log as named ({@code -} for
     * stdin, recorded without a digest), and each report file of a JUnit folder or glob.
     */
    static List<String> inputFiles(List<RunSource> runs) {
        List<String> files = new ArrayList<>();
        for (RunSource run : runs) {
            if (run.files().isEmpty()) {
                files.add(InputOpener.STDIN);
            }
            run.files().stream().map(Path::toString).forEach(files::add);
        }
        return files;
    }

    public LedgerLocation location() {
        return location;
    }

    /** The opened ledger; a {@link dev.triagerules.ledger.LedgerError} when it cannot be opened. */
    Ledger ledger() {
        return Ledger.await(opening);
    }

    /**
     * The input files with their SHA-256, waiting for the digests if need be, each marked as
     * the infrastructure guard judged the run it belongs to ({@code infraSuspect}: per run, in
     * order; a JUnit folder's report files are one run).
     */
    List<RunFacts.InputFile> inputs(List<Boolean> infraSuspect) {
        List<RunFacts.InputFile> files = digests.await();
        if (files.isEmpty()) {
            return files; // judged without recording: nothing digested, nothing recorded
        }
        List<RunFacts.InputFile> judged = new ArrayList<>(files.size());
        int file = 0;
        for (int run = 0; run < filesPerRun.size(); run++) {
            boolean suspect = run < infraSuspect.size() && infraSuspect.get(run);
            for (int i = 0; i < filesPerRun.get(run) && file < files.size(); i++) {
                judged.add(files.get(file++).judged(suspect));
            }
        }
        while (file < files.size()) {
            judged.add(files.get(file++));
        }
        return judged;
    }

    RunFacts.CiFacts ci() {
        return ci;
    }

    /** Whether the run is recorded; false: only judged against the ledger ({@link #withoutRecording}). */
    public boolean records() {
        return records;
    }

    /** Closes the ledger once it is open (at once if it is), whether or not it was used. */
    @Override
    public void close() {
        opening.thenAccept(Ledger::close);
    }
}
