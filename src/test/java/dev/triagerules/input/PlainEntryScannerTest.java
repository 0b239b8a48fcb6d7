package dev.triagerules.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.triagerules.base.Unsigned128;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scanner may only ever read a line the parser accepts, into the entry the parser
 * builds: it is what lets the reader skip the parser for most lines of a large log.
 */
class PlainEntryScannerTest {
    private static final String FIELDS = "\"schema_version\":\"ft-conformance-log-v1\",\"ts_unix_ms\":1771275651615,"
            + "\"suite_id\":\"tensor_meta\",\"scenario_id\":\"tensor_meta/strict:case_25\","
            + "\"fixture_id\":\"f.json\",\"packet_id\":\"FT-P2C-004\",\"mode\":\"strict\","
            + "\"seed\":1957215753470862131,\"env_fingerprint\":\"det64:daa66d2c7ddf743f\","
            + "\"artifact_refs\":[\"a.json\",\"b.json\"],\"replay_command\":\"cargo run -- --mode strict\",";
    private static final String U128_MAX = "340282366920938463463374607431768211455";
    private static final String PASSING = "{" + FIELDS + "\"outcome\":\"pass\",\"reason_code\":\"parity_ok\"}";

    static Stream<String> provable() {
        return Stream.of(
        PASSING,
        "  " + PASSING + " \t\r",
        "{ \"extra\" : [1, -2.5e+3, 0, true, false, null, {\"a\": {}}, [], \"x\"] , " + FIELDS
            + "\"outcome\":\"pass\",\"reason_code\":\"\"}",
        "{\"seed\":18446744073709551615," + "\"outcome\":\"pass\"," + FIELDS.replace("\"seed\":1957215753470862131,", "")
            + "\"reason_code\":\"r\"}",
        "{" + FIELDS.replace("1771275651615", U128_MAX) + "\"outcome\":\"pass\",\"reason_code\":\"r\"}",
        "{" + FIELDS + "\"outcome\":\"pass\",\"reason_code\":\"r\",\"extra\":1,\"extra\":2}",
        "{" + FIELDS + "\"outcome\":\"pass\",\"reason_code\":\"caf\u00e9 \u4e2d \ud83d\ude00\"}",
        "{" + FIELDS + "\"outcome\":\"pass\",\"reason_code\":\"\\\"quoted\\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u00e9\"}",
        "{\"extra\":{\"k\\u0074\\\"\":\"\\u00e9\"}," + FIELDS + "\"outcome\":\"pass\",\"reason_code\":\"r\"}");
    }

    @ParameterizedTest
    @MethodSource("provable")
    void readsThePlainPassingLines(String line) {
        assertEquals(bytes(line), scan(line), line);
        assertNull(scanned(line), "a passing line builds nothing");
        assertEquals("pass", parse(line).outcome());
    }

    static Stream<String> plainFailures() {
        return Stream.of(
            "{" + FIELDS + "\"outcome\":\"fail\",\"reason_code\":\"Dispatch_Keyset\"}",
            "{" + FIELDS.replace("1771275651615", U128_MAX) + "\"outcome\":\"fail\",\"reason_code\":\"r\"}",
            "{" + FIELDS.replace("1771275651615", "18446744073709551616") + "\"outcome\":\"fail\",\"reason_code\":\"r\"}",
            "{" + FIELDS.replace("1771275651615", "999999999999999999") + "\"outcome\":\"fail\",\"reason_code\":\"r\"}",
            "{" + FIELDS.replace("1771275651615", "1000000000000000000") + "\"outcome\":\"fail\",\"reason_code\":\"r\"}",
            "{" + FIELDS + "\"outcome\":\"Pass\",\"reason_code\":\"r\"}",
            "{" + FIELDS + "\"outcome\":\"\",\"reason_code\":\"\"}",
            "{" + FIELDS + "\"outcome\":\"\u00e9chec\",\"reason_code\":\"caf\u00e9 \ud83d\ude00\"}",
            "{" + FIELDS + "\"outcome\":\"fail\",\"reason_code\":\"r\",\"extra\":\"\\u00e9\\n\"}",
            "{" + FIELDS.replace("[\"a.json\",\"b.json\"]", "[]").replace("1957215753470862131", "18446744073709551615")
                + "\"outcome\":\"error\",\"reason_code\":\"r\", \"extra\": {\"outcome\": \"pass\"}}");
    }

    @ParameterizedTest
    @MethodSource("plainFailures")
    void buildsPlainFailuresAsTheParserDoes(String line) {
        assertEquals(bytes(line), scan(line), line);
        assertEquals(parse(line), scanned(line));
    }

    static Stream<String> unprovable() {
        return Stream.of(
        // valid, but with an escape where the scanner would have to decode it
        "{" + FIELDS + "\"outcome\":\"p\\u0061ss\",\"reason_code\":\"r\"}",
        "{" + FIELDS + "\"outcome\":\"fail\",\"reason_code\":\"caf\\u00e9\"}",
        "{\"outc\\u006fme\":\"fail\"," + FIELDS + "\"outcome\":\"pass\",\"reason_code\":\"r\"}",
        // a surrogate escape: the parser judges its pairing
        "{" + FIELDS + "\"outcome\":\"pass\",\"reason_code\":\"\\ud83d\\ude00\"}",
        // invalid: the parser must report these
        "{" + FIELDS + "\"outcome\":\"pass\"}",
        "{" + FIELDS + "\"outcome\":\"pass\",\"reason_code\":\"r\",\"mode\":\"strict\"}",
        "{" + FIELDS + "\"outcome\":\"pass\",\"reason_code\":\"r\"} x",
        "{" + FIELDS + "\"outcome\":\"pass\",\"reason_code\":\"r\"}{}",
        "{" + FIELDS + "\"outcome\":\"pass\",\"reason_code\":\"r\",}",
        "{" + FIELDS + "\"outcome\":\"pass\",\"reason_code\":null}",
        "{" + FIELDS + "\"outcome\":\"pass\",\"reason_code\":\"r\",\"extra\":01}",
        "{" + FIELDS + "\"outcome\":\"pass\",\"reason_code\":\"r\",\"extra\":1.}",
        "{" + FIELDS + "\"outcome\":\"pass\",\"reason_code\":\"r\",\"extra\":tru}",
        "{" + FIELDS + "\"outcome\":\"pass\",\"reason_code\":\"r\",\"extra\":[1,]}",
        "{" + FIELDS + "\"outcome\":\"pass\",\"reason_code\":\"r\",\"extra\":\"tab\there\"}",
        "{" + FIELDS + "\"outcome\":\"pass\",\"reason_code\":\"r\",\"extra\":\"\\x\"}",
        "{" + FIELDS + "\"outcome\":\"pass\",\"reason_code\":\"r\",\"extra\":\"\\u12g4\"}",
        "{" + FIELDS + "\"outcome\":\"pass\",\"reason_code\":\"r\",\"extra\":\"\\u12\"}",
        "{" + FIELDS.replace("1957215753470862131", "18446744073709551616") + "\"outcome\":\"pass\",\"reason_code\":\"r\"}",
        "{" + FIELDS.replace("1957215753470862131", "1.0") + "\"outcome\":\"pass\",\"reason_code\":\"r\"}",
        "{" + FIELDS.replace("1957215753470862131", "-1") + "\"outcome\":\"pass\",\"reason_code\":\"r\"}",
        "{" + FIELDS.replace("1957215753470862131", "01") + "\"outcome\":\"pass\",\"reason_code\":\"r\"}",
        "{" + FIELDS.replace("1957215753470862131", "-0") + "\"outcome\":\"pass\",\"reason_code\":\"r\"}",
        "{" + FIELDS.replace("1771275651615", "-0") + "\"outcome\":\"pass\",\"reason_code\":\"r\"}",
        "{" + FIELDS.replace("1771275651615", "340282366920938463463374607431768211456")
            + "\"outcome\":\"pass\",\"reason_code\":\"r\"}",
        "{" + FIELDS.replace("1771275651615", "1" + U128_MAX) + "\"outcome\":\"pass\",\"reason_code\":\"r\"}",
        "{" + FIELDS.replace("[\"a.json\",\"b.json\"]", "[\"a.json\",1]") + "\"outcome\":\"pass\",\"reason_code\":\"r\"}",
        "[" + PASSING + "]",
        "",
        "   ");
    }

    @ParameterizedTest
    @MethodSource("unprovable")
    void leavesEverythingElseToTheParser(String line) {
        assertEquals(PlainEntryScanner.UNSURE, scan(line), line);
    }

    @ParameterizedTest
    @ValueSource(strings = {"C0AF", "C1BF", "E08080", "EDA080", "F08080", "F4908080", "F5808080", "80", "BF", "C3",
        "E282", "F09F98", "FF"})
    void leavesIllFormedUtf8ToTheParser(String hex) {
        byte[] line = withReasonCodeBytes(HexFormat.of().parseHex(hex));
        assertEquals(PlainEntryScanner.UNSURE, new PlainEntryScanner(line, line.length, null, false).scan(0), hex);
    }

    @ParameterizedTest
    @ValueSource(strings = {"C280", "DFBF", "E0A080", "ED9FBF", "EE8080", "EFBFBF", "F0908080", "F48FBFBF"})
    void readsWellFormedUtf8(String hex) {
        byte[] line = withReasonCodeBytes(HexFormat.of().parseHex(hex));
        assertEquals(line.length, new PlainEntryScanner(line, line.length, null, false).scan(0), hex);
        assertEquals("pass", EntryParser.parse(line, 0, line.length).outcome());
    }

    private static byte[] withReasonCodeBytes(byte[] reasonCode) {
        byte[] head = ("{" + FIELDS + "\"outcome\":\"pass\",\"reason_code\":\"x").getBytes(StandardCharsets.UTF_8);
        byte[] line = java.util.Arrays.copyOf(head, head.length + reasonCode.length + 3);
        System.arraycopy(reasonCode, 0, line, head.length, reasonCode.length);
        line[line.length - 3] = 'y';
        line[line.length - 2] = '"';
        line[line.length - 1] = '}';
        return line;
    }

    @ParameterizedTest
    @ValueSource(ints = {99, 100, 101, 150})
    void leavesDeepNestingToTheParser(int depth) {
        String line = "{\"deep\":" + "[".repeat(depth) + "]".repeat(depth) + "," + PASSING.substring(1);
        int end = scan(line);
        if (end != PlainEntryScanner.UNSURE) {
            assertEquals("pass", parse(line).outcome());
        }
        assertEquals(depth < 100, end != PlainEntryScanner.UNSURE, "depth " + depth);
    }

    @Property(tries = 300)
    void stopsAtTheNewlineOfItsLine(@ForAll("plainLines") String line, @ForAll boolean crlf) {
        if (!readable(line)) {
            return;
        }
        String next = "{\"not\":\"scanned\"}\n";
        byte[] bytes = (line + (crlf ? "\r\n" : "\n") + next).getBytes(StandardCharsets.UTF_8);
        int end = new PlainEntryScanner(bytes, bytes.length, null, false).scan(0);
        assertEquals(bytes(line) + (crlf ? 1 : 0), end);
        assertEquals('\n', bytes[end]);
    }

    /**
     * Every line the scanner reads, the parser accepts, with the same entry (null for a
     * passing one): generated lines and random edits of their bytes, which may break the
     * JSON, the UTF-8 (overlong forms, surrogates, beyond U+10FFFF) or a number ({@code -0}).
     */
    @Property(tries = 1000)
    void readsOnlyWhatTheParserAccepts(@ForAll("plainLines") String line, @ForAll("edits") List<Edit> edits) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        for (Edit edit : edits) {
            bytes = edit.applyTo(bytes);
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1); // bytes shown one char each
        if (scan(bytes) == PlainEntryScanner.UNSURE) {
            return;
        }
        LogEntry parsed;
        try {
            parsed = EntryParser.parse(bytes, 0, bytes.length);
        } catch (EntryParser.LineError e) {
            fail("the scanner read a line the parser rejects (" + e.getMessage() + "): " + text);
            return;
        }
        assertEquals(parsed.failed() ? parsed : null, scanned(bytes), text);
        EntryOutcome outcome = scannedOutcome(bytes);
        if (outcome != null) {
            assertEquals(parserOutcome(bytes), outcome, "the outcome record for run history: " + text);
        }
    }

    /**
     * Upstream reads the log as UTF-8 text first: a line that is not well-formed UTF-8 (as the
     * JDK's strict decoder judges it) is refused by the parser, and never read by the scanner.
     */
    @Property(tries = 1000)
    void refusesEveryLineThatIsNotUtf8(@ForAll("plainLines") String line, @ForAll("edits") List<Edit> edits) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        for (Edit edit : edits) {
            bytes = edit.applyTo(bytes);
        }
        if (wellFormedUtf8(bytes)) {
            return;
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        assertEquals(PlainEntryScanner.UNSURE, scan(bytes), text);
        byte[] edited = bytes;
        EntryParser.LineError error = assertThrows(EntryParser.LineError.class,
                () -> EntryParser.parse(edited, 0, edited.length), text);
        assertTrue(error.getMessage().startsWith("invalid UTF-8"),
                error.getMessage() + ": " + text);
    }

    private static boolean wellFormedUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Generated lines in varied layouts are read (the fast path is actually taken) unless a failure has an escape. */
    @Property(tries = 300)
    void readsGeneratedPlainLines(@ForAll("plainLines") String line) {
        LogEntry parsed = parse(line);
        if (!readable(line)) {
            assertEquals(PlainEntryScanner.UNSURE, scan(line), line);
            return;
        }
        assertEquals(bytes(line), scan(line), line);
        assertEquals(parsed.failed() ? parsed : null, scanned(line));
        EntryOutcome outcome = scannedOutcome(line);
        if (outcome != null || !line.contains("\\")) {
            assertEquals(parserOutcome(line), outcome, "without escapes a verdict run reads the line too");
        }
    }

    /** Inserts, deletes or replaces bytes at a position (taken modulo the length). */
    record Edit(int position, int kind, byte[] insert) {
        byte[] applyTo(byte[] text) {
            int at = Math.floorMod(position, text.length + 1);
            int removed = kind == 0 || at == text.length ? 0 : 1;
            byte[] out = new byte[text.length - removed + (kind == 1 ? 0 : insert.length)];
            System.arraycopy(text, 0, out, 0, at);
            int after = at;
            if (kind != 1) {
                System.arraycopy(insert, 0, out, at, insert.length);
                after += insert.length;
            }
            System.arraycopy(text, at + removed, out, after, text.length - at - removed);
            return out;
        }

        @Override
        public String toString() {
            return "Edit[" + position + ", " + kind + ", " + HexFormat.of().formatHex(insert) + "]";
        }
    }

    @Provide
    Arbitrary<List<Edit>> edits() {
        Arbitrary<byte[]> chars = Arbitraries.of('"', '\\', ',', ':', '{', '}', '[', ']', ' ', '0', '1', '9', '-',
                '.', 'e', 'E', '+', 'a', 't', 'n', '\t', '\r', '\u0001', '\u007f', '\u00e9')
                .map(c -> String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        // Ill-formed UTF-8 that a lax decoder would take: overlong forms of '/', NUL and
        // U+0000..U+FFFF, an encoded surrogate, a code point above U+10FFFF, a lone
        // continuation byte, a cut-off sequence; and a number upstream refuses.
        Arbitrary<byte[]> sequences = Arbitraries.of("C0AF", "C080", "C1BF", "E080AF", "F08080AF", "EDA080",
                "EDBFBF", "F4908080", "F5808080", "80", "E282", "FF", "2D30").map(HexFormat.of()::parseHex);
        Arbitrary<Edit> edit = Combinators.combine(Arbitraries.integers().between(0, 2000),
                Arbitraries.integers().between(0, 2), Arbitraries.frequencyOf(
                        Tuple.of(4, chars),
                        Tuple.of(1, sequences))).as(Edit::new);
        return edit.list().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<String> plainLines() {
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '~').excludeChars('"', '\\').ofMaxLength(30),
                Arbitraries.strings().withChars("ab/\"\\\t\u0001\u007f\u00e9\u4e2d").ofMaxLength(8),
                Arbitraries.of("\ud83d\ude00", "x\ud83d\ude00y"))
                .flatMap(raw -> Arbitraries.of(false, true).map(escapeAll -> json(raw, escapeAll)));
        Arbitrary<String> space = Arbitraries.of("", "", " ", "\t", "  ");
        Arbitrary<String> extra = Arbitraries.of("1", "-0.5e-7", "true", "null", "\"x\"", "[]", "{}",
                "[1,{\"a\":[true,{}]}]", "{\"outcome\":\"fail\",\"seed\":-1}");
        Arbitrary<List<String>> extras = extra.list().ofMaxSize(3);
        Arbitrary<Long> u64 = Arbitraries.longs();
        // Timestamps are unsigned 128-bit: mostly what fits a long, sometimes far beyond.
        Arbitrary<String> u128 = Arbitraries.frequencyOf(
                Tuple.of(3, u64.map(Long::toUnsignedString)),
                Tuple.of(1, Arbitraries.bigIntegers().between(BigInteger.ZERO,
                        Unsigned128.MAX).map(Object::toString)),
                Tuple.of(1, Arbitraries.of("18446744073709551616", "999999999999999999",
                        "1000000000000000000", U128_MAX)));
        Arbitrary<String> outcome = Arbitraries.of("pass", "pass", "fail", "error", "Pass", "");
        Arbitrary<Row> row = Combinators.combine(text, text, u128, u64, outcome).as(Row::new);
        return Combinators.combine(row, space, extras, text.list().ofMaxSize(3), Arbitraries.shuffle(
                List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12))).as((r, ws, more, refs, order) -> {
                    String a = r.a();
                    String b = r.b();
                    List<String> members = new ArrayList<>();
                    String[] values = {q("ft-conformance-log-v1"), r.ts(), q(a), q(b), q("f"),
                        q("FT-P2C-001"), q("strict"), Long.toUnsignedString(r.seed()), q(a + b),
                        "[" + ws + String.join(ws + "," + ws, refs.stream().map(PlainEntryScannerTest::q).toList())
                            + ws + "]", q(b), q(r.outcome()), q(a)};
                    for (int field : order) {
                        members.add(q(LogField.FIELDS[field].jsonName()) + ws + ":" + ws + values[field]);
                    }
                    for (int i = 0; i < more.size(); i++) {
                        members.add(i % members.size(), q("extra" + i) + ":" + more.get(i));
                    }
                    return ws + "{" + ws + String.join(ws + "," + ws, members) + ws + "}" + ws;
                });
    }

    record Row(String a, String b, String ts, long seed, String outcome) {
    }

    /** Inside a JSON string: what must be escaped, and with {@code escapeAll} every other char that may be. */
    private static String json(String raw, boolean escapeAll) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || escapeAll && c > 0x7e && !Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else if (escapeAll && c == '/') {
                out.append("\\/");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String q(String text) {
        return "\"" + text + "\"";
    }

    private static int scan(String line) {
        return scan(line.getBytes(StandardCharsets.UTF_8));
    }

    private static int scan(byte[] bytes) {
        return new PlainEntryScanner(bytes, bytes.length, null, false).scan(0);
    }

    /** The failed entry the scanner built, or null. */
    private static LogEntry scanned(String line) {
        return scanned(line.getBytes(StandardCharsets.UTF_8));
    }

    private static LogEntry scanned(byte[] bytes) {
        PlainEntryScanner scanner = new PlainEntryScanner(bytes, bytes.length, null, false);
        scanner.scan(0);
        return scanner.failed();
    }

    /** The outcome record the scanner makes for a verdict run; null when it leaves the line to the parser. */
    private static EntryOutcome scannedOutcome(String line) {
        return scannedOutcome(line.getBytes(StandardCharsets.UTF_8));
    }

    private static EntryOutcome scannedOutcome(byte[] bytes) {
        PlainEntryScanner scanner = new PlainEntryScanner(bytes, bytes.length, null, true);
        return scanner.scan(0) == PlainEntryScanner.UNSURE ? null : scanner.outcome();
    }

    /** What the scanner is meant to read of the generated lines: all but failures with an escape to decode. */
    private static boolean readable(String generatedLine) {
        return !parse(generatedLine).failed() || !generatedLine.contains("\\");
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** What the parser's path records: its outcome for a passing line, made from the built entry for a failed one. */
    private static EntryOutcome parserOutcome(String line) {
        return parserOutcome(line.getBytes(StandardCharsets.UTF_8));
    }

    private static EntryOutcome parserOutcome(byte[] bytes) {
        EntryOutcome outcome = EntryParser.outcome(bytes, 0, bytes.length, null).outcome();
        return outcome != null ? outcome : EntryOutcome.of(EntryParser.parse(bytes, 0, bytes.length));
    }

    private static LogEntry parse(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return EntryParser.parse(bytes, 0, bytes.length);
    }
}
