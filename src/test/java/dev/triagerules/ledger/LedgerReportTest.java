package dev.triagerules.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triagerules.history.ReplayEvidence;
import dev.triagerules.report.JsonReportWriter;
import dev.triagerules.report.MarkdownSummary;
import dev.triagerules.report.TriageReport;
import dev.triagerules.rules.Packs;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a ledger adds to the JSON report, the Markdown summary and the stderr summary. */
class LedgerReportTest {
    @TempDir
    Path tmp;

    private static String json(TriageReport report) throws Exception {
        StringWriter out = new StringWriter();
        JsonReportWriter.write(report, out);
        return out.toString();
    }

    @Test
    void lifecycleKeysComeLastAndOnlyWithALedger() throws Exception {
        String ledger = LedgerDatabases.sqlite(tmp);
        LedgerContractTest.record(ledger, 1, List.of(LedgerContractTest.fail("s1", "rank_mismatch"),
                LedgerContractTest.fail("s2", "decode_failure")));
        LedgerContractTest.record(ledger, 2, List.of(LedgerContractTest.fail("s1", "rank_mismatch"),
                LedgerContractTest.pass("s2")));
        LedgerContractTest.record(ledger, 3, List.of(LedgerContractTest.fail("s1", "rank_mismatch"),
                LedgerContractTest.pass("s2")));
        TriagePipeline.Triaged run = TriagePipeline.triage(Packs.v1(), "e2e.jsonl", List.of(
                LedgerContractTest.fail("s1", "rank_mismatch"), LedgerContractTest.pass("s2"),
                LedgerContractTest.fail("s9", "rank_mismatch")), LedgerContractTest.T0 + 4);
        Ledger.RecordedRun recorded;
        try (Ledger opened = Ledger.open(ledger)) {
            recorded = opened.record(RunFacts.of(run.report(), List.of(), run.tallies(), ReplayEvidence.NONE, null),
                    Packs.v1());
        }
        String plain = json(run.report());
        assertThat(plain).doesNotContain("\"lifecycle\":").doesNotContain("\"lifecycle_counts\":")
                .doesNotContain("\"resolved_incidents\":");
        TriageReport withLedger = run.report().withLifecycle(recorded.lifecycle());
        JsonNode report = new ObjectMapper().readTree(json(withLedger));
        List<String> keys = new ArrayList<>();
        report.fieldNames().forEachRemaining(keys::add);
        assertThat(keys.subList(keys.size() - 2, keys.size())).containsExactly("lifecycle_counts",
                "resolved_incidents");
        assertThat(report.path("resolved_incidents").toString()).isEqualTo("[\"" + LedgerContractTest.incidentId("s2",
                "decode_failure") + "\"]");
        assertThat(report.path("lifecycle_counts").toString())
                .isEqualTo("{\"new\":1,\"recurring\":1,\"regressed\":0,\"resolved\":1}");
        for (JsonNode incident : report.path("incidents")) {
            List<String> incidentKeys = new ArrayList<>();
            incident.fieldNames().forEachRemaining(incidentKeys::add);
            assertThat(incidentKeys.get(incidentKeys.size() - 1)).isEqualTo("lifecycle");
        }
        JsonNode recurring = report.path("incidents").findParents("scenario_id").stream()
                .filter(i -> i.path("scenario_id").asText().equals("s1")).findFirst().orElseThrow();
        assertThat(recurring.path("lifecycle").toString()).isEqualTo("{\"status\":\"recurring\","
                + "\"previous_status\":\"recurring\",\"status_changed_unix_ms\":" + (LedgerContractTest.T0 + 2)
                + ",\"first_seen_unix_ms\":" + (LedgerContractTest.T0 + 1) + ",\"last_seen_unix_ms\":"
                + (LedgerContractTest.T0 + 4) + ",\"runs_seen\":4,\"opened_in_run\":false,"
                + "\"rule\":\"recurring: seen again\","
                + "\"reason\":\"seen in 4 recorded runs\"}");
        // Everything but the ledger's keys is the report without a ledger, byte for byte.
        String withLedgerText = json(withLedger);
        assertThat(withLedgerText.replaceAll(",\\n\\s*\"lifecycle\": \\{[^}]*\\}", "")
                .replaceAll(",\\n  \"lifecycle_counts\": \\{[^}]*\\},\\n  \"resolved_incidents\": \\[[^\\]]*\\]", ""))
                .isEqualTo(plain);

        assertThat(MarkdownSummary.render(withLedger, Packs.v1().policy()))
                .contains("\n\nLedger: 1 new, 1 recurring, 0 regressed, 1 resolved.\n\n");
        assertThat(MarkdownSummary.render(run.report(), Packs.v1().policy())).doesNotContain("Ledger");
    }
}
