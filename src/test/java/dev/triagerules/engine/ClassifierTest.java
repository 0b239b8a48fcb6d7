package dev.triagerules.engine;

import dev.triagerules.base.Unsigned128;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.triagerules.input.LogEntry;
import dev.triagerules.rules.Packs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassifierTest {
    private static LogEntry entry(String reasonCode, long seed, String env) {
        return new LogEntry("ft-conformance-log-v1", Unsigned128.of(1000 + seed), "suite", "scenario", "f.json", "FT-P2C-001",
                "strict", seed, env, List.of("a.json"), "replay", "fail", reasonCode);
    }

    private static List<ClassifiedEntry> run(List<LogEntry> entries, int batchSize) {
        List<ClassifiedEntry> out = new ArrayList<>();
        Classifier classifier = new Classifier(Packs.v1(), batchSize, out::add);
        for (int i = 0; i < entries.size(); i++) {
            classifier.accept(entries.get(i), 10 + i);
        }
        classifier.flush();
        return out;
    }

    @Test
    void everyEntryComesBackInOrderWithItsLineAndClass() {
        String[] codes = {"oracle_timeout", "keyset_conflict", "mystery", "Dispatch_Error"};
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            entries.add(entry(codes[i % codes.length], i, "det64:1"));
        }
        List<ClassifiedEntry> classified = run(entries, 3);

        assertEquals(entries.size(), classified.size());
        for (int i = 0; i < entries.size(); i++) {
            assertSame(entries.get(i), classified.get(i).entry(), "the entry itself, seed and timestamp included");
            assertEquals(10 + i, classified.get(i).lineNumber());
            assertEquals(Packs.classifyWith(Packs.v1(), codes[i % codes.length]), classified.get(i).getCrashClass());
        }
    }

    @Test
    void everyEntryKeepsTheFileItsLineIsIn() {
        List<ClassifiedEntry> out = new ArrayList<>();
        Classifier classifier = new Classifier(Packs.v1(), 2, out::add);
        String log = "run.jsonl";
        classifier.startRun(log);
        classifier.accept(entry("oracle_timeout", 1, "det64:1"), 7);
        classifier.startRun("reports");
        classifier.accept(entry("oracle_timeout", 2, "det64:1"), "reports/TEST-a.xml", 135);
        classifier.accept(entry("mystery", 3, "det64:1"), "reports/TEST-b.xml", 40);
        classifier.flush();

        assertSame(log, out.get(0).file(), "a one-file run's entries share its name: no object each");
        assertEquals(7, out.get(0).lineNumber());
        assertEquals("reports/TEST-a.xml", out.get(1).file());
        assertEquals(135, out.get(1).lineNumber());
        assertEquals("reports/TEST-b.xml", out.get(2).file());
        assertEquals(40, out.get(2).lineNumber());
    }

    @Test
    void equalFailuresAreClassifiedOnceEvenAcrossBatches() {
        List<ClassifiedEntry> classified = run(List.of(entry("oracle_timeout", 1, "det64:1"),
                entry("keyset_conflict", 2, "det64:1"), entry("oracle_timeout", 3, "det64:1"),
                entry("oracle_timeout", 4, "det64:2")), 2);

        assertSame(classified.get(0).incident(), classified.get(2).incident(),
                "seed and timestamp are invisible to the rules: one classification serves both");
        assertNotSame(classified.get(0).incident(), classified.get(3).incident(),
                "the environment fingerprint is visible to the rules: classified on its own");
        assertEquals(classified.get(0).incidentId(), classified.get(3).incidentId());
    }
}
