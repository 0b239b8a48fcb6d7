package dev.triagerules.replay;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.triagerules.report.Unsigned64;
import java.io.IOException;

/** Small JSON writing helpers shared by transcripts and summaries. */
final class JsonFields {
    private JsonFields() {
    }

    /** A seed as a JSON number, digit for digit (it may exceed a long); text if it is not a number. */
    static void writeSeed(JsonGenerator g, String seed) throws IOException {
        g.writeFieldName("seed");
        if (seed == null) {
            g.writeNull();
        } else if (Unsigned64.isDecimal(seed)) {
            g.writeNumber(seed);
        } else {
            g.writeString(seed);
        }
    }
}
