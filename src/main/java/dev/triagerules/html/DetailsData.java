package dev.triagerules.html;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.triagerules.base.VisibleText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * The incidents' details of a large report as data for the page's script: a JSON array of
 * {@link HtmlPage.Detail} (row order), raw-deflated (the browser's
 * {@code DecompressionStream("deflate-raw")} reads it) and base64-encoded. Details repeat
 * most of their text from incident to incident, so they shrink about tenfold, which is what
 * keeps 10,000 incidents within the 5 MB budget.
 *
 * <p>Deterministic per zlib, by decision: the same report gives the same bytes wherever the
 * zlib is the same (the JDK's, or the system's on Debian), and what they inflate to (Jackson's
 * JSON) is the same everywhere. Making the compressed bytes machine-independent would take a
 * hand-written or vendored deflater (stored blocks alone would break the size budget); a
 * byte-identical page across different zlib builds is not worth that, see docs/html-report.md.
 *
 * <p>Every text is made visible as the templates' values are ({@link VisibleHtmlOutput}):
 * the script puts these texts on the page.
 */
final class DetailsData {
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new SimpleModule().addSerializer(String.class, new VisibleStrings()));

    /** Strings as {@link VisibleText#inPage} shows them. */
    private static final class VisibleStrings extends StdSerializer<String> {
        private static final long serialVersionUID = 1L;

        VisibleStrings() {
            super(String.class);
        }

        @Override
        public void serialize(String value, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeString(VisibleText.inPage(value));
        }
    }

    private DetailsData() {
    }

    static String encode(List<HtmlPage.Detail> details) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try (DeflaterOutputStream out = new DeflaterOutputStream(compressed, deflater, 1 << 16)) {
            JSON.writeValue(out, details);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deflater.end();
        }
        return Base64.getEncoder().encodeToString(compressed.toByteArray());
    }
}
