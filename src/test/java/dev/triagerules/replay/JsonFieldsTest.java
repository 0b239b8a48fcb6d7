package dev.triagerules.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class JsonFieldsTest {

    @Test
    void seedsAreWrittenAsValidJsonNumbersExactly() throws IOException {
        // Replay ran TRIAGE_SEED=007: written as 7, it would read as the seed 7 (see JsonFields#writeSeed).
        assertEquals("{\"seed\":\"007\"}", seed("007"), "JSON numbers have no leading zeros: kept as it ran");
        assertEquals("{\"seed\":0}", seed("0"));
        assertEquals("{\"seed\":\"00\"}", seed("00"));
        assertEquals("{\"seed\":18446744073709551615}", seed("18446744073709551615"));
        assertEquals("{\"seed\":\"x7\"}", seed("x7"));
    }

    private static String seed(String seed) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            JsonFields.writeSeed(g, seed);
            g.writeEndObject();
        }
        return out.toString();
    }
}
