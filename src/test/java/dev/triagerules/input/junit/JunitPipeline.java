package dev.triagerules.input.junit;

import dev.triagerules.engine.Classifier;
import dev.triagerules.engine.RulePack;
import dev.triagerules.history.FlakeJudge;
import dev.triagerules.history.ReplayEvidence;
import dev.triagerules.history.RerunEvidence;
import dev.triagerules.history.RunHistory;
import dev.triagerules.history.ScenarioKey;
import dev.triagerules.input.LogEntry;
import dev.triagerules.report.FoldedIncident;
import dev.triagerules.report.GithubAnnotations;
import dev.triagerules.report.ReportBuilder;
import dev.triagerules.report.TriageReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the CLI wiring is to do with JUnit XML inputs, assembled from the pieces: each input
 * (a report or a folder of them) is one run; failures are classified and folded, every
 * outcome goes to run history, the runner's reruns to rerun evidence, and verdicts are
 * judged whenever reruns were seen or there are several runs.
 */
public final class JunitPipeline {
    /** A triage of JUnit inputs: the report, and where each failing test lives. */
    public record Result(TriageReport report, Map<ScenarioKey, TestLocation> locations,
            List<JunitRun.Counts> counts) {

        /** The locations as {@link GithubAnnotations} wants them. */
        public GithubAnnotations.Location location(FoldedIncident incident) {
            LogEntry entry = incident.first().entry();
            TestLocation at = locations.get(new ScenarioKey(entry.packetId(), entry.suiteId(), entry.scenarioId(),
                    entry.mode()));
            return at == null ? null : new GithubAnnotations.Location(at.file(), at.line());
        }
    }

    private JunitPipeline() {
    }

    public static Result triage(RulePack pack, long generatedUnixMs, Path... inputs) {
        ReportBuilder builder = new ReportBuilder(pack.policy());
        Classifier classifier = new Classifier(pack, Classifier.DEFAULT_BATCH, builder::add);
        RunHistory history = new RunHistory(pack.policy().flake());
        RerunEvidence reruns = new RerunEvidence();
        Map<ScenarioKey, TestLocation> locations = new HashMap<>();
        JunitRun run = new JunitRun(new JunitMapper(pack.policy().junit()), false);
        List<JunitRun.Counts> counts = new ArrayList<>();
        for (Path input : inputs) {
            builder.startRun(input.toString());
            history.startRun(input.toString());
            JunitRun.Counts read = run.read(input, new JunitRun.Sink() {
                @Override
                public void failure(LogEntry entry, TestCaseResult testCase) {
                    classifier.accept(entry, testCase.line());
                    TestLocation at = TestLocation.of(testCase);
                    if (at != null) {
                        locations.putIfAbsent(key(entry), at);
                    }
                }

                @Override
                public void outcome(dev.triagerules.input.EntryOutcome outcome) {
                    history.accept(outcome);
                }

                @Override
                public void reruns(LogEntry entry, int failedAttempts, int passedAttempts) {
                    reruns.record(key(entry), failedAttempts, passedAttempts);
                }
            });
            classifier.flush();
            history.endRun();
            builder.countEntries(read.entries());
            counts.add(read);
        }
        if (inputs.length > 1 || !reruns.isEmpty()) {
            builder.determinism(FlakeJudge.judge(pack, history, ReplayEvidence.NONE, reruns,
                    builder.firstIncidents(), dev.triagerules.history.RecordedRuns.NONE));
        }
        TriageReport report = builder.build(generatedUnixMs, inputs[0].toString(), null,
                new TriageReport.Provenance("test", pack.rulesDigest(), pack.policyDigest()));
        return new Result(report, locations, counts);
    }

    private static ScenarioKey key(LogEntry entry) {
        return new ScenarioKey(entry.packetId(), entry.suiteId(), entry.scenarioId(), entry.mode());
    }
}
