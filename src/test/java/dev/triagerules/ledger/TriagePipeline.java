package dev.triagerules.ledger;

import dev.triagerules.base.ToolVersion;
import dev.triagerules.engine.Classifier;
import dev.triagerules.engine.RulePack;
import dev.triagerules.input.JsonlReader;
import dev.triagerules.input.Selection;
import dev.triagerules.report.ReportBuilder;
import dev.triagerules.report.TriageReport;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Read, classify and fold one log the way the main command does, keeping the scenario
 * tallies a ledger records: the runs the ledger's tests record are real triage runs.
 */
public final class TriagePipeline {
    public record Triaged(TriageReport report, ScenarioTallies tallies) {
    }

    private TriagePipeline() {
    }

    public static Triaged triage(RulePack pack, String input, List<String> lines, long generatedUnixMs) {
        ReportBuilder builder = new ReportBuilder(pack.policy());
        Classifier classifier = new Classifier(pack, Classifier.DEFAULT_BATCH, builder::add);
        ScenarioTallies tallies = new ScenarioTallies();
        builder.startRun(input);
        byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        long entries = new JsonlReader(input, new ByteArrayInputStream(bytes))
                .read(Selection.failuresWithOutcomes(null), classifier::accept, tallies);
        classifier.flush();
        builder.countEntries(entries);
        TriageReport report = builder.build(generatedUnixMs, input, null,
                new TriageReport.Provenance(ToolVersion.get(), pack.rulesDigest(), pack.policyDigest()));
        return new Triaged(report, tallies);
    }
}
