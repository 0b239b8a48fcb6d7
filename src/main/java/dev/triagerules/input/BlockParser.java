package dev.triagerules.input;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Line dispatch: reads the lines of one block, each on its own, into what the reader
 * hands over. A line goes to the {@link PlainEntryScanner} first (most of a big log) and
 * to the {@link EntryParser} when the scanner is unsure; blank lines are skipped. Line
 * numbers are counted from the block's start; the reader adds the lines before it.
 */
final class BlockParser {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

    /** What one block held. Line numbers are 1-based within the block. */
    static final class Parsed {
        /** Bytes of input the block covered. */
        final int length;
        int lines;
        long entries;
        final List<LogEntry> selected = new ArrayList<>();
        long[] selectedLines = new long[16];
        final List<InvalidLine> rejected = new ArrayList<>(0);
        /** Null unless the selection asked for outcomes. */
        List<EntryOutcome> outcomes;
        /** The invalid line that stops the read (when invalid lines are not skipped), and its line. */
        EntryParser.LineError error;
        long errorLine;

        Parsed(int length) {
            this.length = length;
        }
    }

    private final Selection selection;
    private final int maxLineBytes;
    private final boolean skipInvalid;
    /** Each parser thread's decoded texts, kept from block to block. */
    private final ThreadLocal<TextCache> texts = ThreadLocal.withInitial(TextCache::new);

    /** @param skipInvalid whether an invalid line is kept as rejected and reading goes on, or stops the block */
    BlockParser(Selection selection, int maxLineBytes, boolean skipInvalid) {
        this.selection = selection;
        this.maxLineBytes = maxLineBytes;
        this.skipInvalid = skipInvalid;
    }

    Parsed parse(LineBlocks.Block block) {
        Parsed parsed = new Parsed(block.length());
        if (block.overlong() != null) {
            parsed.lines = 1;
            parsed.rejected.add(block.overlong());
            return parsed;
        }
        new Lines(block, parsed).read();
        return parsed;
    }

    /** One pass over a block's lines. */
    private final class Lines {
        private final byte[] bytes;
        private final int length;
        private final boolean first;
        private final Parsed parsed;

        Lines(LineBlocks.Block block, Parsed parsed) {
            this.bytes = block.bytes();
            this.length = block.length();
            this.first = block.first();
            this.parsed = parsed;
        }

        void read() {
            if (selection.outcomes()) {
                parsed.outcomes = new ArrayList<>();
            }
            // The scanner reads plain lines without a parser (most of a big log); the parser
            // takes the rest.
            PlainEntryScanner scanner = selection.failuresOnly()
                    ? new PlainEntryScanner(bytes, length, selection.packetFilter(), selection.outcomes(), texts.get())
                    : null;
            int start = first && startsWithBom(bytes, length) ? 3 : 0;
            while (start < length) {
                if (scanner != null) {
                    int end = scanner.scan(start);
                    if (end >= 0 && end - start <= maxLineBytes) {
                        parsed.lines++;
                        parsed.entries++;
                        addScanned(scanner);
                        start = end + 1;
                        continue;
                    }
                }
                int end = lineEnd(start);
                if (!parseLine(start, end)) {
                    return;
                }
                start = end + 1;
            }
        }

        /** Reads the line bytes[start, end); false when the read must stop here. */
        private boolean parseLine(int start, int end) {
            parsed.lines++;
            if (end - start > maxLineBytes) {
                return !reject(EntryParser.error(1, "line is longer than " + maxLineBytes
                        + " bytes; is this a JSONL log?", bytes, start, 200), start, end);
            }
            if (isBlank(bytes, start, end - start)) {
                return true;
            }
            parsed.entries++;
            try {
                if (selection.outcomes()) {
                    addWithOutcome(start, end - start);
                } else if (!selection.failuresOnly()
                        || EntryParser.selects(bytes, start, end - start, selection.packetFilter())) {
                    add(EntryParser.parse(bytes, start, end - start));
                }
            } catch (EntryParser.LineError e) {
                parsed.entries--;
                return !reject(e, start, end);
            }
            return true;
        }

        /** Records an invalid line; true when the read must stop here. */
        private boolean reject(EntryParser.LineError e, int start, int end) {
            if (!skipInvalid) {
                parsed.error = e;
                parsed.errorLine = parsed.lines;
                return true;
            }
            int stripped = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
            parsed.rejected.add(new InvalidLine(parsed.lines, e.column, e.getMessage(),
                    Arrays.copyOfRange(bytes, start, stripped), stripped - start, false));
            return false;
        }

        /** A line the scanner read: its entry if selected, its outcome if wanted, as the parser's path does. */
        private void addScanned(PlainEntryScanner scanner) {
            if (!scanner.selected()) {
                return; // another packet's
            }
            if (scanner.failed() != null) {
                add(scanner.failed());
            }
            if (parsed.outcomes != null) {
                parsed.outcomes.add(scanner.outcome());
            }
        }

        /** Outcome mode: every valid entry gives an outcome; failed ones are built in full too. */
        private void addWithOutcome(int offset, int lineLength) {
            EntryParser.Outcome found = EntryParser.outcome(bytes, offset, lineLength, selection.packetFilter());
            EntryOutcome outcome = found.outcome();
            if (outcome == null && !found.selected()) {
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
            parsed.outcomes.add(outcome);
        }

        /** The index of the newline ending the line at {@code from} (or the block's end), eight bytes at a time. */
        private int lineEnd(int from) {
            int i = from;
            for (; i + 8 <= length; i += 8) {
                long newlines = zeroByteMask((long) LONGS.get(bytes, i) ^ NEWLINES);
                if (newlines != 0) {
                    return i + Swar.lowestMarkedByte(newlines);
                }
            }
            while (i < length && bytes[i] != '\n') {
                i++;
            }
            return i;
        }

        private void add(LogEntry entry) {
            if (parsed.selected.size() == parsed.selectedLines.length) {
                parsed.selectedLines = Arrays.copyOf(parsed.selectedLines, parsed.selectedLines.length * 2);
            }
            parsed.selectedLines[parsed.selected.size()] = parsed.lines;
            parsed.selected.add(entry);
        }
    }

    /**
     * A mask with the high bit set in each zero byte of {@code word} (the classic SWAR test).
     * The lowest set bit always marks a true zero byte; bits above a true zero may be false.
     */
    private static long zeroByteMask(long word) {
        return (word - 0x0101010101010101L) & ~word & 0x8080808080808080L;
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
                .allMatch(BlockParser::isUnicodeWhiteSpace);
    }

    private static boolean isUnicodeWhiteSpace(int cp) {
        return cp == ' ' || (cp >= 0x09 && cp <= 0x0d) || cp == 0x85 || cp == 0xa0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 || cp == 0x202f
                || cp == 0x205f || cp == 0x3000;
    }
}
