package dev.triagerules.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triagerules.LogLines;
import dev.triagerules.base.UserError;
import dev.triagerules.engine.ClassifiedEntry;
import dev.triagerules.engine.RulePack;
import dev.triagerules.input.EntryHandler;
import dev.triagerules.input.EntryOutcome;
import dev.triagerules.input.LogEntry;
import dev.triagerules.input.ReadOptions;
import dev.triagerules.input.RunSource;
import dev.triagerules.input.Selection;
import dev.triagerules.ledger.Ledger;
import dev.triagerules.ledger.LedgerLocation;
import dev.triagerules.ledger.LedgerView;
import dev.triagerules.report.TriageReport;
import dev.triagerules.rules.Packs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one triage pipeline, on real logs and the shipped rules: what the commands build on. */
class TriageServiceTest {
    @TempDir
    Path tmp;

    private Path log(String name, String... lines) {
        return LogLines.write(tmp.resolve(name), List.of(lines));
    }

    private static String fail(String scenario, String reason) {
        return LogLines.entry(scenario, "fail", reason);
    }

    private static String pass(String scenario) {
        return LogLines.entry(scenario, "pass", "ok");
    }

    @Test
    void talliesEachRunAndFoldsAcrossRuns() {
        Path first = log("a.jsonl", fail("s1", "dependency_cycle"), pass("s2"), fail("s1", "dependency_cycle"));
        Path second = log("b.jsonl", pass("s1"), fail("s3", "keyset_conflict"));
        TriageResult result = new TriageService().run(TriageRequest
                .forInputs(List.of(first.toString(), second.toString())).pack(Packs.v1()).build());

        TriageReport report = result.report();
        assertThat(report.totalEntries()).isEqualTo(5);
        assertThat(report.failedEntries()).isEqualTo(3);
        assertThat(report.incidents()).hasSize(2);
        assertThat(report.inputLogPath()).isEqualTo(first.toString());
        assertThat(report.determinism()).as("two runs: verdicts").isNotNull();

        String dependency = report.incidents().get(0).incidentId();
        String keyset = report.incidents().get(1).incidentId();
        assertThat(result.runs()).containsExactly(
                new RunTally(first.toString(), 3, 2, Map.of(dependency, 2L)),
                new RunTally(second.toString(), 2, 1, Map.of(keyset, 1L)));
    }

    @Test
    void aVerdictRuleThatFailsStopsTheTriageAndLeavesTheLedgerUnrecorded() throws IOException {
        Path rules = Files.createDirectories(tmp.resolve("rules"));
        try (var files = Files.list(Path.of("rules"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".drl")).toList()) {
                Files.copy(file, rules.resolve(file.getFileName()));
            }
        }
        // The verdicts are judged while the ledger records the run: the commit waits for them.
        Files.writeString(rules.resolve("flake.drl"), Files.readString(rules.resolve("flake.drl")) + """

                rule "a verdict no policy knows"
                    salience 5000
                when
                    $h : ScenarioHistory( verdict == null )
                then
                    modify( $h ) { judge( drools, "maybe", "a typo in a verdict rule" ) }
                end
                """);
        RulePack pack = RulePack.load(rules, Path.of("policy"));
        LedgerLocation location = LedgerLocation.parse(tmp.resolve("ledger.db").toString());
        TriageRequest.Builder request = TriageRequest.forInputs(List.of(log("a.jsonl", fail("s1", "keyset_conflict"),
                pass("s2")).toString())).pack(pack);

        try (LedgerRecording recording = LedgerRecording.start(location, pack, request.runs(), name -> null)) {
            assertThatThrownBy(() -> new TriageService().run(request.ledger(recording).build()))
                    .isInstanceOf(UserError.class)
                    .hasMessageContaining("rules failed while judging flaky or deterministic")
                    .hasMessageContaining("gives verdict \"maybe\"");
        }
        try (Ledger ledger = Ledger.open(location)) {
            assertThat(ledger.runs()).as("no run recorded").isEmpty();
            assertThat(ledger.incidents(LedgerView.IncidentFilter.ALL)).isEmpty();
        }
    }

    @Test
    void theListenerSeesEveryClassifiedFailureInInputOrder() {
        Path input = log("a.jsonl", fail("s1", "keyset_conflict"), pass("s2"), fail("s3", "dependency_cycle"),
                fail("s4", "oracle_timeout"));
        List<ClassifiedEntry> seen = new ArrayList<>();
        new TriageService().run(TriageRequest.forInputs(List.of(input.toString())).pack(Packs.v1())
                .classified(seen::add).build());
        assertThat(seen).extracting(ClassifiedEntry::lineNumber).containsExactly(1L, 3L, 4L);
        assertThat(seen).extracting(ClassifiedEntry::getCrashClass)
                .containsExactly("dispatch_routing", "autograd_state", "oracle_infra");
    }

    @Test
    void anInvalidLineStopsTheTriageWithItsLocationAndWritesNothing() {
        Path input = log("a.jsonl", fail("s1", "keyset_conflict"), "{\"schema_version\": 3}");
        TriageRequest request = TriageRequest.forInputs(List.of(input.toString())).pack(Packs.v1()).build();
        assertThatThrownBy(() -> new TriageService().run(request))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith(input + ":2:");
    }

    @Test
    void theQuarantineIsWrittenOnlyWhenTheTriageSucceeds() throws IOException {
        Path quarantine = tmp.resolve("q.jsonl");
        Path good = log("a.jsonl", fail("s1", "keyset_conflict"), "not json");
        TriageResult result = new TriageService().run(TriageRequest.forInputs(List.of(good.toString()))
                .pack(Packs.v1()).quarantine(quarantine).build());
        assertThat(result.report().invalidLines()).isEqualTo(1);
        assertThat(Files.readString(quarantine)).contains("\"line\":2").contains("\"raw\":\"not json\"");

        Files.delete(quarantine);
        Path missing = tmp.resolve("missing.jsonl");
        TriageRequest failing = TriageRequest.forInputs(List.of(good.toString(), missing.toString()))
                .pack(Packs.v1()).quarantine(quarantine).build();
        assertThatThrownBy(() -> new TriageService().run(failing)).hasMessage(missing + ": no such file");
        assertThat(quarantine).doesNotExist();
    }

    @Test
    void invalidLinesCanBeSkippedAndCountedWithoutAQuarantine() throws IOException {
        Path input = log("a.jsonl", fail("s1", "keyset_conflict"), "not json", fail("s1", "keyset_conflict"));
        List<Long> lines = new ArrayList<>();
        TriageResult result = new TriageService().run(TriageRequest.forInputs(List.of(input.toString()))
                .pack(Packs.v1()).skipInvalidLines().classified(entry -> lines.add(entry.lineNumber())).build());
        assertThat(result.report().invalidLines()).isEqualTo(1);
        assertThat(result.report().quarantinePath()).isNull();
        assertThat(result.report().failedEntries()).isEqualTo(2);
        assertThat(lines).containsExactly(1L, 3L); // the log's own line numbers, as with a quarantine
        try (var files = Files.list(tmp)) {
            assertThat(files).containsExactly(input); // nothing written
        }
    }

    /** Another input format plugs in as a RunSource: here entries held in memory. */
    private record EntriesInMemory(String name, List<LogEntry> entries) implements RunSource {
        @Override
        public Optional<Path> file() {
            return Optional.empty();
        }

        @Override
        public long sizeHint() {
            return 0;
        }

        @Override
        public long read(Selection selection, ReadOptions options, EntryHandler handler,
                Consumer<EntryOutcome> outcomes) {
            for (int i = 0; i < entries.size(); i++) {
                LogEntry entry = entries.get(i);
                if (entry.failed() || !selection.failuresOnly()) {
                    handler.accept(entry, i + 1);
                }
            }
            return entries.size();
        }
    }

    @Test
    void anyRunSourceCanBeTriaged() {
        RunSource source = new EntriesInMemory("suite.xml", List.of(Packs.failedEntry("keyset_conflict"),
                Packs.failedEntry("keyset_conflict"), Packs.failedEntry("mystery")));
        TriageReport report = new TriageService().run(TriageRequest.forRuns(List.of(source)).pack(Packs.v1())
                .build()).report();
        assertThat(report.inputLogPath()).isEqualTo("suite.xml");
        assertThat(report.failedEntries()).isEqualTo(3);
        assertThat(report.classCounts()).containsExactly(Map.entry("dispatch_routing", 2L),
                Map.entry("unclassified", 1L));
    }
}
