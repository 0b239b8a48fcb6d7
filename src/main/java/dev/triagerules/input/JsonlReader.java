package dev.triagerules.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.triagerules.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams a JSONL forensic log one entry at a time: memory stays bounded by the longest
 * line, whatever the size of the file.
 *
 * <p>Accepts what the upstream tool accepts: one JSON object a line with every required
 * field, extra fields ignored, blank lines skipped. Also accepts CRLF endings, a UTF-8
 * BOM and a missing final newline. Any other line stops the read with a
 * {@link UserError} naming {@code file:line:column} and what is wrong.
 */
public final class JsonlReader {
    /** Lines longer than this are rejected rather than buffered without bound. */
    public static final int DEFAULT_MAX_LINE_BYTES = 64 << 20;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE).maxNestingDepth(1000).build())
            .build();
    private static final String[] REQUIRED = {
        "schema_version", "ts_unix_ms", "suite_id", "scenario_id", "fixture_id", "packet_id", "mode",
        "seed", "env_fingerprint", "artifact_refs", "replay_command", "outcome", "reason_code",
    };
    private static final int ALL_FIELDS = (1 << REQUIRED.length) - 1;
    private static final int EXCERPT_CHARS = 120;

    private final String sourceName;
    private final InputStream in;
    private final int maxLineBytes;

    private byte[] buffer = new byte[1 << 20];
    private long lineNumber;

    public JsonlReader(String sourceName, InputStream in) {
        this(sourceName, in, DEFAULT_MAX_LINE_BYTES);
    }

    public JsonlReader(String sourceName, InputStream in, int maxLineBytes) {
        this.sourceName = sourceName;
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** Reads every entry, calling {@code handler} in file order; returns the number of entries. */
    public long read(EntryHandler handler) {
        long entries = 0;
        int start = 0;
        int end = 0;
        int scanFrom = 0;
        boolean eof = false;
        boolean firstLine = true;
        while (true) {
            int newline = indexOf(buffer, (byte) '\n', scanFrom, end);
            if (newline < 0 && !eof) {
                if (start > 0) {
                    System.arraycopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    scanFrom = end;
                    start = 0;
                } else {
                    scanFrom = end;
                }
                if (end == buffer.length) {
                    growBuffer();
                }
                int read = readSome(end);
                if (read < 0) {
                    eof = true;
                } else {
                    end += read;
                }
                continue;
            }
            int lineEnd = newline < 0 ? end : newline;
            if (newline < 0 && start == end) {
                return entries;
            }
            lineNumber++;
            int lineStart = start;
            if (firstLine && startsWithBom(buffer, lineStart, lineEnd)) {
                lineStart += 3;
            }
            firstLine = false;
            if (!isBlank(buffer, lineStart, lineEnd - lineStart)) {
                handler.accept(parseEntry(buffer, lineStart, lineEnd - lineStart), lineNumber);
                entries++;
            }
            if (newline < 0) {
                return entries;
            }
            start = newline + 1;
            scanFrom = start;
        }
    }

    private int readSome(int offset) {
        try {
            return in.read(buffer, offset, buffer.length - offset);
        } catch (IOException e) {
            throw new UserError(sourceName + ":" + (lineNumber + 1) + ": cannot read: " + e.getMessage(), e);
        }
    }

    private void growBuffer() {
        if (buffer.length > maxLineBytes) {
            throw new UserError(sourceName + ":" + (lineNumber + 1) + ":1: line is longer than "
                    + maxLineBytes + " bytes; is this a JSONL log?");
        }
        int grown = (int) Math.min((long) buffer.length * 2, (long) maxLineBytes + 1);
        buffer = java.util.Arrays.copyOf(buffer, grown);
    }

    private LogEntry parseEntry(byte[] bytes, int offset, int length) {
        try (JsonParser parser = JSON.createParser(bytes, offset, length)) {
            return parseObject(parser, bytes, offset, length);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw located(at == null ? 1 : at.getColumnNr(), e.getOriginalMessage(), bytes, offset, length);
        } catch (IOException e) {
            throw located(1, e.getMessage(), bytes, offset, length);
        }
    }

    private LogEntry parseObject(JsonParser p, byte[] bytes, int offset, int length) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw located(column(p), "expected a JSON object, found " + describe(p), bytes, offset, length);
        }
        String[] strings = new String[REQUIRED.length];
        long tsUnixMs = 0;
        long seed = 0;
        List<String> artifactRefs = null;
        int seen = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            int field = fieldIndex(name);
            p.nextToken();
            if (field < 0) {
                p.skipChildren();
                continue;
            }
            if ((seen & (1 << field)) != 0) {
                throw located(column(p), "duplicate field \"" + name + "\"", bytes, offset, length);
            }
            seen |= 1 << field;
            switch (name) {
                case "ts_unix_ms" -> tsUnixMs = unsigned64(p, name, bytes, offset, length);
                case "seed" -> seed = unsigned64(p, name, bytes, offset, length);
                case "artifact_refs" -> artifactRefs = stringArray(p, name, bytes, offset, length);
                default -> strings[field] = string(p, name, bytes, offset, length);
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw located(column(p), "expected a field name, found " + describe(p), bytes, offset, length);
        }
        if (p.nextToken() != null) {
            throw located(column(p), "unexpected " + describe(p) + " after the JSON object", bytes, offset, length);
        }
        if (seen != ALL_FIELDS) {
            throw located(column(p), "missing field \"" + REQUIRED[Integer.numberOfTrailingZeros(~seen)] + "\"",
                    bytes, offset, length);
        }
        return new LogEntry(strings[0], tsUnixMs, strings[2], strings[3], strings[4], strings[5], strings[6],
                seed, strings[8], artifactRefs, strings[10], strings[11], strings[12]);
    }

    private static int fieldIndex(String name) {
        for (int i = 0; i < REQUIRED.length; i++) {
            if (REQUIRED[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private String string(JsonParser p, String name, byte[] bytes, int offset, int length) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw located(column(p), "field \"" + name + "\": expected a string, found " + describe(p),
                    bytes, offset, length);
        }
        String value = p.getText();
        if (hasLoneSurrogate(value)) {
            throw located(column(p), "field \"" + name + "\": string escapes an unpaired UTF-16 surrogate",
                    bytes, offset, length);
        }
        return value;
    }

    private List<String> stringArray(JsonParser p, String name, byte[] bytes, int offset, int length)
            throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw located(column(p), "field \"" + name + "\": expected an array of strings, found " + describe(p),
                    bytes, offset, length);
        }
        List<String> values = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            values.add(string(p, name + "[" + values.size() + "]", bytes, offset, length));
        }
        return List.copyOf(values);
    }

    private long unsigned64(JsonParser p, String name, byte[] bytes, int offset, int length) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
            JsonParser.NumberType type = p.getNumberType();
            if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
                long value = p.getLongValue();
                if (value >= 0) {
                    return value;
                }
            } else {
                BigInteger value = p.getBigIntegerValue();
                if (value.signum() >= 0 && value.bitLength() <= 64) {
                    return value.longValue();
                }
            }
        }
        throw located(column(p), "field \"" + name + "\": expected an unsigned 64-bit integer"
                + " (0 to 18446744073709551615), found " + describe(p), bytes, offset, length);
    }

    private UserError located(int column, String message, byte[] bytes, int offset, int length) {
        return new UserError(sourceName + ":" + lineNumber + ":" + Math.max(column, 1) + ": " + message
                + "\n  | " + excerpt(bytes, offset, length));
    }

    private static int column(JsonParser p) {
        return p.currentTokenLocation().getColumnNr();
    }

    private static String describe(JsonParser p) throws IOException {
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

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    private static String excerpt(byte[] bytes, int offset, int length) {
        String text = new String(bytes, offset, Math.min(length, EXCERPT_CHARS * 4), StandardCharsets.UTF_8);
        text = text.replace("\r", "");
        return text.length() <= EXCERPT_CHARS ? text : text.substring(0, EXCERPT_CHARS) + " ...";
    }

    private static int indexOf(byte[] bytes, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWithBom(byte[] bytes, int from, int to) {
        return to - from >= 3 && bytes[from] == (byte) 0xEF && bytes[from + 1] == (byte) 0xBB
                && bytes[from + 2] == (byte) 0xBF;
    }

    /** Blank as Rust's {@code str::trim().is_empty()} sees it: Unicode White_Space only. */
    static boolean isBlank(byte[] bytes, int offset, int length) {
        boolean nonAscii = false;
        for (int i = offset; i < offset + length; i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x80) {
                nonAscii = true;
            } else if (!(b == ' ' || (b >= 0x09 && b <= 0x0d))) {
                return false;
            }
        }
        if (!nonAscii) {
            return true;
        }
        return new String(bytes, offset, length, StandardCharsets.UTF_8).codePoints()
                .allMatch(JsonlReader::isUnicodeWhiteSpace);
    }

    private static boolean isUnicodeWhiteSpace(int cp) {
        return cp == ' ' || (cp >= 0x09 && cp <= 0x0d) || cp == 0x85 || cp == 0xa0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 || cp == 0x202f
                || cp == 0x205f || cp == 0x3000;
    }

    private static boolean hasLoneSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
