package dev.triagerules.input;

import dev.triagerules.base.UserError;
import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opens {@code --input}: a path, or {@code -} for stdin; gzip is detected by its magic bytes. */
public final class InputOpener {
    public static final String STDIN = "-";
    private static final int BUFFER = 1 << 16;

    private InputOpener() {
    }

    public static InputStream open(String input) {
        try {
            InputStream raw = STDIN.equals(input) ? System.in : Files.newInputStream(Path.of(input));
            return gunzipIfCompressed(new BufferedInputStream(raw, BUFFER));
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new UserError(input + ": no such file");
        } catch (AccessDeniedException e) {
            throw new UserError(input + ": permission denied");
        } catch (IOException e) {
            throw new UserError(input + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static InputStream gunzipIfCompressed(BufferedInputStream in) throws IOException {
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        boolean gzip = first == 0x1f && second == 0x8b;
        return gzip ? new GZIPInputStream(in, BUFFER) : in;
    }
}
