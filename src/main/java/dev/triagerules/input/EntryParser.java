package dev.triagerules.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.triagerules.base.TextLimit;
import dev.triagerules.base.Unsigned128;
import dev.triagerules.base.Unsigned64;
import dev.triagerules.base.VisibleText;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses one log line with Jackson: the reference for what is valid, with an exact
 * message for what is not. {@link PlainEntryScanner} reads the common lines faster and
 * leaves the rest here. Three ways, with the same verdict on every line: {@link #parse}
 * builds the entry; {@link #selects} validates the line just as strictly but decodes
 * only what selection needs ({@code outcome}, {@code packet_id}); {@link #outcome}
 * decodes the scenario key, seed and environment too, for run history.
 *
 * <p>What is valid is what the upstream tool accepts: a JSON object with every required
 * field of the right type (extra fields ignored), an unsigned 64-bit {@code seed} and an
 * unsigned 128-bit {@code ts_unix_ms} (no sign, not even {@code -0}), no duplicate
 * required field, no unpaired UTF-16 surrogate in a required string, nothing after the
 * object, and well-formed UTF-8 throughout ({@link Utf8}).
 */
final class EntryParser {
    // Upstream (serde_json) skips an unknown field's value without a depth limit; Jackson
    // keeps a small context object a level, so a million levels (about 50 MB) is the cap.
    // Nor does it limit a number's digits or a field name's length (an ignored field of
    // 1,200 digits, or named with 60,000 characters, is valid there).
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE)
                    .maxNumberLength(Integer.MAX_VALUE).maxNameLength(Integer.MAX_VALUE)
                    .maxNestingDepth(1_000_000).build())
            .build();
    private static final int COUNT = LogField.FIELDS.length;
    private static final int EXCERPT_CHARS = 120;

    /** A line that is not a valid entry; the reader adds file and line. */
    static final class LineError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int column;
        final String excerpt;

        LineError(int column, String message, String excerpt) {
            super(VisibleText.inMessage(message), null, false, false);
            this.column = Math.max(column, 1);
            this.excerpt = VisibleText.inMessage(excerpt);
        }
    }

    private EntryParser() {
    }

    /** How much of a line {@link Fields#read} decodes. */
    private enum Mode {
        /** Validate; decode outcome and packet only. */
        SELECT,
        /** Validate; also decode the scenario key, seed and environment. */
        OUTCOME,
        /** Build the whole entry. */
        BUILD
    }

    /** The entry of a valid line. */
    static LogEntry parse(byte[] bytes, int offset, int length) {
        return run(bytes, offset, length, null, Mode.BUILD).entry;
    }

    /**
     * Whether a valid line's entry is selected: it failed ({@code outcome} not exactly
     * {@code "pass"}) and, with a packet filter, belongs to that packet.
     */
    static boolean selects(byte[] bytes, int offset, int length, String packetFilter) {
        return run(bytes, offset, length, packetFilter, Mode.SELECT).selected;
    }

    /**
     * The outcome record of a valid passing line; null when the line failed (the caller
     * builds failed entries in full) or a packet filter excludes it ({@code excluded}).
     */
    static Outcome outcome(byte[] bytes, int offset, int length, String packetFilter) {
        return run(bytes, offset, length, packetFilter, Mode.OUTCOME);
    }

    /** What one pass over a line found. */
    record Outcome(LogEntry entry, boolean selected, EntryOutcome outcome) {
    }

    private static Outcome run(byte[] bytes, int offset, int length, String packetFilter, Mode mode) {
        // First, as upstream reads the log as text before parsing it.
        int invalid = Utf8.firstInvalid(bytes, offset, offset + length);
        if (invalid >= 0) {
            throw error(invalid - offset + 1, "invalid UTF-8: "
                    + Utf8.describeInvalid(bytes, invalid, offset + length), bytes, offset, length);
        }
        refuseWhatJacksonWouldDecode(bytes, offset, length);
        try (JsonParser p = JSON.createParser(bytes, offset, length)) {
            return new Fields(p, bytes, offset, length).read(packetFilter, mode);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            int column = at == null ? 1 : at.getColumnNr();
            // Jackson places a control character between tokens one column past it (it has
            // read it already); every other unexpected character at its own column.
            if (e.getOriginalMessage().startsWith("Illegal character ((CTRL-CHAR") && column > 1) {
                column--;
            }
            throw error(column, e.getOriginalMessage(), bytes, offset, length);
        } catch (IOException e) {
            throw error(1, e.getMessage(), bytes, offset, length);
        }
    }

    /**
     * Jackson's byte parser guesses each input's encoding: it skips a byte-order mark and
     * reads a line with NUL bytes in its first four as UTF-16 or UTF-32, so a BOM on a later
     * line, or a line re-encoded in UTF-16, would be a valid entry. Upstream reads the log as
     * UTF-8 text and refuses both ("expected value at line 1 column 1"); so does this. A NUL
     * byte is invalid anywhere in a JSON line (a string holds it only escaped).
     */
    private static void refuseWhatJacksonWouldDecode(byte[] bytes, int offset, int length) {
        if (length >= 3 && bytes[offset] == (byte) 0xEF && bytes[offset + 1] == (byte) 0xBB
                && bytes[offset + 2] == (byte) 0xBF) {
            throw error(1, "a byte-order mark (U+FEFF) starts this line; only a log's first line may begin with"
                    + " one", bytes, offset, length);
        }
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] == 0) {
                throw error(i - offset + 1, "a NUL byte; a log is UTF-8 JSON (is this line UTF-16 or UTF-32?)",
                        bytes, offset, length);
            }
        }
    }

    /** One pass over one line's fields. */
    private static final class Fields {
        private final JsonParser p;
        private final byte[] bytes;
        private final int offset;
        private final int length;

        Fields(JsonParser p, byte[] bytes, int offset, int length) {
            this.p = p;
            this.bytes = bytes;
            this.offset = offset;
            this.length = length;
        }

        Outcome read(String packetFilter, Mode mode) throws IOException {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw fail("expected a JSON object, found " + describe());
            }
            boolean build = mode == Mode.BUILD;
            boolean keys = mode == Mode.OUTCOME;
            String[] texts = build ? new String[COUNT] : null;
            long[] numbers = new long[COUNT];
            long[] hashes = keys ? new long[COUNT] : null;
            List<String> artifactRefs = null;
            Unsigned128 timestamp = null;
            boolean passed = false;
            boolean otherPacket = false;
            int seen = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                LogField field = LogField.byName(name);
                p.nextToken();
                if (field == null) {
                    p.skipChildren();
                    continue;
                }
                if ((seen & field.bit()) != 0) {
                    throw fail("duplicate field \"" + name + "\"");
                }
                seen |= field.bit();
                switch (field.kind()) {
                    case UNSIGNED_64 -> numbers[field.ordinal()] = unsigned64(name);
                    case UNSIGNED_128 -> timestamp = unsigned128(name);
                    case STRING_LIST -> artifactRefs = stringArray(name, build);
                    case STRING -> {
                        if (build) {
                            texts[field.ordinal()] = string(name);
                        } else if (field == LogField.OUTCOME) {
                            passed = !LogEntry.isFailure(string(name));
                        } else if (keys && EntryOutcome.hashes(field)) {
                            checkString(name);
                            hashes[field.ordinal()] = EntryOutcome.textHash(p.getTextCharacters(), p.getTextOffset(),
                                    p.getTextLength());
                            if (field == LogField.PACKET_ID && packetFilter != null) {
                                otherPacket = !sameText(packetFilter);
                            }
                        } else if (field == LogField.PACKET_ID && packetFilter != null) {
                            otherPacket = !packetFilter.equals(string(name));
                        } else {
                            checkString(name);
                        }
                    }
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw fail("expected a field name, found " + describe());
            }
            if (p.nextToken() != null) {
                throw fail("found " + describe() + " after the JSON object; a line holds one object");
            }
            if (seen != LogField.ALL_BITS) {
                LogField missing = LogField.FIELDS[Integer.numberOfTrailingZeros(~seen)];
                throw fail("missing field \"" + missing.jsonName() + "\"");
            }
            if (keys) {
                // A failed entry's outcome is made from the entry the caller builds next.
                return new Outcome(null, !passed && !otherPacket, otherPacket || !passed ? null
                        : EntryOutcome.passed(hashes, numbers[LogField.SEED.ordinal()]));
            }
            if (!build) {
                return new Outcome(null, !passed && !otherPacket, null);
            }
            return new Outcome(LogEntry.of(texts, numbers, timestamp, artifactRefs), true, null);
        }

        /** Whether the current string token's text equals {@code text}, without making a string. */
        private boolean sameText(String text) throws IOException {
            int length = p.getTextLength();
            if (length != text.length()) {
                return false;
            }
            char[] chars = p.getTextCharacters();
            int offset = p.getTextOffset();
            for (int i = 0; i < length; i++) {
                if (chars[offset + i] != text.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private String string(String name) throws IOException {
            checkStringToken(name);
            String value = p.getText();
            if (hasLoneSurrogate(value, 0, value.length())) {
                throw unpairedSurrogate(name);
            }
            return value;
        }

        /** Validates a string without making one: the text stays in the parser's buffer. */
        private void checkString(String name) throws IOException {
            checkStringToken(name);
            if (hasLoneSurrogate(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())) {
                throw unpairedSurrogate(name);
            }
        }

        private void checkStringToken(String name) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw fail("field \"" + name + "\": expected a string, found " + describe());
            }
        }

        private LineError unpairedSurrogate(String name) {
            return fail("field \"" + name + "\": string escapes an unpaired UTF-16 surrogate");
        }

        private List<String> stringArray(String name, boolean build) throws IOException {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw fail("field \"" + name + "\": expected an array of strings, found " + describe());
            }
            List<String> values = build ? new ArrayList<>() : null;
            int index = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                String element = name + "[" + index++ + "]";
                if (build) {
                    values.add(string(element));
                } else {
                    checkString(element);
                }
            }
            return build ? List.copyOf(values) : null;
        }

        private long unsigned64(String name) throws IOException {
            if (unsignedInteger()) {
                JsonParser.NumberType type = p.getNumberType();
                if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
                    return p.getLongValue();
                }
                BigInteger value = p.getBigIntegerValue();
                if (value.bitLength() <= 64) {
                    return value.longValue();
                }
            }
            throw fail("field \"" + name + "\": expected an unsigned 64-bit integer"
                    + " (0 to " + Unsigned64.MAX + "), found " + describe());
        }

        private Unsigned128 unsigned128(String name) throws IOException {
            if (unsignedInteger()) {
                JsonParser.NumberType type = p.getNumberType();
                if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
                    return Unsigned128.of(p.getLongValue());
                }
                BigInteger value = p.getBigIntegerValue();
                if (value.bitLength() <= 128) {
                    return Unsigned128.of(value);
                }
            }
            throw fail("field \"" + name + "\": expected an unsigned 128-bit integer"
                    + " (0 to " + Unsigned128.MAX + "), found " + describe());
        }

        /** Whether the current token is an integer without a sign: upstream refuses even {@code -0}. */
        private boolean unsignedInteger() throws IOException {
            return p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getTextCharacters()[p.getTextOffset()] != '-';
        }

        private LineError fail(String message) {
            return error(p.currentTokenLocation().getColumnNr(), message, bytes, offset, length);
        }

        private String describe() throws IOException {
            JsonToken token = p.currentToken();
            if (token == null) {
                return "end of line";
            }
            return switch (token) {
                case VALUE_STRING -> "string \"" + shorten(p.getText()) + "\"";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number " + shorten(p.getText());
                case VALUE_TRUE, VALUE_FALSE -> "boolean " + p.getText();
                case VALUE_NULL -> "null";
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                default -> "\"" + shorten(p.getText()) + "\"";
            };
        }
    }

    static LineError error(int column, String message, byte[] bytes, int offset, int length) {
        return new LineError(column, message, excerpt(bytes, offset, length));
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : TextLimit.cut(text, 40) + "...";
    }

    private static String excerpt(byte[] bytes, int offset, int length) {
        String text = new String(bytes, offset, Math.min(length, EXCERPT_CHARS * 4), StandardCharsets.UTF_8);
        text = text.replace("\r", "");
        return text.length() <= EXCERPT_CHARS ? text : TextLimit.cut(text, EXCERPT_CHARS) + " ...";
    }

    private static boolean hasLoneSurrogate(CharSequence text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= to || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasLoneSurrogate(char[] text, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (Character.isSurrogate(text[i])) {
                return hasLoneSurrogate(new String(text, offset, length), 0, length);
            }
        }
        return false;
    }
}
