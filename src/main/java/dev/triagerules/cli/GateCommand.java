package dev.triagerules.cli;

import dev.triagerules.base.VisibleText;
import dev.triagerules.replay.ClosureGate;
import dev.triagerules.replay.TranscriptStore;
import dev.triagerules.report.ReportFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code triage-rules gate}: may this report's incidents be closed? */
@Command(name = "gate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Checks a report's closure rules (reproduced replays, replay fields); exit 3 on violations.",
        description = {
            "Checks the closure rules of a triage report and lists each violation",
            "on stdout. Every incident keeps its replay_command, artifact_refs,",
            "packet_id and mode labels and seed. Every incident critical for closure",
            "(its escalation has replay_transcript_required, as the policy decides",
            "per severity) keeps its linked bead id and artifact paths, and has a",
            "replay (triage-rules replay) with verdict reproduced, made with the",
            "report's own command and seed.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  triage-rules gate --report triage.json",
            "  triage-rules gate --report triage.json --transcripts out/replays",
            "",
            "Exit codes: 0 every rule holds, 3 gate tripped (violations listed),",
            "1 bad report, 2 bad usage.",
        })
public final class GateCommand implements Callable<Integer> {
    static final int TRIPPED = 3;

    @Option(names = "--report", required = true, paramLabel = "REPORT",
            description = "The ft-crash-triage-v1 JSON report (triage-rules --output).")
    Path report;

    @Option(names = "--transcripts", paramLabel = "DIR", defaultValue = "replay-transcripts",
            description = "The transcripts folder of triage-rules replay (default: ${DEFAULT-VALUE}).")
    Path transcripts;

    @CommandLine.Mixin
    QuietOption quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // Each incident checked as it is read: what is kept grows with the violations, not the report.
        TranscriptStore store = new TranscriptStore(transcripts);
        List<ClosureGate.Violation> violations = new ArrayList<>();
        long[] critical = {0};
        int incidents = ReportFile.stream(report, incident -> {
            violations.addAll(ClosureGate.check(incident, store));
            if (incident.needsReplayTranscript()) {
                critical[0]++;
            }
        }).incidentCount();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // Ids, verdicts and reasons come from reports and replay records: shown escaped.
        violations.forEach(violation -> out.println(VisibleText.of(violation.toString())));
        out.flush();
        if (violations.isEmpty()) {
            if (!quiet.quiet) {
                err.printf("gate: ok: %d incident(s), %d critical with a reproduced replay%n", incidents,
                        critical[0]);
            }
            err.flush();
            return 0;
        }
        long incidentsHit = violations.stream().map(ClosureGate.Violation::incident).distinct().count();
        if (!quiet.quiet) {
            err.printf("gate: tripped: %d violation(s) in %d of %d incident(s)%n", violations.size(), incidentsHit,
                    incidents);
        }
        err.flush();
        return TRIPPED;
    }
}
