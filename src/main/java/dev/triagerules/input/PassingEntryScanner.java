package dev.triagerules.input;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Recognises the common line of a big log without a JSON parser: a valid entry whose
 * {@code outcome} is exactly {@code "pass"}, written in ASCII without escapes (every
 * real upstream log is). Such a line needs no decoding at all, only the proof that the
 * parser would accept it; on the 370 MB bench that proof is several times cheaper than
 * tokenising with Jackson, mostly because long strings are crossed eight bytes at a time.
 *
 * <p>Sound, not complete: it answers "a passing entry" only for a line that
 * {@link EntryParser} accepts as one, and "unsure" for anything else: a failure, an
 * escape, a non-ASCII byte, a float where an integer belongs, a duplicate or missing
 * field, deep nesting, any syntax error. An unsure line goes to the parser, which judges
 * it exactly as before, errors and all. {@code PassingEntryScannerTest} holds the two
 * to this on generated lines and mutations of them.
 */
final class PassingEntryScanner {
    /** The answer for every line that is not surely a valid passing entry. */
    static final int UNSURE = -1;

    // Limits well inside Jackson's (names 50,000 chars, numbers 1,000, nesting 1,000 here):
    // a line beyond them is the parser's to judge.
    private static final int MAX_NAME_BYTES = 1000;
    private static final int MAX_NUMBER_BYTES = 100;
    private static final int MAX_DEPTH = 100;

    private static final int TS = field("ts_unix_ms");
    private static final int SEED = field("seed");
    private static final int ARTIFACTS = field("artifact_refs");
    private static final int OUTCOME = field("outcome");
    private static final int ALL_FIELDS = (1 << EntryParser.REQUIRED.length) - 1;
    private static final byte[][] NAMES = new byte[EntryParser.REQUIRED.length][];
    /** The largest unsigned 64-bit integer, the only 20-digit limit to compare against. */
    private static final byte[] U64_MAX = "18446744073709551615".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PASS = "pass".getBytes(StandardCharsets.US_ASCII);

    /** Indices into {@link #NAMES} by name length: most names are told apart by length alone. */
    private static final int[][] NAMES_BY_LENGTH;

    static {
        int longest = 0;
        for (int i = 0; i < NAMES.length; i++) {
            NAMES[i] = EntryParser.REQUIRED[i].getBytes(StandardCharsets.US_ASCII);
            longest = Math.max(longest, NAMES[i].length);
        }
        NAMES_BY_LENGTH = new int[longest + 1][];
        for (int length = 0; length <= longest; length++) {
            int matching = length;
            NAMES_BY_LENGTH[length] = java.util.stream.IntStream.range(0, NAMES.length)
                    .filter(i -> NAMES[i].length == matching).toArray();
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long SPACES = 0x2020202020202020L;

    private final byte[] bytes;
    private final int to;
    private int pos;

    private PassingEntryScanner(byte[] bytes, int from, int to) {
        this.bytes = bytes;
        this.pos = from;
        this.to = to;
    }

    /**
     * The index of the newline ending the line that starts at {@code from} (or {@code to}
     * when the line runs to it), if that line is a valid entry whose outcome is exactly
     * {@code "pass"}; {@link #UNSURE} otherwise.
     */
    static int passingLineEnd(byte[] bytes, int from, int to) {
        return new PassingEntryScanner(bytes, from, to).line();
    }

    private int line() {
        skipWhitespace();
        if (!consume('{')) {
            return UNSURE;
        }
        int seen = 0;
        boolean passed = false;
        skipWhitespace();
        do {
            skipWhitespace();
            int nameStart = pos + 1;
            if (!string() || pos - 1 - nameStart > MAX_NAME_BYTES) {
                return UNSURE;
            }
            int field = requiredField(nameStart, pos - 1);
            skipWhitespace();
            if (!consume(':')) {
                return UNSURE;
            }
            skipWhitespace();
            if (field < 0) {
                if (!value(1)) {
                    return UNSURE;
                }
            } else {
                if ((seen & (1 << field)) != 0) {
                    return UNSURE; // a duplicate required field is an error, the parser's to report
                }
                seen |= 1 << field;
                int valueStart = pos + 1;
                boolean valid = field == TS || field == SEED ? unsigned64()
                        : field == ARTIFACTS ? stringArray() : string();
                if (!valid) {
                    return UNSURE;
                }
                if (field == OUTCOME) {
                    passed = same(valueStart, pos - 1, PASS);
                }
            }
            skipWhitespace();
        } while (consume(','));
        if (!consume('}') || seen != ALL_FIELDS || !passed) {
            return UNSURE;
        }
        skipWhitespace();
        if (pos == to || bytes[pos] == '\n') {
            return pos;
        }
        return UNSURE;
    }

    /** JSON whitespace; a newline ends the line instead. */
    private void skipWhitespace() {
        while (pos < to) {
            byte c = bytes[pos];
            if (c != ' ' && c != '\t' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private boolean consume(char expected) {
        if (pos < to && bytes[pos] == expected) {
            pos++;
            return true;
        }
        return false;
    }

    /**
     * A string of printable ASCII without escapes, from its opening quote to just past its
     * closing one. Eight bytes at a time while no byte can end it or needs care.
     */
    private boolean string() {
        if (!consume('"')) {
            return false;
        }
        int i = pos;
        for (; i + 8 <= to; i += 8) {
            long word = (long) LONGS.get(bytes, i);
            long quotes = word ^ QUOTES;
            long backslashes = word ^ BACKSLASHES;
            // High bit set in the word where a byte is a quote, a backslash, below 0x20 or not ASCII.
            long stops = ((quotes - ONES) & ~quotes) | ((backslashes - ONES) & ~backslashes)
                    | ((word - SPACES) & ~word) | word;
            if ((stops & HIGH_BITS) != 0) {
                break;
            }
        }
        for (; i < to; i++) {
            byte c = bytes[i];
            if (c == '"') {
                pos = i + 1;
                return true;
            }
            if (c == '\\' || c < 0x20) { // negative: not ASCII
                return false;
            }
        }
        return false;
    }

    private boolean stringArray() {
        if (!consume('[')) {
            return false;
        }
        skipWhitespace();
        if (consume(']')) {
            return true;
        }
        do {
            skipWhitespace();
            if (!string()) {
                return false;
            }
            skipWhitespace();
        } while (consume(','));
        return consume(']');
    }

    /** A JSON integer from 0 to 2^64 - 1, with no sign, fraction or exponent. */
    private boolean unsigned64() {
        int start = pos;
        while (pos < to && isDigit(bytes[pos])) {
            pos++;
        }
        int digits = pos - start;
        if (digits == 0 || (digits > 1 && bytes[start] == '0') || digits > U64_MAX.length) {
            return false;
        }
        if (pos < to && (bytes[pos] == '.' || bytes[pos] == 'e' || bytes[pos] == 'E')) {
            return false;
        }
        return digits < U64_MAX.length || java.util.Arrays.compare(bytes, start, pos, U64_MAX, 0,
                U64_MAX.length) <= 0;
    }

    /** Any JSON value of a field triage ignores. */
    private boolean value(int depth) {
        if (pos >= to) {
            return false;
        }
        return switch (bytes[pos]) {
            case '"' -> string();
            case '{' -> depth < MAX_DEPTH && object(depth);
            case '[' -> depth < MAX_DEPTH && array(depth);
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        };
    }

    private boolean object(int depth) {
        pos++;
        skipWhitespace();
        if (consume('}')) {
            return true;
        }
        do {
            skipWhitespace();
            int nameStart = pos + 1;
            if (!string() || pos - 1 - nameStart > MAX_NAME_BYTES) {
                return false;
            }
            skipWhitespace();
            if (!consume(':')) {
                return false;
            }
            skipWhitespace();
            if (!value(depth + 1)) {
                return false;
            }
            skipWhitespace();
        } while (consume(','));
        return consume('}');
    }

    private boolean array(int depth) {
        pos++;
        skipWhitespace();
        if (consume(']')) {
            return true;
        }
        do {
            skipWhitespace();
            if (!value(depth + 1)) {
                return false;
            }
            skipWhitespace();
        } while (consume(','));
        return consume(']');
    }

    private boolean literal(String word) {
        if (to - pos < word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (bytes[pos + i] != word.charAt(i)) {
                return false;
            }
        }
        pos += word.length();
        return true;
    }

    /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}; what may follow is the caller's check. */
    private boolean number() {
        int start = pos;
        consume('-');
        if (consume('0')) {
            // no further integer digits: "01" leaves the '1' for the caller, which rejects it
        } else if (!digits()) {
            return false;
        }
        if (consume('.') && !digits()) {
            return false;
        }
        if (consume('e') || consume('E')) {
            if (!consume('+')) {
                consume('-');
            }
            if (!digits()) {
                return false;
            }
        }
        return pos - start <= MAX_NUMBER_BYTES;
    }

    private boolean digits() {
        int start = pos;
        while (pos < to && isDigit(bytes[pos])) {
            pos++;
        }
        return pos > start;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** The index in {@link EntryParser#REQUIRED} of the name in bytes[start, end), or -1. */
    private int requiredField(int start, int end) {
        int length = end - start;
        if (length >= NAMES_BY_LENGTH.length) {
            return -1;
        }
        for (int field : NAMES_BY_LENGTH[length]) {
            if (same(start, end, NAMES[field])) {
                return field;
            }
        }
        return -1;
    }

    // A plain loop: these are short, and Arrays.equals costs more than it saves without C2.
    private boolean same(int start, int end, byte[] expected) {
        if (end - start != expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (bytes[start + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static int field(String name) {
        return java.util.Arrays.asList(EntryParser.REQUIRED).indexOf(name);
    }
}
