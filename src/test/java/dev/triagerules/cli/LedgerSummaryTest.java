package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triagerules.LogLines;
import dev.triagerules.history.ReplayEvidence;
import dev.triagerules.ledger.Ledger;
import dev.triagerules.ledger.RunFacts;
import dev.triagerules.ledger.TriagePipeline;
import dev.triagerules.report.TriageReport;
import dev.triagerules.rules.Packs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stderr summary's ledger line: only with a ledger. */
class LedgerSummaryTest {
    @TempDir
    Path tmp;

    @Test
    void theSummarySaysWhatTheLedgerDecided() {
        TriagePipeline.Triaged run = TriagePipeline.triage(Packs.v1(), "e2e.jsonl", List.of(
                LogLines.entry("s1", "fail", "rank_mismatch")), 1_771_300_000_000L);
        TriageReport withLedger;
        try (Ledger ledger = Ledger.open(tmp.resolve("ledger.db").toString())) {
            withLedger = run.report().withLifecycle(ledger.record(RunFacts.of(run.report(), List.of(), run.tallies(),
                    ReplayEvidence.NONE, null), Packs.v1()).lifecycle());
        }
        StringWriter err = new StringWriter();
        SummaryPrinter.print(withLedger, Packs.v1().policy(), "triage.json", new PrintWriter(err));
        assertThat(err.toString().lines().toList().get(1)).isEqualTo("  ledger: 1 new, 0 recurring, 0 regressed,"
                + " 0 resolved");
        StringWriter plain = new StringWriter();
        SummaryPrinter.print(run.report(), Packs.v1().policy(), "triage.json", new PrintWriter(plain));
        assertThat(plain.toString()).doesNotContain("ledger");
    }
}
