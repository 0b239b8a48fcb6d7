package dev.triagerules.input.junit;

import dev.triagerules.base.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The two input formats and how an input is told apart by its content: a JSONL log's
 * first non-blank character is {@code {}, a JUnit XML report's is {@code <}. A folder is JUnit
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
     * JUnit XML when the first character after a byte-order mark and white space is
     * {@code <}, JSONL otherwise (its reader then says what is wrong with the first line).
     * The mark may be UTF-8's, or UTF-16's or UTF-32's (either byte order): XML may be
     * saved in those (Windows tools do), a JSONL log may not. UTF-16 and UTF-32 without a
     * mark are told by their zero bytes ({@link #unmarkedWideCharset}).
     */
    public static InputFormat sniff(InputStream in) throws IOException {
        return sniffContent(in).orElse(JSONL);
    }

    /**
     * As {@link #sniff}, but empty when the first 4 KiB hold nothing but a byte-order mark and
     * white space (an empty file): nothing tells the format, and a file among others takes
     * theirs.
     */
    public static Optional<InputFormat> sniffContent(InputStream in) throws IOException {
        if (!in.markSupported()) {
            throw new IllegalArgumentException("sniffing needs a stream that supports mark/reset");
        }
        in.mark(SNIFF_BYTES);
        byte[] head;
        try {
            head = in.readNBytes(SNIFF_BYTES);
        } finally {
            in.reset();
        }
        Charset charset = unmarkedWideCharset(head).orElse(StandardCharsets.UTF_8);
        int markLength = 0;
        for (ByteOrderMark mark : ByteOrderMark.values()) {
            if (Arrays.equals(head, 0, Math.min(head.length, mark.bytes.length), mark.bytes, 0, mark.bytes.length)) {
                charset = mark.charset();
                markLength = mark.bytes.length;
                break;
            }
        }
        String text = new String(head, markLength, head.length - markLength, charset);
        int first = 0;
        while (first < text.length() && " \t\r\n".indexOf(text.charAt(first)) >= 0) {
            first++;
        }
        if (first == text.length()) {
            return Optional.empty();
        }
        return Optional.of(text.charAt(first) == '<' ? JUNIT_XML : JSONL);
    }

    /**
     * The encoding of a text in UTF-16 or UTF-32 saved without a byte-order mark, told by
     * where its first character's zero bytes are (XML 1.0 appendix F): {@code 00 00 00 xx}
     * UTF-32BE, {@code xx 00 00 00} UTF-32LE, {@code 00 xx} UTF-16BE, {@code xx 00} UTF-16LE.
     * Empty when the head starts with a byte-order mark, or with a non-zero byte followed by
     * another (UTF-8 and ASCII never have a zero byte there).
     */
    public static Optional<Charset> unmarkedWideCharset(byte[] head) {
        if (head.length < 2) {
            return Optional.empty();
        }
        for (ByteOrderMark mark : ByteOrderMark.values()) {
            if (head.length >= mark.bytes.length && Arrays.equals(head, 0, mark.bytes.length, mark.bytes, 0,
                    mark.bytes.length)) {
                return Optional.empty();
            }
        }
        boolean quad = head.length >= 4;
        if (quad && head[0] == 0 && head[1] == 0 && head[2] == 0 && head[3] != 0) {
            return Optional.of(Charset.forName("UTF-32BE"));
        }
        if (quad && head[0] != 0 && head[1] == 0 && head[2] == 0 && head[3] == 0) {
            return Optional.of(Charset.forName("UTF-32LE"));
        }
        if (head[0] == 0 && head[1] != 0) {
            return Optional.of(StandardCharsets.UTF_16BE);
        }
        if (head[0] != 0 && head[1] == 0) {
            return Optional.of(StandardCharsets.UTF_16LE);
        }
        return Optional.empty();
    }

    /** Byte-order marks, longest first: UTF-32LE's begins with UTF-16LE's. */
    private enum ByteOrderMark {
        UTF_32BE("UTF-32BE", 0x00, 0x00, 0xFE, 0xFF),
        UTF_32LE("UTF-32LE", 0xFF, 0xFE, 0x00, 0x00),
        UTF_8("UTF-8", 0xEF, 0xBB, 0xBF),
        UTF_16BE("UTF-16BE", 0xFE, 0xFF),
        UTF_16LE("UTF-16LE", 0xFF, 0xFE);

        private final String charsetName;
        private final byte[] bytes;

        ByteOrderMark(String charsetName, int... bytes) {
            this.charsetName = charsetName;
            this.bytes = new byte[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                this.bytes[i] = (byte) bytes[i];
            }
        }

        Charset charset() {
            return Charset.forName(charsetName);
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
