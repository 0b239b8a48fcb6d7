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

    /**
     * The seed replay ran (its TRIAGE_SEED) as it ran it: a JSON number, digit for digit (it
     * may exceed a long), when it is the canonical text of an unsigned 64-bit integer; else
     * its text as a string. "007" stays "007": written as 7, it would read as the seed 7,
     * which a program given TRIAGE_SEED=007 may not have run, and a transcript of it would
     * close a report whose seed is 7.
     */
    static void writeSeed(JsonGenerator g, String seed) throws IOException {
        g.writeFieldName("seed");
        if (seed == null) {
            g.writeNull();
        } else if (Unsigned64.isCanonicalDecimal(seed)) {
            g.writeNumber(new BigInteger(seed));
        } else {
            g.writeString(seed);
        }
    }
}
