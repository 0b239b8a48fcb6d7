package dev.triagerules.html;

import dev.triagerules.LogLines;
import dev.triagerules.history.ReplayEvidence;
import dev.triagerules.ledger.Ledger;
import dev.triagerules.ledger.RunFacts;
import dev.triagerules.ledger.TriagePipeline;
import dev.triagerules.report.JsonReportWriter;
import dev.triagerules.report.TriageReport;
import dev.triagerules.rules.Packs;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real SQLite ledger of six nightly runs of the bundled pack, each triaged and recorded
 * the way the main command does, and the last run's JSON report with its lifecycle. The
 * runs are scripted so that every lifecycle status and every class count moves (the
 * policy resolves an incident after 3 passing runs of its scenario):
 *
 * <pre>
 * run  s1 autograd  s2 serialization  s3 dispatch  s4 oracle  s5 tensor_meta   new regressed resolved open
 *  1   fail         fail              fail         -          -                 3      0        0      3
 *  2   fail         pass              fail         -          -                 0      0        0      3
 *  3   fail         pass              pass         fail       -                 1      0        0      4
 *  4   fail         pass              pass         pass       -                 0      0        1 (s2) 3
 *  5   fail         fail              pass         pass       -                 0      1 (s2)   1 (s3) 3
 *  6   pass         pass              pass         pass       fail              1      0        1 (s4) 3
 * </pre>
 */
public final class LedgerRuns {
    /** Run {@code n} was recorded at {@code T0 + n} days. */
    public static final long T0 = 1_771_000_000_000L;
    public static final long DAY = 86_400_000L;
    /** Per run: new, regressed, resolved, open (the table above). */
    public static final long[][] COUNTS = {{3, 0, 0, 3}, {0, 0, 0, 3}, {1, 0, 0, 4}, {0, 0, 1, 3}, {0, 1, 1, 3},
        {1, 0, 1, 3}};
    private static final String[][] SCRIPT = {
        {"fail", "fail", "fail", null, null},
        {"fail", "pass", "fail", null, null},
        {"fail", "pass", "pass", "fail", null},
        {"fail", "pass", "pass", "pass", null},
        {"fail", "fail", "pass", "pass", null},
        {"pass", "pass", "pass", "pass", "fail"}};
    private static final String[] REASONS = {"dependency_cycle_detected", "decode_failure", "dispatch_key_mismatch",
        "legacy_oracle_unavailable", "tensor_meta_rank_mismatch"};

    /** The ledger and the last run's report, as files. */
    public record Made(Path ledger, Path report, TriageReport lastReport) {
    }

    private LedgerRuns() {
    }

    public static Made make(Path dir) {
        Path ledger = dir.resolve("triage-ledger.db");
        TriageReport last = null;
        for (int run = 1; run <= SCRIPT.length; run++) {
            List<String> lines = new ArrayList<>();
            for (int s = 0; s < REASONS.length; s++) {
                String outcome = SCRIPT[run - 1][s];
                if (outcome != null) {
                    lines.add(LogLines.entry("FT-P2C-00" + (s + 1), "s" + (s + 1), "strict", outcome,
                            "fail".equals(outcome) ? REASONS[s] : "parity_ok", 7));
                }
            }
            TriagePipeline.Triaged triaged = TriagePipeline.triage(Packs.v1(), "nightly-" + run + ".jsonl", lines,
                    T0 + run * DAY);
            try (Ledger opened = Ledger.open(ledger.toString())) {
                Ledger.RecordedRun recorded = opened.record(RunFacts.of(triaged.report(), List.of(
                        new RunFacts.InputFile("nightly-" + run + ".jsonl", "00".repeat(32))), triaged.tallies(),
                        ReplayEvidence.NONE, new RunFacts.CiFacts("c0ffee" + run + "0123456789", "main", null)),
                        Packs.v1());
                last = triaged.report().withLifecycle(recorded.lifecycle());
            }
        }
        Path report = dir.resolve("triage.json");
        try (OutputStream out = Files.newOutputStream(report)) {
            JsonReportWriter.write(last, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Made(ledger, report, last);
    }
}
