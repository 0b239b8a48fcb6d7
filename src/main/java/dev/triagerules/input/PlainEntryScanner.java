package dev.triagerules.input;

import dev.triagerules.base.Unsigned128;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the common line of a log without a JSON parser. A passing entry needs no decoding
 * at all, only the proof that the parser would accept it; a failed one is built straight
 * from its bytes. On the 370 MB bench that is several times cheaper than tokenising with
 * Jackson, mostly because long strings are crossed eight bytes at a time.
 *
 * <p>Sound, not complete: it reads only lines that {@link EntryParser} accepts, into the
 * entry the parser builds, and answers "unsure" for anything else: a float where an
 * integer belongs, a duplicate or missing field, deep nesting, invalid UTF-8, a
 * {@code \\u} escape of a surrogate, an escape in a field name or in a field it would have
 * to decode (the outcome; every field of a failure), any syntax error. An unsure line
 * goes to the parser, which judges it exactly as before, errors and all.
 * {@code PlainEntryScannerTest} holds the two to this on generated lines and random
 * edits of them.
 */
final class PlainEntryScanner {
    /** The answer for every line the scanner leaves to the parser. */
    static final int UNSURE = -1;

    // Limits well inside Jackson's (names 50,000 chars, numbers 1,000, nesting 1,000 here):
    // a line beyond them is the parser's to judge.
    private static final int MAX_NAME_BYTES = 1000;
    private static final int MAX_NUMBER_BYTES = 100;
    private static final int MAX_DEPTH = 100;

    private static final int SEED = LogField.SEED.ordinal();
    private static final int OUTCOME = LogField.OUTCOME.ordinal();
    private static final int PACKET = LogField.PACKET_ID.ordinal();
    private static final int SUITE = LogField.SUITE_ID.ordinal();
    private static final int SCENARIO = LogField.SCENARIO_ID.ordinal();
    private static final int MODE = LogField.MODE.ordinal();
    private static final int ENV = LogField.ENV_FINGERPRINT.ordinal();
    private static final int ARTIFACTS = LogField.ARTIFACT_REFS.ordinal();
    /** Each field's kind by ordinal, read once per field of every line. */
    private static final LogField.Kind[] KINDS = new LogField.Kind[LogField.FIELDS.length];
    private static final byte[][] NAMES = new byte[LogField.FIELDS.length][];
    /**
     * The digits of the largest value of each unsigned field by ordinal (null for the
     * others): an integer with fewer digits fits, one with as many is compared with them.
     */
    private static final byte[][] UNSIGNED_MAX = new byte[LogField.FIELDS.length][];
    private static final byte[] PASS = LogEntry.PASSING_OUTCOME.getBytes(StandardCharsets.US_ASCII);

    /** Indices into {@link #NAMES} by name length: most names are told apart by length alone. */
    private static final int[][] NAMES_BY_LENGTH;
    /**
     * Each name as two little-endian words, to compare names a word at a time: its first
     * eight bytes (zero-padded), and for a name longer than eight its last eight (0 otherwise).
     */
    private static final long[] NAME_HEADS = new long[LogField.FIELDS.length];
    private static final long[] NAME_TAILS = new long[LogField.FIELDS.length];

    static {
        int longest = 0;
        for (int i = 0; i < NAMES.length; i++) {
            NAMES[i] = LogField.FIELDS[i].jsonName().getBytes(StandardCharsets.US_ASCII);
            KINDS[i] = LogField.FIELDS[i].kind();
            String max = switch (KINDS[i]) {
                case UNSIGNED_64 -> Long.toUnsignedString(-1L);
                case UNSIGNED_128 -> Unsigned128.MAX_DECIMAL;
                default -> null;
            };
            UNSIGNED_MAX[i] = max == null ? null : max.getBytes(StandardCharsets.US_ASCII);
            longest = Math.max(longest, NAMES[i].length);
        }
        NAMES_BY_LENGTH = new int[longest + 1][];
        int[] counts = new int[longest + 1];
        for (byte[] name : NAMES) {
            counts[name.length]++;
        }
        for (int length = 0; length <= longest; length++) {
            NAMES_BY_LENGTH[length] = new int[counts[length]];
            counts[length] = 0;
        }
        for (int i = 0; i < NAMES.length; i++) {
            NAMES_BY_LENGTH[NAMES[i].length][counts[NAMES[i].length]++] = i;
            byte[] padded = Arrays.copyOf(NAMES[i], Math.max(8, NAMES[i].length));
            NAME_HEADS[i] = littleEndian(padded, 0);
            NAME_TAILS[i] = NAMES[i].length > 8 ? littleEndian(padded, padded.length - 8) : 0;
        }
    }

    private static long littleEndian(byte[] bytes, int at) {
        long word = 0;
        for (int i = 7; i >= 0; i--) {
            word = word << 8 | (bytes[at + i] & 0xff);
        }
        return word;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long SPACES = 0x2020202020202020L;

    private final byte[] bytes;
    private final int to;
    private final String packetFilter;
    private final boolean outcomes;
    private int pos;
    /** Whether the string just read had an escape, or a byte beyond ASCII. */
    private boolean escaped;
    private boolean nonAscii;
    /** Bit per required field: its value has an escape / a byte beyond ASCII. */
    private int escapedFields;
    private int nonAsciiFields;
    private boolean selected;
    /** Where each required field's value starts and ends (strings without their quotes). */
    private final int[] valueStarts = new int[NAMES.length];
    private final int[] valueEnds = new int[NAMES.length];
    /** Start and end of each artifact_refs element, in pairs. */
    private int[] refs = new int[16];
    private int refCount;
    private LogEntry failed;
    private final TextCache texts;

    /** As below, with a cache of its own. */
    PlainEntryScanner(byte[] bytes, int to, String packetFilter, boolean outcomes) {
        this(bytes, to, packetFilter, outcomes, new TextCache());
    }

    /**
     * A scanner over the lines in {@code bytes} before {@code to}.
     *
     * @param packetFilter  when not null, {@link #selected()} tells whether a line is of this packet
     * @param outcomes      whether {@link #outcome()} will be asked for
     * @param texts         the calling thread's cache of decoded texts
     */
    PlainEntryScanner(byte[] bytes, int to, String packetFilter, boolean outcomes, TextCache texts) {
        this.bytes = bytes;
        this.to = to;
        this.packetFilter = packetFilter;
        this.outcomes = outcomes;
        this.texts = texts;
    }

    /**
     * Reads the line starting at {@code from}: the index of the newline ending it (or
     * {@code to} when it runs to there) if it is a valid entry the scanner can read, with
     * {@link #failed()} and {@link #selected()} telling what it is; {@link #UNSURE} otherwise.
     */
    int scan(int from) {
        pos = from;
        failed = null;
        escapedFields = 0;
        nonAsciiFields = 0;
        return line();
    }

    /** Whether the line just scanned is of the packet filter's packet (true without a filter). */
    boolean selected() {
        return selected;
    }

    /** The entry of the line just scanned when it failed ({@code outcome} not exactly "pass"); null when it passed. */
    LogEntry failed() {
        return failed;
    }

    /** The outcome record of the line just scanned, as {@link EntryParser#outcome} makes it. */
    EntryOutcome outcome() {
        if (failed != null) {
            return EntryOutcome.of(failed);
        }
        // EntryOutcome.passed(...) without its array: this runs for every passing line of a --history run.
        return new EntryOutcome(EntryOutcome.combine(hash(PACKET), hash(SUITE), hash(SCENARIO), hash(MODE)),
                number(SEED), hash(ENV), null);
    }

    private long hash(int field) {
        return (nonAsciiFields & (1 << field)) != 0 ? EntryOutcome.textHash(text(field))
                : EntryOutcome.asciiHash(bytes, valueStarts[field], valueEnds[field]);
    }

    private int line() {
        skipWhitespace();
        if (!consume('{')) {
            return UNSURE;
        }
        int seen = 0;
        do {
            skipSpaces();
            int nameStart = pos + 1;
            if (!string() || escaped || pos - 1 - nameStart > MAX_NAME_BYTES) {
                return UNSURE; // an escaped name may spell a required one: the parser decodes it
            }
            int field = requiredField(nameStart, pos - 1);
            skipSpaces();
            if (!consume(':')) {
                return UNSURE;
            }
            skipSpaces();
            if (field < 0) {
                if (!value(1)) {
                    return UNSURE;
                }
            } else {
                if ((seen & (1 << field)) != 0) {
                    return UNSURE; // a duplicate required field is an error, the parser's to report
                }
                seen |= 1 << field;
                byte[] unsignedMax = UNSIGNED_MAX[field];
                boolean numeric = unsignedMax != null;
                valueStarts[field] = numeric ? pos : pos + 1;
                boolean valid = numeric ? unsigned(unsignedMax)
                        : KINDS[field] == LogField.Kind.STRING_LIST ? stringArray() : string();
                if (!valid) {
                    return UNSURE;
                }
                valueEnds[field] = numeric ? pos : pos - 1;
                if (escaped) {
                    escapedFields |= 1 << field;
                }
                if (nonAscii) {
                    nonAsciiFields |= 1 << field;
                }
            }
            skipSpaces();
        } while (consume(','));
        if (!consume('}') || seen != LogField.ALL_BITS) {
            return UNSURE;
        }
        skipWhitespace();
        if (pos < to && bytes[pos] != '\n') {
            return UNSURE;
        }
        // Escapes are validated, not decoded: a field that must be read needs none.
        if ((escapedFields & (1 << OUTCOME)) != 0) {
            return UNSURE;
        }
        boolean passed = same(valueStarts[OUTCOME], valueEnds[OUTCOME], PASS);
        if (!passed && escapedFields != 0 || outcomes && (escapedFields & EntryOutcome.HASHED_FIELDS) != 0) {
            return UNSURE;
        }
        if (packetFilter != null) {
            if ((escapedFields & (1 << PACKET)) != 0) {
                return UNSURE;
            }
            selected = packetFilter.equals(text(PACKET));
        } else {
            selected = true;
        }
        if (!passed) {
            failed = build();
        }
        return pos;
    }

    /** The failed entry. */
    private LogEntry build() {
        List<String> artifactRefs = new ArrayList<>(refCount);
        for (int i = 0; i < refCount; i++) {
            artifactRefs.add(text(refs[2 * i], refs[2 * i + 1]));
        }
        String[] texts = new String[NAMES.length];
        long[] numbers = new long[NAMES.length];
        Unsigned128 timestamp = null;
        for (int field = 0; field < NAMES.length; field++) {
            switch (KINDS[field]) {
                case STRING -> texts[field] = text(field);
                case UNSIGNED_64 -> numbers[field] = number(field);
                case UNSIGNED_128 -> timestamp = Unsigned128.parseDigits(bytes, valueStarts[field], valueEnds[field]);
                case STRING_LIST -> { } // the refs above
            }
        }
        return LogEntry.of(texts, numbers, timestamp, List.copyOf(artifactRefs));
    }

    private String text(int field) {
        return text(valueStarts[field], valueEnds[field]);
    }

    private String text(int start, int end) {
        // Without an escape the bytes are the text: ASCII, else checked UTF-8.
        return texts.text(bytes, start, end);
    }

    /** Unsigned: the digits were checked to be at most 2^64 - 1, so wrapping arithmetic gives its bits. */
    private long number(int field) {
        long value = 0;
        for (int i = valueStarts[field]; i < valueEnds[field]; i++) {
            value = value * 10 + (bytes[i] - '0');
        }
        return value;
    }

    /**
     * {@link #skipWhitespace()}, called only when the next byte may be whitespace: a compact
     * line has none between its tokens, and C1 does not inline the loop (profile in
     * docs/performance.md).
     */
    private void skipSpaces() {
        if (pos < to && bytes[pos] <= ' ') {
            skipWhitespace();
        }
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
     * A JSON string, from its opening quote to just past its closing one: sets
     * {@link #escaped} and {@link #nonAscii}. Eight bytes at a time while no byte can end
     * it or needs care.
     */
    private boolean string() {
        if (!consume('"')) {
            return false;
        }
        escaped = false;
        nonAscii = false;
        int i = pos;
        while (true) {
            for (; i + 8 <= to; i += 8) {
                long word = (long) LONGS.get(bytes, i);
                long quotes = word ^ QUOTES;
                long backslashes = word ^ BACKSLASHES;
                // High bit set where a byte is a quote, a backslash, below 0x20 or not ASCII.
                long stops = (((quotes - ONES) & ~quotes) | ((backslashes - ONES) & ~backslashes)
                        | ((word - SPACES) & ~word) | word) & HIGH_BITS;
                if (stops != 0) {
                    // Straight to the first byte that stops it: each test may mark bytes above a
                    // true hit, never below, so the lowest mark is a true one. Looking at the
                    // bytes before it one by one was the scanner's largest cost (the profile in
                    // docs/performance.md).
                    i += Swar.lowestMarkedByte(stops);
                    break;
                }
            }
            if (i >= to) {
                return false;
            }
            byte c = bytes[i];
            if (c == '"') {
                pos = i + 1;
                return true;
            } else if (c == '\\') {
                int length = escapeLength(i);
                if (length == 0) {
                    return false;
                }
                escaped = true;
                i += length;
            } else if (c < 0) {
                int length = Utf8.sequenceLength(bytes, i, to);
                if (length == 0) {
                    return false;
                }
                nonAscii = true;
                i += length;
            } else if (c < 0x20) {
                return false; // a raw control character
            } else {
                i++;
            }
        }
    }

    /**
     * The length of the escape at {@code at}, or 0 when it is invalid or escapes a UTF-16
     * surrogate (whose pairing is the parser's to judge).
     */
    private int escapeLength(int at) {
        if (at + 1 >= to) {
            return 0;
        }
        switch (bytes[at + 1]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
                return 2;
            case 'u':
                if (at + 6 > to) {
                    return 0;
                }
                int code = 0;
                for (int i = at + 2; i < at + 6; i++) {
                    int digit = Character.digit(bytes[i], 16);
                    if (digit < 0) {
                        return 0;
                    }
                    code = code * 16 + digit;
                }
                return Character.isSurrogate((char) code) ? 0 : 6;
            default:
                return 0;
        }
    }

    private boolean stringArray() {
        refCount = 0;
        if (!consume('[')) {
            return false;
        }
        skipWhitespace();
        if (consume(']')) {
            return true;
        }
        do {
            skipWhitespace();
            int start = pos + 1;
            if (!string()) {
                return false;
            }
            if (escaped) {
                escapedFields |= 1 << ARTIFACTS;
            }
            if (2 * refCount + 2 > refs.length) {
                refs = Arrays.copyOf(refs, refs.length * 2);
            }
            refs[2 * refCount] = start;
            refs[2 * refCount + 1] = pos - 1;
            refCount++;
            skipWhitespace();
        } while (consume(','));
        return consume(']');
    }

    /** A JSON integer from 0 to {@code max} (its digits), with no sign, fraction or exponent. */
    private boolean unsigned(byte[] max) {
        int start = pos;
        while (pos < to && isDigit(bytes[pos])) {
            pos++;
        }
        int digits = pos - start;
        if (digits == 0 || (digits > 1 && bytes[start] == '0') || digits > max.length) {
            return false;
        }
        if (pos < to && (bytes[pos] == '.' || bytes[pos] == 'e' || bytes[pos] == 'E')) {
            return false;
        }
        return digits < max.length || Arrays.compare(bytes, start, pos, max, 0, max.length) <= 0;
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

    /**
     * The {@link LogField#ordinal()} of the name in bytes[start, end), or -1. Compared a
     * word at a time (head and tail words cover names up to 16 bytes); byte by byte near
     * the end of the block, where a word would run past it.
     */
    private int requiredField(int start, int end) {
        int length = end - start;
        if (length >= NAMES_BY_LENGTH.length) {
            return -1;
        }
        int[] candidates = NAMES_BY_LENGTH[length];
        if (candidates.length == 0) {
            return -1;
        }
        if (length > 16 || start + 8 > to) {
            for (int field : candidates) {
                if (same(start, end, NAMES[field])) {
                    return field;
                }
            }
            return -1;
        }
        long head = (long) LONGS.get(bytes, start);
        if (length < 8) {
            head &= (1L << (length << 3)) - 1;
        }
        long tail = length > 8 ? (long) LONGS.get(bytes, end - 8) : 0;
        for (int field : candidates) {
            if (NAME_HEADS[field] == head && NAME_TAILS[field] == tail) {
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
}
