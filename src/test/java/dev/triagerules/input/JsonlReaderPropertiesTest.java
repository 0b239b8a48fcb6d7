package dev.triagerules.input;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.triagerules.base.Unsigned128;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever valid entries are written, in whatever line layout, the reader gives them back exactly. */
class JsonlReaderPropertiesTest {

    @Property(tries = 200)
    void entriesRoundTripThroughAnyLayout(@ForAll("entries") List<LogEntry> entries, @ForAll boolean crlf,
            @ForAll boolean bom, @ForAll boolean finalNewline, @ForAll("blankRuns") List<Integer> blanks,
            @ForAll boolean filterPacket)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (bom) {
            bytes.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        }
        String newline = crlf ? "\r\n" : "\n";
        List<Long> expectedLines = new ArrayList<>();
        long line = 0;
        for (int i = 0; i < entries.size(); i++) {
            for (int b = 0; b < blanks.get(i % blanks.size()); b++) {
                bytes.write((b % 2 == 0 ? "" : " \t").concat(newline).getBytes(StandardCharsets.UTF_8));
                line++;
            }
            bytes.write(json(entries.get(i)).getBytes(StandardCharsets.UTF_8));
            line++;
            expectedLines.add(line);
            if (i < entries.size() - 1 || finalNewline) {
                bytes.write(newline.getBytes(StandardCharsets.UTF_8));
            }
        }
        List<LogEntry> read = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        long count = new JsonlReader("p.jsonl", new ByteArrayInputStream(bytes.toByteArray()))
                .read((entry, n) -> {
                    read.add(entry);
                    lines.add(n);
                });
        assertEquals(entries.size(), count);
        assertEquals(entries, read);
        assertEquals(expectedLines, lines);

        List<LogEntry> failed = new ArrayList<>();
        long parallelCount = new JsonlReader("p.jsonl", new ByteArrayInputStream(bytes.toByteArray()),
                ReadOptions.DEFAULT.withThreads(2))
                .read(Selection.failures(null), (entry, n) -> failed.add(entry));
        assertEquals(entries.size(), parallelCount);
        assertEquals(entries.stream().filter(LogEntry::failed).toList(), failed,
                "the fast path selects exactly the failed entries");

        // With outcomes for run history, and a packet filter: the plain-line scanner and the
        // parser together give what each entry alone says.
        String packet = filterPacket ? entries.get(entries.size() - 1).packetId() : null;
        List<LogEntry> ofPacket = entries.stream().filter(e -> packet == null || packet.equals(e.packetId())).toList();
        List<LogEntry> selected = new ArrayList<>();
        List<Long> selectedLines = new ArrayList<>();
        List<EntryOutcome> outcomes = new ArrayList<>();
        new JsonlReader("p.jsonl", new ByteArrayInputStream(bytes.toByteArray()), ReadOptions.DEFAULT.withThreads(2))
                .read(Selection.failuresWithOutcomes(packet), (entry, n) -> {
                    selected.add(entry);
                    selectedLines.add(n);
                }, outcomes::add);
        assertEquals(ofPacket.stream().filter(LogEntry::failed).toList(), selected);
        List<Long> expectedSelectedLines = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).failed() && ofPacket.contains(entries.get(i))) {
                expectedSelectedLines.add(expectedLines.get(i));
            }
        }
        assertEquals(expectedSelectedLines, selectedLines);
        assertEquals(ofPacket.stream().map(EntryOutcome::of).toList(), outcomes);
    }

    @Provide
    Arbitrary<List<Integer>> blankRuns() {
        return Arbitraries.integers().between(0, 2).list().ofMinSize(1).ofMaxSize(5);
    }

    @Provide
    Arbitrary<List<LogEntry>> entries() {
        // Any text (escaped, non-ASCII: the parser's lines) or plain text (the scanner's).
        Arbitrary<String> anyText = Arbitraries.strings().all().ofMaxLength(12)
                .filter(s -> s.chars().noneMatch(c -> Character.isSurrogate((char) c)));
        Arbitrary<String> plainText = Arbitraries.strings().withCharRange(' ', '~').excludeChars('"', '\\')
                .ofMaxLength(12);
        return Arbitraries.oneOf(entry(anyText), entry(plainText)).list().ofMinSize(1).ofMaxSize(20);
    }

    private static Arbitrary<LogEntry> entry(Arbitrary<String> text) {
        Arbitrary<Long> u64 = Arbitraries.longs();
        Arbitrary<Unsigned128> u128 = Arbitraries.oneOf(Arbitraries.longs().map(Unsigned128::of),
                Arbitraries.bigIntegers().between(BigInteger.ZERO, Unsigned128.MAX).map(Unsigned128::of));
        Arbitrary<String> outcome = Arbitraries.of("pass", "fail", "error", "Pass", "");
        Arbitrary<String> packet = Arbitraries.oneOf(text, Arbitraries.of("FT-P2C-001", "FT-P2C-002"));
        return Combinators.combine(
                Combinators.combine(text, u128, text, text, text, packet, text, u64).as(Fields::new),
                Combinators.combine(text, text.list().ofMaxSize(3), text, outcome, text).as(Rest::new))
                .as((f, r) -> new LogEntry(f.schema, f.ts, f.suite, f.scenario, f.fixture, f.packet, f.mode, f.seed,
                        r.env, r.refs, r.replay, r.outcome, r.reason));
    }

    record Fields(String schema, Unsigned128 ts, String suite, String scenario, String fixture, String packet, String mode,
            long seed) {
    }

    record Rest(String env, List<String> refs, String replay, String outcome, String reason) {
    }

    static String json(LogEntry e) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("extra_before", "ignored");
            g.writeStringField("schema_version", e.schemaVersion());
            g.writeFieldName("ts_unix_ms");
            g.writeNumber(e.tsUnixMs().toString());
            g.writeStringField("suite_id", e.suiteId());
            g.writeStringField("scenario_id", e.scenarioId());
            g.writeStringField("fixture_id", e.fixtureId());
            g.writeStringField("packet_id", e.packetId());
            g.writeStringField("mode", e.mode());
            g.writeFieldName("seed");
            g.writeNumber(Long.toUnsignedString(e.seed()));
            g.writeStringField("env_fingerprint", e.envFingerprint());
            g.writeArrayFieldStart("artifact_refs");
            for (String ref : e.artifactRefs()) {
                g.writeString(ref);
            }
            g.writeEndArray();
            g.writeStringField("replay_command", e.replayCommand());
            g.writeStringField("outcome", e.outcome());
            g.writeStringField("reason_code", e.reasonCode());
            g.writeObjectFieldStart("extra_after");
            g.writeNumberField("n", 1.5);
            g.writeEndObject();
            g.writeEndObject();
        }
        return out.toString();
    }
}
