package dev.triagerules.input;

import java.util.function.Consumer;

/**
 * How a run is read (what is handed over is the {@link Selection}'s business).
 *
 * @param threads      parser threads; 1 parses on the calling thread
 * @param maxLineBytes lines longer than this are invalid rather than buffered without bound
 * @param progress     told how far the read has come
 * @param invalidLines receives every invalid line, in order, and the read goes on; null
 *                     stops the read at the first invalid line with a
 *                     {@link dev.triagerules.base.UserError} naming {@code file:line:column}
 */
public record ReadOptions(int threads, int maxLineBytes, ProgressListener progress,
        Consumer<InvalidLine> invalidLines) {
    public static final int DEFAULT_MAX_LINE_BYTES = 64 << 20;
    /** One thread, 64 MiB lines, no progress, stop at the first invalid line. */
    public static final ReadOptions DEFAULT = new ReadOptions(1, DEFAULT_MAX_LINE_BYTES, ProgressListener.NONE, null);

    public ReadOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (progress == null) {
            progress = ProgressListener.NONE;
        }
    }

    public ReadOptions withThreads(int threads) {
        return new ReadOptions(threads, maxLineBytes, progress, invalidLines);
    }

    public ReadOptions withMaxLineBytes(int maxLineBytes) {
        return new ReadOptions(threads, maxLineBytes, progress, invalidLines);
    }

    public ReadOptions withProgress(ProgressListener progress) {
        return new ReadOptions(threads, maxLineBytes, progress, invalidLines);
    }

    /** @param invalidLines null to stop at the first invalid line */
    public ReadOptions withInvalidLines(Consumer<InvalidLine> invalidLines) {
        return new ReadOptions(threads, maxLineBytes, progress, invalidLines);
    }
}
