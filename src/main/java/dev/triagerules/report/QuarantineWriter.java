package dev.triagerules.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.triagerules.base.AtomicOutput;
import dev.triagerules.base.OutputSet;
import dev.triagerules.input.InvalidLine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The quarantine of {@code --on-invalid skip}: one JSON object a line per rejected input
 * line, with its source, line, column, reason and the line itself ({@code raw}, or
 * {@code raw_base64} when it is not UTF-8). Written to a file of an {@link OutputSet} as
 * the input is read, put in place when the set is committed, with the run's other outputs.
 */
public final class QuarantineWriter {
    private static final JsonFactory JSON = new JsonFactory();

    private final Path path;
    private final AtomicOutput.Pending file;
    private final JsonGenerator json;

    public QuarantineWriter(Path path, OutputSet outputs) {
        this.path = path;
        this.file = outputs.open(path);
        try {
            this.json = JSON.createGenerator(file.stream());
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.setRootValueSeparator(null); // we write the newlines: one object a line
        } catch (IOException e) {
            throw file.cannotWrite(e);
        }
    }

    public void add(String source, InvalidLine line) {
        try {
            json.writeStartObject();
            json.writeStringField("source", source);
            json.writeNumberField("line", line.lineNumber());
            json.writeNumberField("column", line.column());
            json.writeStringField("error", line.message());
            String text = utf8(line.raw());
            if (text != null) {
                json.writeStringField("raw", text);
            } else {
                json.writeStringField("raw_base64", Base64.getEncoder().encodeToString(line.raw()));
            }
            if (line.truncated()) {
                json.writeBooleanField("raw_truncated", true);
                json.writeNumberField("raw_bytes", line.rawLength());
            }
            json.writeEndObject();
            json.writeRaw('\n');
        } catch (IOException e) {
            throw file.cannotWrite(e);
        }
    }

    public Path path() {
        return path;
    }

    /** Hands every line to the file; it becomes visible when its {@link OutputSet} is committed. */
    public void finish() {
        try {
            json.flush();
        } catch (IOException e) {
            throw file.cannotWrite(e);
        }
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
