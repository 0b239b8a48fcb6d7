package dev.triagerules.base;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON mapper for files that carry unsigned 64-bit numbers (reports, replay files,
 * beads stores): whole numbers read as BigInteger and fractions as BigDecimal, so no value
 * passes through long or double and loses digits.
 */
public final class ExactJson {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private ExactJson() {
    }
}
