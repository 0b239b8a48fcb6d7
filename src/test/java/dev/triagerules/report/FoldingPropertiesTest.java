package dev.triagerules.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.triagerules.base.Unsigned128;
import dev.triagerules.engine.Classifier;
import dev.triagerules.engine.RulePack;
import dev.triagerules.input.LogEntry;
import dev.triagerules.rules.Packs;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Folding does not depend on the order of entries, except which entry's replay fields an
 * incident keeps (the first); counts add up.
 */
class FoldingPropertiesTest {

    @Property(tries = 60)
    void orderChangesOnlyTheKeptFields(@ForAll("failures") List<LogEntry> entries, @ForAll long shuffleSeed) {
        RulePack pack = Packs.v1();
        TriageReport inOrder = fold(pack, entries);
        List<LogEntry> shuffled = new ArrayList<>(entries);
        Collections.shuffle(shuffled, new Random(shuffleSeed));
        TriageReport reordered = fold(pack, shuffled);

        assertEquals(summary(inOrder), summary(reordered));
        assertEquals(inOrder.classCounts(), reordered.classCounts());
        assertEquals(entries.size(), inOrder.failedEntries());
        assertEquals(entries.size(), inOrder.incidents().stream().mapToLong(FoldedIncident::occurrences).sum());
        assertEquals(entries.size(), inOrder.classCounts().values().stream().mapToLong(Long::longValue).sum());
        for (FoldedIncident incident : inOrder.incidents()) {
            LogEntry kept = incident.first().entry();
            LogEntry firstOfKey = entries.stream().filter(e -> sameKey(e, kept)).findFirst().orElseThrow();
            assertEquals(firstOfKey, kept, "an incident keeps its first entry's fields");
            BigInteger latest = entries.stream().filter(e -> sameKey(e, kept))
                    .map(e -> e.tsUnixMs().toBigInteger()).max(BigInteger::compareTo).orElseThrow();
            assertEquals(latest.toString(), incident.lastSeenUnixMs().toString(),
                    "last seen is the largest timestamp, compared as unsigned 128-bit numbers");
        }
    }

    private static List<String> summary(TriageReport report) {
        return report.incidents().stream().map(i -> i.incidentId() + " " + i.occurrences() + " "
                + i.lastSeenUnixMs()).collect(Collectors.toList());
    }

    private static boolean sameKey(LogEntry a, LogEntry b) {
        return a.packetId().equals(b.packetId()) && a.suiteId().equals(b.suiteId())
                && a.scenarioId().equals(b.scenarioId()) && a.mode().equals(b.mode())
                && a.reasonCode().equals(b.reasonCode());
    }

    private static TriageReport fold(RulePack pack, List<LogEntry> entries) {
        ReportBuilder builder = new ReportBuilder(pack.policy());
        builder.countEntries(entries.size());
        // Small batches: equal failures in later batches reuse the first one's incident.
        Classifier classifier = new Classifier(pack, 7, builder::add);
        for (int i = 0; i < entries.size(); i++) {
            classifier.accept(entries.get(i), i + 1);
        }
        classifier.flush();
        return builder.build(0, "p.jsonl", null, null);
    }

    @Provide
    Arbitrary<List<LogEntry>> failures() {
        Arbitrary<String> packet = Arbitraries.of("FT-P2C-001", "FT-P2C-002");
        Arbitrary<String> scenario = Arbitraries.of("s1", "s2", "s3");
        Arbitrary<String> mode = Arbitraries.of("strict", "hardened");
        Arbitrary<String> reason = Arbitraries.of("keyset_conflict", "oracle_dispatch_error", "decode_failure",
                "mystery", "Scheduler_Queue_Stall");
        // Timestamps across the whole unsigned 128-bit range, many near each other (ties, one
        // long's worth apart) so that comparing only one half would show.
        Arbitrary<Unsigned128> ts = Arbitraries.oneOf(
                Arbitraries.longs().map(Unsigned128::of),
                Arbitraries.bigIntegers().between(BigInteger.ZERO, Unsigned128.MAX).map(Unsigned128::of),
                Combinators.combine(Arbitraries.longs().between(0, 2), Arbitraries.longs().between(-2, 2))
                        .as(Unsigned128::new));
        Arbitrary<Long> seed = Arbitraries.longs();
        return Combinators.combine(packet, scenario, mode, reason, ts, seed)
                .as((p, s, m, r, t, sd) -> new LogEntry("v1", t, "suite", s, "fx", p, m, sd, "env",
                        List.of("ref-" + sd), "replay " + sd, "fail", r))
                .list().ofMinSize(1).ofMaxSize(40);
    }
}
