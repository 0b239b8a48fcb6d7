package dev.triagerules.input;

import dev.triagerules.base.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Streams a JSONL forensic log: memory stays bounded by a few blocks of lines, whatever
 * the size of the file.
 *
 * <p>The input is cut into blocks of whole lines; with several threads, blocks are parsed
 * in parallel and their results handed over strictly in file order, so the handler sees
 * exactly what a sequential read would show, on the calling thread.
 *
 * <p>Accepts what the upstream tool accepts (see {@link EntryParser}), blank lines
 * skipped; also CRLF endings, a UTF-8 BOM and a missing final newline. Any other line
 * stops the read with a {@link UserError} naming {@code file:line:column} and what is
 * wrong, followed by an excerpt of the line.
 */
public final class JsonlReader {
    /** Lines longer than this are rejected rather than buffered without bound. */
    public static final int DEFAULT_MAX_LINE_BYTES = 64 << 20;
    private static final int BLOCK_BYTES = 1 << 20;
    private static final int OVERLONG_HEAD_BYTES = 4096;

    /**
     * Which entries reach the handler.
     *
     * @param outcomes also hand every valid entry (of the packet, with a filter), passing or
     *                 not, to the outcome handler as a lightweight {@link EntryOutcome}
     */
    public record Selection(boolean failuresOnly, String packetFilter, boolean outcomes) {
        /** Every entry. */
        public static final Selection ALL = new Selection(false, null);

        public Selection(boolean failuresOnly, String packetFilter) {
            this(failuresOnly, packetFilter, false);
        }

        /** Failed entries ({@code outcome} not {@code "pass"}), of one packet when the filter is not null. */
        public static Selection failures(String packetFilter) {
            return new Selection(true, packetFilter);
        }

        /** Failed entries as {@link #failures}, and an outcome record of every entry (for run history). */
        public static Selection failuresWithOutcomes(String packetFilter) {
            return new Selection(true, packetFilter, true);
        }
    }

    private final String sourceName;
    private final InputStream in;
    private final int maxLineBytes;
    private final ProgressListener progress;
    private final java.util.function.Consumer<InvalidLine> invalidLines;

    /** Called on the reading thread after each block: bytes and entries so far. */
    @FunctionalInterface
    public interface ProgressListener {
        ProgressListener NONE = (bytes, entries) -> { };

        void update(long bytesRead, long entriesRead);
    }

    public JsonlReader(String sourceName, InputStream in) {
        this(sourceName, in, DEFAULT_MAX_LINE_BYTES, ProgressListener.NONE);
    }

    public JsonlReader(String sourceName, InputStream in, int maxLineBytes) {
        this(sourceName, in, maxLineBytes, ProgressListener.NONE);
    }

    public JsonlReader(String sourceName, InputStream in, int maxLineBytes, ProgressListener progress) {
        this(sourceName, in, maxLineBytes, progress, null);
    }

    /**
     * @param invalidLines receives every invalid line, in file order, and the read goes on;
     *                     null stops the read at the first invalid line with a {@link UserError}
     */
    public JsonlReader(String sourceName, InputStream in, int maxLineBytes, ProgressListener progress,
            java.util.function.Consumer<InvalidLine> invalidLines) {
        this.sourceName = sourceName;
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.progress = progress;
        this.invalidLines = invalidLines;
    }

    /** Reads every entry on this thread, in file order; returns the number of entries. */
    public long read(EntryHandler handler) {
        return read(Selection.ALL, 1, handler);
    }

    /**
     * Reads the log with {@code threads} parser threads; the handler receives the selected
     * entries in file order on the calling thread. Returns the number of entries (blank
     * lines aside), selected or not.
     */
    public long read(Selection selection, int threads, EntryHandler handler) {
        return read(selection, threads, handler, null);
    }

    /**
     * As {@link #read(Selection, int, EntryHandler)}; with {@link Selection#outcomes()},
     * {@code outcomes} also receives a record of every valid entry in file order (failed
     * ones with their reason code), on the calling thread.
     */
    public long read(Selection selection, int threads, EntryHandler handler,
            java.util.function.Consumer<EntryOutcome> outcomes) {
        if (selection.outcomes() && outcomes == null) {
            throw new IllegalArgumentException("selection wants outcomes but there is no outcome handler");
        }
        this.outcomeHandler = outcomes;
        ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, daemon()) : null;
        Deque<Future<Block>> pending = new ArrayDeque<>();
        Totals totals = new Totals();
        try {
            Block block;
            while ((block = nextBlock(totals.blocks == 0)) != null) {
                totals.blocks++;
                if (pool == null) {
                    deliver(block.parse(selection), totals, handler);
                    continue;
                }
                Block submitted = block;
                pending.addLast(pool.submit(() -> submitted.parse(selection)));
                if (pending.size() >= 2 * threads) {
                    deliver(await(pending.removeFirst()), totals, handler);
                }
            }
            while (!pending.isEmpty()) {
                deliver(await(pending.removeFirst()), totals, handler);
            }
            return totals.entries;
        } finally {
            if (pool != null) {
                pending.forEach(f -> f.cancel(true));
                pool.shutdownNow();
            }
        }
    }

    private static final class Totals {
        long lines;
        long entries;
        long bytes;
        long blocks;
    }

    private java.util.function.Consumer<EntryOutcome> outcomeHandler;

    private void deliver(Block block, Totals totals, EntryHandler handler) {
        for (int i = 0; i < block.selected.size(); i++) {
            handler.accept(block.selected.get(i), totals.lines + block.selectedLines[i]);
        }
        if (block.outcomes != null) {
            for (EntryOutcome outcome : block.outcomes) {
                outcomeHandler.accept(outcome);
            }
        }
        for (InvalidLine rejected : block.rejected) {
            invalidLines.accept(new InvalidLine(totals.lines + rejected.lineNumber(), rejected.column(),
                    rejected.message(), rejected.raw(), rejected.rawLength(), rejected.truncated()));
        }
        if (block.error != null) {
            long line = totals.lines + block.errorLine;
            throw new UserError(sourceName + ":" + line + ":" + block.error.column + ": " + block.error.getMessage()
                    + "\n  | " + block.error.excerpt);
        }
        totals.lines += block.lines;
        totals.entries += block.entries;
        totals.bytes += block.length;
        progress.update(totals.bytes, totals.entries);
    }

    private static Block await(Future<Block> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while reading");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    // ---- cutting the stream into blocks of whole lines ----

    private byte[] carry = new byte[0];
    private int carryLength;
    private boolean eof;

    /** The next block of whole lines (the last may lack its newline), or null at the end. */
    private Block nextBlock(boolean first) {
        if (eof && carryLength == 0) {
            return null;
        }
        byte[] buffer = Arrays.copyOf(carry, Math.max(BLOCK_BYTES, carryLength + BLOCK_BYTES / 4));
        int length = carryLength;
        int scanned = 0;
        while (true) {
            int newline = lastNewline(buffer, scanned, length);
            if (newline >= 0 && (length >= BLOCK_BYTES / 2 || eof)) {
                carry = Arrays.copyOfRange(buffer, newline + 1, Math.max(length, newline + 1));
                carryLength = length - newline - 1;
                return new Block(buffer, first, newline + 1);
            }
            if (eof) {
                carry = new byte[0];
                carryLength = 0;
                return length == 0 ? null : new Block(buffer, first, length);
            }
            if (newline < 0) {
                scanned = length;
            }
            if (newline < 0 && length > maxLineBytes) {
                if (invalidLines == null) {
                    // One line fills the buffer: report it (after the blocks before it) and stop reading.
                    eof = true;
                    carry = new byte[0];
                    carryLength = 0;
                    return new Block(buffer, first, length);
                }
                return skipOverlongLine(buffer, length, first);
            }
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, (long) maxLineBytes + 2));
            }
            int read = readSome(buffer, length);
            if (read < 0) {
                eof = true;
            } else {
                length += read;
            }
        }
    }

    /** Reads past the rest of a line too long to hold, keeping its head for the quarantine. */
    private Block skipOverlongLine(byte[] buffer, int length, boolean first) {
        byte[] head = Arrays.copyOf(buffer, OVERLONG_HEAD_BYTES);
        long total = length;
        while (true) {
            int read = readSome(buffer, 0);
            if (read < 0) {
                eof = true;
                carry = new byte[0];
                carryLength = 0;
                break;
            }
            int newline = indexOf(buffer, (byte) '\n', 0, read);
            if (newline >= 0) {
                total += newline;
                carry = Arrays.copyOfRange(buffer, newline + 1, read);
                carryLength = carry.length;
                break;
            }
            total += read;
        }
        Block block = new Block(head, first, 0);
        block.lines = 1;
        block.rejected.add(new InvalidLine(1, 1, "line is longer than " + maxLineBytes
                + " bytes (" + total + " bytes); is this a JSONL log?", head, total, true));
        return block;
    }

    private int readSome(byte[] buffer, int offset) {
        try {
            return in.read(buffer, offset, buffer.length - offset);
        } catch (IOException e) {
            throw new UserError(sourceName + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static int lastNewline(byte[] bytes, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return runnable -> {
            Thread thread = new Thread(runnable, "triage-rules-parser");
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Whole lines of the input, parsed independently of every other block. */
    private final class Block {
        final byte[] bytes;
        final boolean first;
        final int length;
        int lines;
        long entries;
        final List<LogEntry> selected = new ArrayList<>();
        final List<InvalidLine> rejected = new ArrayList<>(0);
        List<EntryOutcome> outcomes;
        long[] selectedLines = new long[16];
        EntryParser.LineError error;
        long errorLine;

        Block(byte[] bytes, boolean first, int length) {
            this.bytes = bytes;
            this.first = first;
            this.length = length;
        }

        Block parse(Selection selection) {
            if (selection.outcomes()) {
                outcomes = new ArrayList<>();
            }
            // The scanner reads plain lines without a parser (most of a big log); the parser
            // takes the rest.
            PlainEntryScanner scanner = selection.failuresOnly()
                    ? new PlainEntryScanner(bytes, length, selection.packetFilter(), selection.outcomes()) : null;
            int start = first && startsWithBom(bytes, length) ? 3 : 0;
            while (start < length) {
                if (scanner != null) {
                    int end = scanner.scan(start);
                    if (end >= 0 && end - start <= maxLineBytes) {
                        lines++;
                        entries++;
                        addScanned(scanner, selection);
                        start = end + 1;
                        continue;
                    }
                }
                int end = lineEnd(start);
                if (!parseLine(selection, start, end)) {
                    return this;
                }
                start = end + 1;
            }
            return this;
        }

        /** Reads the line bytes[start, end); false when the read must stop here. */
        private boolean parseLine(Selection selection, int start, int end) {
            lines++;
            if (end - start > maxLineBytes) {
                return !reject(EntryParser.error(1, "line is longer than " + maxLineBytes
                        + " bytes; is this a JSONL log?", bytes, start, 200), start, end);
            }
            if (isBlank(bytes, start, end - start)) {
                return true;
            }
            entries++;
            try {
                if (selection.outcomes()) {
                    addWithOutcome(selection, start, end - start);
                } else if (!selection.failuresOnly()
                        || EntryParser.selects(bytes, start, end - start, selection.packetFilter())) {
                    add(EntryParser.parse(bytes, start, end - start));
                }
            } catch (EntryParser.LineError e) {
                entries--;
                return !reject(e, start, end);
            }
            return true;
        }

        /** Records an invalid line; true when the read must stop here. */
        private boolean reject(EntryParser.LineError e, int start, int end) {
            if (invalidLines == null) {
                error = e;
                errorLine = lines;
                return true;
            }
            int stripped = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
            rejected.add(new InvalidLine(lines, e.column, e.getMessage(), Arrays.copyOfRange(bytes, start, stripped),
                    stripped - start, false));
            return false;
        }

        /** A line the scanner read: its entry if selected, its outcome if wanted, as the parser's path does. */
        private void addScanned(PlainEntryScanner scanner, Selection selection) {
            if (!scanner.selected()) {
                return; // another packet's
            }
            if (scanner.failed() != null) {
                add(scanner.failed());
            }
            if (outcomes != null) {
                outcomes.add(scanner.outcome());
            }
        }

        /** Outcome mode: every valid entry gives an outcome; failed ones are built in full too. */
        private void addWithOutcome(Selection selection, int offset, int lineLength) {
            EntryParser.Outcome parsed = EntryParser.outcome(bytes, offset, lineLength, selection.packetFilter());
            EntryOutcome outcome = parsed.outcome();
            if (outcome == null && !parsed.selected()) {
                // Excluded by the packet filter.
                if (!selection.failuresOnly()) {
                    add(EntryParser.parse(bytes, offset, lineLength));
                }
                return;
            }
            if (outcome == null || !selection.failuresOnly()) {
                LogEntry entry = EntryParser.parse(bytes, offset, lineLength);
                add(entry);
                if (outcome == null) {
                    outcome = EntryOutcome.of(entry);
                }
            }
            outcomes.add(outcome);
        }

        /** The index of the newline ending the line at {@code from} (or the block's end), eight bytes at a time. */
        private int lineEnd(int from) {
            int i = from;
            for (; i + 8 <= length; i += 8) {
                long newlines = zeroByteMask((long) LONGS.get(bytes, i) ^ NEWLINES);
                if (newlines != 0) {
                    return i + (Long.numberOfTrailingZeros(newlines) >>> 3);
                }
            }
            while (i < length && bytes[i] != '\n') {
                i++;
            }
            return i;
        }

        private void add(LogEntry entry) {
            if (selected.size() == selectedLines.length) {
                selectedLines = Arrays.copyOf(selectedLines, selectedLines.length * 2);
            }
            selectedLines[selected.size()] = lines;
            selected.add(entry);
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

    /**
     * A mask with the high bit set in each zero byte of {@code word} (the classic SWAR test).
     * The lowest set bit always marks a true zero byte; bits above a true zero may be false.
     */
    private static long zeroByteMask(long word) {
        return (word - 0x0101010101010101L) & ~word & 0x8080808080808080L;
    }

    private static int indexOf(byte[] bytes, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWithBom(byte[] bytes, int length) {
        return length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF;
    }

    /** Blank as Rust's {@code str::trim().is_empty()} sees it: Unicode White_Space only. */
    static boolean isBlank(byte[] bytes, int offset, int length) {
        boolean nonAscii = false;
        for (int i = offset; i < offset + length; i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x80) {
                nonAscii = true;
            } else if (!(b == ' ' || (b >= 0x09 && b <= 0x0d))) {
                return false;
            }
        }
        if (!nonAscii) {
            return true;
        }
        return new String(bytes, offset, length, StandardCharsets.UTF_8).codePoints()
                .allMatch(JsonlReader::isUnicodeWhiteSpace);
    }

    private static boolean isUnicodeWhiteSpace(int cp) {
        return cp == ' ' || (cp >= 0x09 && cp <= 0x0d) || cp == 0x85 || cp == 0xa0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 || cp == 0x202f
                || cp == 0x205f || cp == 0x3000;
    }
}
