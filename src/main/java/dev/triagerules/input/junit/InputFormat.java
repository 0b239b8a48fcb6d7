package dev.triagerules.input.junit;

import dev.triagerules.base.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The two input formats and how an input is told apart by its content: a JSONL log's
 * first non-blank byte is {@code {}, a JUnit XML report's is {@code <}. A folder is JUnit
 * XML when it holds {@code *.xml} reports (a Surefire reports folder) and no JSONL logs.
 */
public enum InputFormat {
    JSONL, JUNIT_XML;

    private static final int SNIFF_BYTES = 4096;

    /** The format {@code --input-format} names: {@code jsonl}, {@code junit}, or null for {@code auto}. */
    public static InputFormat forced(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "auto" -> null;
            case "jsonl" -> JSONL;
            case "junit", "junit-xml", "xml" -> JUNIT_XML;
            default -> throw new UserError("--input-format: unknown format \"" + name + "\"; one of auto, jsonl, junit");
        };
    }

    /**
     * Looks at the start of a stream without consuming it ({@code in} must support mark):
     * JUnit XML when the first byte after a UTF-8 byte-order mark and white space is
     * {@code <}, JSONL otherwise (its reader then says what is wrong with the first line).
     */
    public static InputFormat sniff(InputStream in) throws IOException {
        if (!in.markSupported()) {
            throw new IllegalArgumentException("sniffing needs a stream that supports mark/reset");
        }
        in.mark(SNIFF_BYTES);
        try {
            int position = 0;
            int b = in.read();
            if (b == 0xef && in.read() == 0xbb && in.read() == 0xbf) { // UTF-8 byte-order mark
                position = 3;
                b = in.read();
            }
            while (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                if (++position >= SNIFF_BYTES) {
                    return JSONL;
                }
                b = in.read();
            }
            return b == '<' ? JUNIT_XML : JSONL;
        } finally {
            in.reset();
        }
    }

    /** The format of a folder: JUnit XML when it has {@code *.xml} or {@code *.xml.gz} files and no JSONL. */
    public static InputFormat ofFolder(Path folder) throws IOException {
        boolean xml = false;
        boolean jsonl = false;
        try (var files = Files.list(folder)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                xml |= name.endsWith(".xml") || name.endsWith(".xml.gz");
                jsonl |= name.endsWith(".jsonl") || name.endsWith(".jsonl.gz");
            }
        }
        return xml && !jsonl ? JUNIT_XML : JSONL;
    }
}
