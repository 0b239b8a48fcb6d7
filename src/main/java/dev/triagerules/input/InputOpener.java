package dev.triagerules.input;

import dev.triagerules.base.UserError;
import dev.triagerules.base.VisibleText;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens {@code --input}: a path, or {@code -} for stdin; gzip is detected by its magic
 * bytes. Any readable stream works: files, FIFOs and process substitution
 * ({@code <(cmd)}), character devices such as {@code /dev/stdin}.
 *
 * <p>Files are opened with {@link FileInputStream}, not {@code Files.newInputStream}: on
 * JDK 17 the latter's {@code available()} seeks, which fails on a pipe with "Illegal
 * seek", and buffered streams ask it. Nothing here relies on {@code available()}.
 */
public final class InputOpener {
    public static final String STDIN = "-";

    private InputOpener() {
    }

    public static InputStream open(String input) {
        InputStream raw;
        if (STDIN.equals(input)) {
            ClosedStdin.check();
            raw = System.in;
        } else {
            raw = openFile(input);
        }
        try {
            return gunzipIfCompressed(new PushbackInputStream(raw, 2));
        } catch (IOException e) {
            closeQuietly(raw);
            throw new UserError(VisibleText.inMessage(input) + ": cannot read: "
                    + VisibleText.inMessage(e.getMessage()), e);
        }
    }

    private static InputStream openFile(String input) {
        Path path = Path.of(input);
        String name = VisibleText.inMessage(input);
        try {
            return new FileInputStream(path.toFile());
        } catch (FileNotFoundException e) {
            // FileInputStream says why only in its message: tell the usual cases apart here.
            if (!Files.exists(path)) {
                throw new UserError(name + ": no such file");
            }
            if (Files.isDirectory(path)) {
                throw new UserError(name + ": is a folder; give a log file, or a folder on its own to read its"
                        + " *.jsonl and *.jsonl.gz logs");
            }
            if (!Files.isReadable(path)) {
                throw new UserError(name + ": permission denied");
            }
            throw new UserError(name + ": cannot open: " + VisibleText.inMessage(e.getMessage()), e);
        } catch (SecurityException e) {
            throw new UserError(name + ": permission denied", e);
        }
    }

    /** Looks at the first two bytes (a pipe may hand them over one at a time) and puts them back. */
    private static InputStream gunzipIfCompressed(PushbackInputStream in) throws IOException {
        byte[] head = new byte[2];
        int length = 0;
        while (length < 2) {
            int n = in.read(head, length, 2 - length);
            if (n < 0) {
                break;
            }
            length += n;
        }
        in.unread(head, 0, length);
        boolean gzip = length == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
        return gzip ? new GzipInput(in) : in;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // already failing; the first error is the one to report
        }
    }
}
