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
        assertEquals("{\"seed\":7}", seed("007"), "JSON numbers have no leading zeros");
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
