package dev.triagerules.replay;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.triagerules.base.AtomicOutput;
import dev.triagerules.base.ExactJson;
import dev.triagerules.base.Unsigned64;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;

/** Small JSON writing helpers shared by transcripts, verdicts and summaries. */
final class JsonFields {
    private JsonFields() {
    }

    /** Writes the body of one JSON document. */
    @FunctionalInterface
    interface Body {
        void writeTo(JsonGenerator g) throws IOException;
    }

    /** Writes one pretty-printed JSON document and a newline, atomically (see {@link AtomicOutput}). */
    static void writePretty(Path file, Body body) {
        AtomicOutput.write(file, out -> {
            try (JsonGenerator g = ExactJson.MAPPER.createGenerator(out)) {
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                g.useDefaultPrettyPrinter();
                body.writeTo(g);
                g.writeRaw('\n');
            }
        });
    }

    /** A seed as a JSON number, digit for digit (it may exceed a long); text if it is not a number. */
    static void writeSeed(JsonGenerator g, String seed) throws IOException {
        g.writeFieldName("seed");
        if (seed == null) {
            g.writeNull();
        } else if (Unsigned64.isDecimal(seed)) {
            g.writeNumber(new BigInteger(seed)); // "007" must become 7: JSON has no leading zeros
        } else {
            g.writeString(seed);
        }
    }
}
