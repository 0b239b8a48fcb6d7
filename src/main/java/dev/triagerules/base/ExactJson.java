package dev.triagerules.base;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON mapper for files that carry unsigned 64-bit numbers (reports, replay files,
 * beads stores): whole numbers read as BigInteger and fractions as BigDecimal, so no value
 * passes through long or double and loses digits.
 *
 * <p>No cap on a string's length: a report carries the text of log lines of up to 64 MiB
 * each, and Jackson's default cap (20,000,000 chars) made such a report unreadable to every
 * command after the run had written it. The file's size bounds the memory, not the cap
 * (a replay summary, read as a stream through {@link #FACTORY}, keeps only what it needs).
 *
 * <p>Strict about what a reader could take two ways: a key given twice (a second
 * {@code "incidents": []} made the gate check nothing) and anything after the value
 * ({@code {...} xx}) are errors.
 */
public final class ExactJson {
    /**
     * The parsers behind {@link #MAPPER}, for files read as a stream: no cap on a string,
     * and a key given twice is an error. Text after the value is the reader's to check.
     */
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    public static final ObjectMapper MAPPER = new ObjectMapper(FACTORY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private ExactJson() {
    }

    /**
     * The JSON type of a value, with its article, for messages about a value of the wrong
     * type: {@code a number}, {@code an object}; {@code null} for null.
     */
    public static String typeFound(JsonNode value) {
        if (value.isNull()) {
            return "null";
        }
        String found = value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        return (found.matches("[aeiou].*") ? "an " : "a ") + found;
    }
}
