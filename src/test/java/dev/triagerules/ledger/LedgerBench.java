package dev.triagerules.ledger;

import dev.triagerules.base.ToolVersion;
import dev.triagerules.engine.Classifier;
import dev.triagerules.engine.RuleCache;
import dev.triagerules.engine.RulePack;
import dev.triagerules.history.FlakeJudge;
import dev.triagerules.history.ReplayEvidence;
import dev.triagerules.history.RunHistory;
import dev.triagerules.input.InputOpener;
import dev.triagerules.input.JsonlReader;
import dev.triagerules.input.ReadOptions;
import dev.triagerules.input.Selection;
import dev.triagerules.base.AtomicOutput;
import dev.triagerules.report.JsonReportWriter;
import dev.triagerules.report.ReportBuilder;
import dev.triagerules.report.TriageReport;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The benchmark driver of {@code bench/ledger.sh}, until the main command takes
 * {@code --ledger}: one whole triage run the way {@code TriageRulesCommand} makes it
 * (single input, bundled pack through the compiled-rules cache, rules on their own
 * thread, two parser threads, the JSON report written), plain or recording into a ledger.
 *
 * <pre>
 *   LedgerBench plain LOG REPORT
 *   LedgerBench ledger LOG REPORT LEDGER
 *   LedgerBench fill LEDGER RUNS LOG...     record RUNS runs cycling through the logs (each triaged once)
 *   LedgerBench warm LOG FOLDER ROUNDS       the real command plain, into a ledger, --no-record and --history, in
 *                                           turn in one JVM: what each costs once nothing is cold
 * </pre>
 */
public final class LedgerBench {
    private static final boolean PHASES = System.getenv("BENCH_PHASES") != null;
    private static long last = System.nanoTime();

    private LedgerBench() {
    }

    private static long lastCpu;

    /** With BENCH_PHASES set: wall and process CPU milliseconds since the previous phase, on stderr. */
    private static void phase(String name) {
        long now = System.nanoTime();
        long cpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
        if (PHASES) {
            System.err.printf("%-24s wall %6.0f ms   cpu %6.0f ms%n", name, (now - last) / 1e6, (cpu - lastCpu) / 1e6);
        }
        last = now;
        lastCpu = cpu;
    }

    public static void main(String[] args) throws Exception {
        phase("jvm start to main");
        // The ledger opens while the rules load, as the main command should do it.
        java.util.concurrent.CompletableFuture<Ledger> opening = args[0].equals("ledger")
                ? Ledger.openInBackground(LedgerLocation.parse(args[3])) : null;
        RulePack pack = RulePack.load(Path.of("rules"), Path.of("policy"), RuleCache.inUserCache(warning -> System.err.println(warning)));
        phase("rules");
        switch (args[0]) {
            case "plain" -> run(pack, args[1], Path.of(args[2]), null);
            case "ledger" -> run(pack, args[1], Path.of(args[2]), Ledger.await(opening));
            case "fill" -> fill(pack, args[1], Integer.parseInt(args[2]), List.of(args).subList(3, args.length));
            case "warm" -> warm(args[1], Path.of(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void run(RulePack pack, String input, Path output, Ledger ledger) throws Exception {
        InputDigests digests = ledger == null ? null : InputDigests.start(List.of(input));
        phase("ledger open (waiting)");
        ReportBuilder builder = new ReportBuilder(pack.policy());
        ExecutorService rulesThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "triage-rules-classifier");
            thread.setDaemon(true);
            return thread;
        });
        Classifier classifier = new Classifier(pack, Classifier.DEFAULT_BATCH, builder::add, rulesThread);
        ScenarioTallies tallies = ledger == null ? null : new ScenarioTallies();
        builder.startRun(input);
        try (InputStream in = InputOpener.open(input)) {
            JsonlReader reader = new JsonlReader(input, in, ReadOptions.DEFAULT.withThreads(2));
            long entries = reader.read(ledger == null ? Selection.failures(null)
                    : Selection.failuresWithOutcomes(null), classifier::accept, tallies);
            classifier.flush();
            builder.countEntries(entries);
        }
        rulesThread.shutdownNow();
        phase("read and classify");
        if (ledger != null) {
            // Verdicts from the ledger's recorded runs (this run's tallies included), without
            // RunHistory's per-seed bookkeeping: what a ledger run needs to judge flakes.
            RunHistory noOutcomes = new RunHistory(pack.policy().flake());
            noOutcomes.startRun(input);
            noOutcomes.endRun();
            builder.determinism(FlakeJudge.judge(pack, noOutcomes, ReplayEvidence.NONE, new dev.triagerules.history.RerunEvidence(),
                    builder.firstIncidents(),
                    ledger.recordedRuns(tallies, pack.policy().lifecycle())));
            phase("flake verdicts");
        }
        TriageReport report = builder.build(System.currentTimeMillis(), input, null,
                new TriageReport.Provenance(ToolVersion.get(), pack.rulesDigest(), pack.policyDigest()));
        if (ledger != null) {
            List<RunFacts.InputFile> inputs = digests.await();
            phase("digests (waiting)");
            try (ledger) {
                report = report.withLifecycle(ledger.record(RunFacts.of(report, inputs, tallies,
                        ReplayEvidence.NONE, RunFacts.CiFacts.from(System::getenv)), pack).lifecycle());
            }
            phase("ledger record");
        }
        TriageReport written = report;
        AtomicOutput.write(output, out -> JsonReportWriter.write(written, out));
        phase("report written");
    }

    /**
     * The main command four ways in turn (plain; into a ledger; judged against it without
     * recording, --no-record; verdicts from the log alone, --history), ROUNDS times in this
     * JVM: the first half warms it (class loading, compiling, the rule cache), the second is
     * measured. If a ledger run's cost were warm-up, its warm ratio would be near 1.
     */
    private static void warm(String log, Path folder, int rounds) {
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        String ledger = folder.resolve("warm.db").toString();
        List<List<String>> ways = List.of(List.of(), List.of("--ledger", ledger),
                List.of("--ledger", ledger, "--no-record"), List.of("--history"));
        List<String> names = List.of("plain", "--ledger", "--ledger --no-record", "--history");
        List<List<double[]>> measured = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>());
        for (int round = 0; round < rounds; round++) {
            for (int way = 0; way < ways.size(); way++) {
                List<String> args = new ArrayList<>(List.of("-q", "--input", log, "--output",
                        folder.resolve("warm-" + way + ".json").toString()));
                args.addAll(ways.get(way));
                System.gc();
                long wall = System.nanoTime();
                long cpu = os.getProcessCpuTime();
                int exit = dev.triagerules.cli.Main.commandLine(args.toArray(String[]::new))
                        .execute(args.toArray(String[]::new));
                if (exit != 0) {
                    throw new IllegalStateException(names.get(way) + ": exit " + exit);
                }
                measured.get(way).add(new double[] {(System.nanoTime() - wall) / 1e9,
                        (os.getProcessCpuTime() - cpu) / 1e9});
            }
        }
        System.out.printf("warm, medians of the last %d of %d rounds (JVM CPU: the digest's openssl is a child)%n",
                rounds - rounds / 2, rounds);
        double plainWall = median(measured.get(0), 0, rounds / 2);
        double plainCpu = median(measured.get(0), 1, rounds / 2);
        for (int way = 0; way < ways.size(); way++) {
            double wall = median(measured.get(way), 0, rounds / 2);
            double cpu = median(measured.get(way), 1, rounds / 2);
            System.out.printf("  %-22s wall %.2f s  CPU %.2f s   %.2fx wall  %.2fx CPU%n", names.get(way), wall, cpu,
                    wall / plainWall, cpu / plainCpu);
        }
    }

    private static double median(List<double[]> runs, int column, int skip) {
        double[] values = runs.subList(skip, runs.size()).stream().mapToDouble(run -> run[column]).sorted().toArray();
        return values[values.length / 2];
    }

    private static void fill(RulePack pack, String ledgerLocation, int runs, List<String> logs) throws Exception {
        List<RunFacts> facts = new ArrayList<>();
        for (String log : logs) {
            ReportBuilder builder = new ReportBuilder(pack.policy());
            Classifier classifier = new Classifier(pack, Classifier.DEFAULT_BATCH, builder::add);
            ScenarioTallies tallies = new ScenarioTallies();
            builder.startRun(log);
            try (InputStream in = InputOpener.open(log)) {
                long entries = new JsonlReader(log, in, ReadOptions.DEFAULT.withThreads(2))
                        .read(Selection.failuresWithOutcomes(null), classifier::accept, tallies);
                classifier.flush();
                builder.countEntries(entries);
            }
            TriageReport report = builder.build(0, log, null,
                    new TriageReport.Provenance(ToolVersion.get(), pack.rulesDigest(), pack.policyDigest()));
            facts.add(RunFacts.of(report, List.of(new RunFacts.InputFile(log, InputDigests.sha256(Path.of(log)))),
                    tallies, ReplayEvidence.NONE, RunFacts.CiFacts.NONE));
        }
        long start = System.nanoTime();
        try (Ledger ledger = Ledger.open(ledgerLocation)) {
            for (int run = 0; run < runs; run++) {
                RunFacts cycled = facts.get(run % facts.size());
                RunFacts timed = new RunFacts(1_771_300_000_000L + run * 3_600_000L, cycled.inputs(),
                        cycled.packetFilter(), cycled.rulesSha256(), cycled.policySha256(), cycled.toolVersion(),
                        cycled.ci(), cycled.totalEntries(), cycled.failedEntries(), cycled.incidents(),
                        cycled.scenarios(), cycled.replays());
                ledger.record(timed, pack);
            }
        }
        System.out.printf("recorded %d runs in %.1f s%n", runs, (System.nanoTime() - start) / 1e9);
        for (int attempt = 0; attempt < 3; attempt++) {
            long queried = System.nanoTime();
            int incidents;
            try (Ledger ledger = Ledger.open(ledgerLocation)) {
                incidents = ledger.incidents(LedgerView.IncidentFilter.ALL).size();
            }
            System.out.printf("open + incidents(): %d incidents in %.0f ms%n", incidents,
                    (System.nanoTime() - queried) / 1e6);
        }
    }
}
