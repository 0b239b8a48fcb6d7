package dev.triagerules.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triagerules.base.Unsigned128;
import dev.triagerules.base.UserError;
import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonlReaderTest {
    static final String ENTRY = "{\"schema_version\":\"v1\",\"ts_unix_ms\":1771275651615,\"suite_id\":\"suite\","
            + "\"scenario_id\":\"sc\",\"fixture_id\":\"fx\",\"packet_id\":\"FT-P2C-002\",\"mode\":\"strict\","
            + "\"seed\":7,\"env_fingerprint\":\"det64:1\",\"artifact_refs\":[\"a.json\",\"b.json\"],"
            + "\"replay_command\":\"cargo test\",\"outcome\":\"fail\",\"reason_code\":\"Dispatch_X\"}";

    record Read(LogEntry entry, long line) {
    }

    static List<Read> read(byte[] bytes) {
        List<Read> entries = new ArrayList<>();
        new JsonlReader("log.jsonl", new ByteArrayInputStream(bytes)).read((e, line) -> entries.add(new Read(e, line)));
        return entries;
    }

    static List<Read> read(String text) {
        return read(text.getBytes(StandardCharsets.UTF_8));
    }

    static String errorFor(String text) {
        return assertThrows(UserError.class, () -> read(text)).getMessage();
    }

    @Test
    void readsEveryFieldExactly() {
        LogEntry e = read(ENTRY + "\n").get(0).entry();
        assertEquals("v1", e.schemaVersion());
        assertEquals(Unsigned128.of(1771275651615L), e.tsUnixMs());
        assertEquals("suite", e.suiteId());
        assertEquals("sc", e.scenarioId());
        assertEquals("fx", e.fixtureId());
        assertEquals("FT-P2C-002", e.packetId());
        assertEquals("strict", e.mode());
        assertEquals(7, e.seed());
        assertEquals("det64:1", e.envFingerprint());
        assertEquals(List.of("a.json", "b.json"), e.artifactRefs());
        assertEquals("cargo test", e.replayCommand());
        assertEquals("fail", e.outcome());
        assertEquals("Dispatch_X", e.reasonCode());
    }

    @Test
    void unsigned64BitSeedsAndTimestampsAreLossless() {
        String line = ENTRY.replace("\"seed\":7", "\"seed\":18446744073709551615")
                .replace("\"ts_unix_ms\":1771275651615", "\"ts_unix_ms\":9223372036854775808");
        LogEntry e = read(line).get(0).entry();
        assertEquals("18446744073709551615", Long.toUnsignedString(e.seed()));
        assertEquals("9223372036854775808", e.tsUnixMs().toString());
    }

    /** Upstream reads ts_unix_ms as u128: every value up to 2^128 - 1 is valid, and kept exactly. */
    @ParameterizedTest
    @ValueSource(strings = {"0", "18446744073709551615", "18446744073709551616", "99999999999999999999",
        "170141183460469231731687303715884105728", "340282366920938463463374607431768211455"})
    void timestampsAreUnsigned128BitAsUpstreamReadsThem(String ts) {
        String failing = ENTRY.replace("\"ts_unix_ms\":1771275651615", "\"ts_unix_ms\":" + ts);
        String passing = failing.replace("\"outcome\":\"fail\"", "\"outcome\":\"pass\"");
        byte[] log = (passing + "\n" + failing + "\n").getBytes(StandardCharsets.UTF_8);
        assertEquals(ts, read(log).get(1).entry().tsUnixMs().toString(), "the parser's path");
        List<LogEntry> scanned = new ArrayList<>();
        new JsonlReader("log.jsonl", new ByteArrayInputStream(log)).read(Selection.failures(null),
                (e, line) -> scanned.add(e));
        assertEquals(List.of(ts), scanned.stream().map(e -> e.tsUnixMs().toString()).toList(), "the scanner's path");
    }

    @Test
    void blankLinesCrlfBomAndMissingFinalNewlineAreAccepted() {
        String text = "\uFEFF" + ENTRY + "\r\n\r\n   \n\t\n" + ENTRY.replace("\"seed\":7", "\"seed\":8");
        List<Read> entries = read(text);
        assertEquals(2, entries.size());
        assertEquals(1, entries.get(0).line());
        assertEquals(5, entries.get(1).line(), "line numbers count blank lines");
        assertEquals(8, entries.get(1).entry().seed());
    }


    @Test
    void aNumberOrNameOfAnyLengthInAnIgnoredFieldIsValidAsUpstreamHasIt() {
        // Checked against the upstream tool: 1,200 digits, also as a fraction with an exponent;
        // a field name of 60,000 characters.
        String digits = "1" + "2".repeat(1199);
        assertEquals(2, read(ENTRY.replace("{", "{\"extra\":" + digits + ",") + "\n"
                + ENTRY.replace("{", "{\"extra\":-" + digits + ".5e3,")).size());
        assertEquals(1, read(ENTRY.replace("{", "{\"" + "k".repeat(60_000) + "\":1,")).size(), "a long name");
    }

    @Test
    void extraFieldsAreIgnored() {
        String line = ENTRY.replace("{", "{\"extra\":{\"nested\":[1,2,{\"x\":null}]},\"seed_note\":\"x\",");
        assertEquals(7, read(line).get(0).entry().seed());
    }

    @Test
    void unknownFieldsMayNestDeeplyAsUpstreamSkipsThemWithoutALimit() {
        int depth = 20_000;
        String line = ENTRY.replace("{", "{\"deep\":" + "[{\"a\":".repeat(depth) + "1" + "}]".repeat(depth) + ",");
        assertEquals(7, read(line).get(0).entry().seed());
    }

    @Test
    void linesLongerThanTheBufferAreRead() {
        String longReason = "r".repeat(3 << 20);
        LogEntry e = read(ENTRY.replace("Dispatch_X", longReason) + "\n" + ENTRY).get(0).entry();
        assertEquals(longReason, e.reasonCode());
    }

    @Test
    void aLineAboveTheLimitIsRejectedWithItsNumber() {
        byte[] bytes = (ENTRY + "\n" + ENTRY.replace("Dispatch_X", "r".repeat(4 << 20))).getBytes(StandardCharsets.UTF_8);
        UserError error = assertThrows(UserError.class, () ->
                new JsonlReader("big.jsonl", new ByteArrayInputStream(bytes), ReadOptions.DEFAULT.withMaxLineBytes(2 << 20))
                        .read((e, line) -> { }));
        assertTrue(error.getMessage().startsWith("big.jsonl:2:1: line is longer than"), error.getMessage());
    }

    @Test
    void skippingKeepsEveryInvalidLineIncludingOnesTooLongToHold() {
        String longLine = ENTRY.replace("Dispatch_X", "r".repeat(5 << 20));
        byte[] bytes = (ENTRY + "\n{bad\n" + longLine + "\n" + ENTRY.replace("\"seed\":7", "\"seed\":9"))
                .getBytes(StandardCharsets.UTF_8);
        List<InvalidLine> invalid = new ArrayList<>();
        List<Read> entries = new ArrayList<>();
        long count = new JsonlReader("log.jsonl", new ByteArrayInputStream(bytes),
                ReadOptions.DEFAULT.withMaxLineBytes(2 << 20).withInvalidLines(invalid::add)).read((e, line) -> entries.add(new Read(e, line)));
        assertEquals(2, count);
        assertEquals(List.of(1L, 4L), entries.stream().map(Read::line).toList());
        assertEquals(9, entries.get(1).entry().seed());
        assertEquals(2, invalid.size());
        assertEquals(2, invalid.get(0).lineNumber());
        assertEquals("{bad", new String(invalid.get(0).raw(), StandardCharsets.UTF_8));
        assertEquals(3, invalid.get(1).lineNumber());
        assertTrue(invalid.get(1).truncated());
        assertEquals(longLine.length(), invalid.get(1).rawLength());
        assertTrue(invalid.get(1).message().startsWith("line is longer than 2097152 bytes"), invalid.get(1).message());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not json                | log.jsonl:1:1: Unrecognized token 'not'",
        "[1,2]                   | log.jsonl:1:1: expected a JSON object, found an array",
        "missing reason          | log.jsonl:1:",
        "seed negative           | field \"seed\": expected an unsigned 64-bit integer (0 to 18446744073709551615), found number -1",
        "seed too big            | found number 18446744073709551616",
        "seed float              | field \"seed\": expected an unsigned 64-bit integer",
        "seed minus zero         | field \"seed\": expected an unsigned 64-bit integer (0 to 18446744073709551615), found number -0",
        "seed minus zero float   | field \"seed\": expected an unsigned 64-bit integer (0 to 18446744073709551615), found number -0.0",
        "ts negative             | field \"ts_unix_ms\": expected an unsigned 128-bit integer",
        "ts minus zero           | field \"ts_unix_ms\": expected an unsigned 128-bit integer (0 to 340282366920938463463374607431768211455), found number -0",
        "ts too big              | field \"ts_unix_ms\": expected an unsigned 128-bit integer (0 to 340282366920938463463374607431768211455), found number 340282366920938463463374607431768211456",
        "ts float                | field \"ts_unix_ms\": expected an unsigned 128-bit integer (0 to 340282366920938463463374607431768211455), found number 1.0",
        "outcome null            | field \"outcome\": expected a string, found null",
        "refs not array          | field \"artifact_refs\": expected an array of strings, found string",
        "ref not string          | field \"artifact_refs[1]\": expected a string, found number 3",
        "duplicate field         | duplicate field \"mode\"",
        "trailing content        | after the JSON object",
        "lone surrogate          | field \"reason_code\": string escapes an unpaired UTF-16 surrogate",
    })
    void badLinesStopTheReadNamingFileLineAndProblem(String caseName, String expected) {
        String bad = switch (caseName) {
            case "not json" -> "not json";
            case "[1,2]" -> "[1,2]";
            case "missing reason" -> ENTRY.replace(",\"reason_code\":\"Dispatch_X\"", "");
            case "seed negative" -> ENTRY.replace("\"seed\":7", "\"seed\":-1");
            case "seed too big" -> ENTRY.replace("\"seed\":7", "\"seed\":18446744073709551616");
            case "seed float" -> ENTRY.replace("\"seed\":7", "\"seed\":7.5");
            case "seed minus zero" -> ENTRY.replace("\"seed\":7", "\"seed\":-0");
            case "seed minus zero float" -> ENTRY.replace("\"seed\":7", "\"seed\":-0.0");
            case "ts too big" -> ENTRY.replace("\"ts_unix_ms\":1771275651615",
                    "\"ts_unix_ms\":340282366920938463463374607431768211456");
            case "ts float" -> ENTRY.replace("\"ts_unix_ms\":1771275651615", "\"ts_unix_ms\":1.0");
            case "ts negative" -> ENTRY.replace("\"ts_unix_ms\":1771275651615", "\"ts_unix_ms\":-5");
            case "ts minus zero" -> ENTRY.replace("\"ts_unix_ms\":1771275651615", "\"ts_unix_ms\":-0");
            case "outcome null" -> ENTRY.replace("\"outcome\":\"fail\"", "\"outcome\":null");
            case "refs not array" -> ENTRY.replace("[\"a.json\",\"b.json\"]", "\"a.json\"");
            case "ref not string" -> ENTRY.replace("[\"a.json\",\"b.json\"]", "[\"a.json\",3]");
            case "duplicate field" -> ENTRY.replace("\"mode\":\"strict\"", "\"mode\":\"strict\",\"mode\":\"x\"");
            case "trailing content" -> ENTRY + " {}";
            case "lone surrogate" -> ENTRY.replace("Dispatch_X", "\\ud800x");
            default -> throw new IllegalArgumentException(caseName);
        };
        String message = errorFor(ENTRY + "\n\n" + bad + "\n" + ENTRY);
        assertTrue(message.startsWith("log.jsonl:3:"), message);
        assertTrue(message.contains(expected.startsWith("log.jsonl:1:") ? expected.substring(12) : expected), message);
        assertTrue(message.contains("\n  | "), "an excerpt of the line follows: " + message);
        if (caseName.equals("missing reason")) {
            assertTrue(message.contains("missing field \"reason_code\""), message);
        }
    }

    /** Jackson put a control character between tokens one column past it: {"a":1,ESC} said 1:9. */
    @Test
    void aControlCharacterBetweenTokensIsLocatedAtItsOwnColumn() {
        assertTrue(errorFor("{\"a\":1,\u001b}\n").startsWith("log.jsonl:1:8: Illegal character"),
                errorFor("{\"a\":1,\u001b}\n"));
        assertTrue(errorFor("\u001b{\"a\":1}\n").startsWith("log.jsonl:1:1: Illegal character"),
                errorFor("\u001b{\"a\":1}\n"));
        // Other unexpected characters were right already, and stay so.
        assertTrue(errorFor("{\"a\":1,x}\n").startsWith("log.jsonl:1:8: Unexpected character"),
                errorFor("{\"a\":1,x}\n"));
    }

    /**
     * Upstream reads the log as a Rust string: bytes that are not well-formed UTF-8 are refused
     * wherever they are, even in a field triage ignores; Jackson alone would decode some.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "C0AF     | byte C0 cannot start a character (an overlong encoding: C0 AF)",
        "C080     | byte C0 cannot start a character (an overlong encoding: C0 80)",
        "C141     | byte C1 cannot start a character",
        "FF       | byte FF cannot start a character",
        "FE8080   | byte FE cannot start a character",
        "F8808080 | byte F8 cannot start a character",
        "F5808080 | byte F5 cannot start a character (a code point above U+10FFFF: F5 80 80 80)",
        "E080AF   | overlong encoding (E0 80 AF)",
        "F08080AF | overlong encoding (F0 80 80 AF)",
        "EDA080   | an encoded UTF-16 surrogate (ED A0 80)",
        "F4908080 | a code point above U+10FFFF (F4 90 80 80)",
        "80       | a continuation byte without a lead byte (80)",
        "E282     | an incomplete sequence (E2 82)",
    })
    void illFormedUtf8IsRefusedWithLineAndColumn(String hex, String problem) {
        byte[] sequence = java.util.HexFormat.of().parseHex(hex);
        String passing = ENTRY.replace("\"outcome\":\"fail\"", "\"outcome\":\"pass\"");
        List<byte[]> lines = List.of(
                splice(ENTRY, "Dispatch_", sequence),                    // a field the entry keeps
                splice(passing, "Dispatch_", sequence),                  // a passing line
                splice(ENTRY.replace("{", "{\"extra\":\"x\","), "\"extra\":\"x", sequence)); // an ignored field
        for (byte[] bad : lines) {
            int column = indexOf(bad, sequence) + 1;
            byte[] log = concat((passing + "\n").getBytes(StandardCharsets.UTF_8), bad,
                    ("\n" + ENTRY + "\n").getBytes(StandardCharsets.UTF_8));
            String expected = "log.jsonl:2:" + column + ": invalid UTF-8: " + problem + "\n  | ";
            UserError everyEntry = assertThrows(UserError.class, () -> read(log));
            assertTrue(everyEntry.getMessage().startsWith(expected), everyEntry.getMessage());
            UserError failuresOnly = assertThrows(UserError.class, () -> new JsonlReader("log.jsonl",
                    new ByteArrayInputStream(log), ReadOptions.DEFAULT.withThreads(2))
                    .read(Selection.failures(null), (e, line) -> { }));
            assertTrue(failuresOnly.getMessage().startsWith(expected), failuresOnly.getMessage());
        }
    }

    private static byte[] splice(String line, String after, byte[] inserted) {
        int at = line.indexOf(after) + after.length();
        return concat(line.substring(0, at).getBytes(StandardCharsets.UTF_8), inserted,
                line.substring(at).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] bytes, byte[] wanted) {
        for (int i = 0; i + wanted.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + wanted.length, wanted, 0, wanted.length)) {
                return i;
            }
        }
        throw new IllegalArgumentException("not found");
    }

    /** A hostile log cannot reach the terminal through an error: its controls are shown escaped. */
    @Test
    void errorsShowTheLinesControlCharactersEscaped() {
        String rawEscape = "{\"a\":\"\u001b[31mred\u001b]0;title\u0007\u202e\"}";
        String decodedEscape = ENTRY.replace("\"seed\":7", "\"seed\":\"\\u001b[2J\\u009b\"");
        for (String bad : List.of(rawEscape, decodedEscape)) {
            String message = errorFor(ENTRY + "\n" + bad + "\n");
            String shown = message.replace("\n  | ", "");
            assertTrue(shown.chars().noneMatch(c -> c < 0x20 || c >= 0x7f && c <= 0x9f || c == 0x202e), message);
            assertTrue(message.contains("\\u001b"), message);
        }
        assertTrue(errorFor(decodedEscape).contains("found string \"\\u001b[2J\\u009b\""), errorFor(decodedEscape));
    }

    @Test
    void theFastPathForPassingLinesStillRejectsWhatTheFullParseRejects() {
        String passing = ENTRY.replace("\"outcome\":\"fail\"", "\"outcome\":\"pass\"");
        // A backslash at every offset modulo 8, so the eight-bytes-at-a-time scan meets it everywhere.
        for (int pad = 0; pad < 8; pad++) {
            String bad = passing.replace("\"suite\"", "\"" + "s".repeat(pad) + "\\ud800\"");
            byte[] bytes = (passing + "\n" + bad + "\n").getBytes(StandardCharsets.UTF_8);
            UserError error = assertThrows(UserError.class, () -> new JsonlReader("log.jsonl",
                    new ByteArrayInputStream(bytes), ReadOptions.DEFAULT.withThreads(2))
                    .read(Selection.failures(null), (e, line) -> { }));
            assertTrue(error.getMessage().startsWith("log.jsonl:2:"), error.getMessage());
            assertTrue(error.getMessage().contains("field \"suite_id\": string escapes an unpaired UTF-16 surrogate"),
                    error.getMessage());
        }
    }

    /**
     * The failures-only read (scanner first) and the read of every entry (parser only) must
     * agree on every input: the same failures on the same lines, or the same error.
     */
    @Test
    void theBlockFastPathAgreesWithTheLineByLineRead() {
        String f = ENTRY;
        String p = ENTRY.replace("\"outcome\":\"fail\"", "\"outcome\":\"pass\"");
        java.util.Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("lone CR between fields", f + "\n" + f.replace(",\"mode\"", ",\r\"mode\"") + "\n" + f);
        cases.put("CRLF endings", f + "\r\n" + p + "\r\n\r\n" + f);
        cases.put("two objects on a line", f + "\n" + f + " " + f + "\n" + f);
        cases.put("object over two lines", f + "\n{\n\"x\":1}\n" + f);
        cases.put("no-break space only line", f + "\n\u00A0\n" + f);
        cases.put("vertical tab only line", f + "\n\u000B\n" + f);
        cases.put("array line", f + "\n[]\n" + f);
        cases.put("trailing garbage", f + "\n" + f + " x\n" + f);
        cases.put("missing final newline", p + "\n" + f);
        cases.forEach((name, text) -> {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            assertEquals(lineByLine(bytes), fastPath(bytes), name);
        });
    }

    private static String lineByLine(byte[] bytes) {
        try {
            List<Long> lines = new ArrayList<>();
            new JsonlReader("log.jsonl", new ByteArrayInputStream(bytes)).read((e, line) -> {
                if (e.failed()) {
                    lines.add(line);
                }
            });
            return "failures on lines " + lines;
        } catch (UserError e) {
            return e.getMessage();
        }
    }

    private static String fastPath(byte[] bytes) {
        try {
            List<Long> lines = new ArrayList<>();
            new JsonlReader("log.jsonl", new ByteArrayInputStream(bytes), ReadOptions.DEFAULT.withThreads(2))
                    .read(Selection.failures(null), (e, line) -> lines.add(line));
            return "failures on lines " + lines;
        } catch (UserError e) {
            return e.getMessage();
        }
    }

    @Test
    void invalidUtf8IsRejected() {
        byte[] prefix = ENTRY.replace("Dispatch_X", "").getBytes(StandardCharsets.UTF_8);
        int quote = ENTRY.replace("Dispatch_X", "").lastIndexOf("\"\"") + 1;
        byte[] bad = new byte[prefix.length + 1];
        System.arraycopy(prefix, 0, bad, 0, quote);
        bad[quote] = (byte) 0xC3; // a lead byte followed by '"' is not UTF-8
        System.arraycopy(prefix, quote, bad, quote + 1, prefix.length - quote);
        UserError error = assertThrows(UserError.class, () -> read(bad));
        assertTrue(error.getMessage().startsWith("log.jsonl:1:"), error.getMessage());
        assertTrue(error.getMessage().toLowerCase().contains("utf-8"), error.getMessage());
    }

    @Test
    void aByteOrderMarkOnALaterLineOrAUtf16LineIsInvalidAsUpstreamSays() {
        // Checked against the upstream tool: "failed to parse forensics jsonl line 2 ...:
        // expected value at line 1 column 1" for both; Jackson alone would decode them.
        UserError bom = assertThrows(UserError.class, () -> read(ENTRY + "\n\uFEFF" + ENTRY));
        assertTrue(bom.getMessage().startsWith("log.jsonl:2:1: a byte-order mark (U+FEFF) starts this line; only"
                + " a log's first line may begin with one"), bom.getMessage());
        for (Charset wide : List.of(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE, Charset.forName("UTF-32BE"))) {
            byte[] first = (ENTRY + "\n").getBytes(StandardCharsets.UTF_8);
            byte[] second = ENTRY.getBytes(wide);
            byte[] log = Arrays.copyOf(first, first.length + second.length);
            System.arraycopy(second, 0, log, first.length, second.length);
            UserError error = assertThrows(UserError.class, () -> read(log), wide.name());
            assertTrue(error.getMessage().startsWith("log.jsonl:2:"), error.getMessage());
            assertTrue(error.getMessage().contains("a NUL byte; a log is UTF-8 JSON (is this line UTF-16 or UTF-32?)"),
                    error.getMessage());
        }
    }

    @Test
    void unicodeWhitespaceOnlyLinesAreBlankAsUpstreamTrimsThem() {
        assertEquals(1, read("\u00A0\u2003\n" + ENTRY).size());
    }
}
