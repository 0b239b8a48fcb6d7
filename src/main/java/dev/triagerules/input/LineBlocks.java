package dev.triagerules.input;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Cuts a stream into blocks of whole lines (about a MiB each), so that blocks can be
 * parsed independently and memory stays bounded by a few blocks whatever the size of the
 * input. A line longer than the limit is either handed over alone (and the stream ends
 * there: the reader reports it and stops) or, when invalid lines are skipped, read past
 * and given as a block holding only its head.
 */
final class LineBlocks {
    private static final int BLOCK_BYTES = 1 << 20;
    private static final int OVERLONG_HEAD_BYTES = 4096;

    /**
     * Whole lines of the input: {@code bytes[0, length)}; the last may lack its newline.
     *
     * @param first    whether it starts the input (which may begin with a byte-order mark)
     * @param overlong a line too long to hold, when the block is only that line's head
     */
    record Block(byte[] bytes, int length, boolean first, InvalidLine overlong) {
    }

    /**
     * The input could not be read on (a broken gzip stream, an I/O error): the reader
     * names the line it had reached.
     *
     * @param bytesRead bytes of log (decompressed) read before the failure
     */
    static final class ReadFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long bytesRead;

        ReadFailure(IOException cause, long bytesRead) {
            super(cause.getMessage(), cause);
            this.bytesRead = bytesRead;
        }

        /** What went wrong, as a message: the gzip reader's own words, else "cannot read: ...". */
        String problem() {
            return getCause() instanceof GzipInput.FormatError ? getMessage() : "cannot read: " + getMessage();
        }
    }

    /**
     * Block buffers the parser threads are done with, for the next blocks. Allocating a new
     * 1 MiB buffer per block cost its zeroing (4 % of a parser thread) and, worse, buffers
     * in flight at a young collection overflowed the survivor space, so each collection
     * promoted them and the old generation (and RSS) grew with the entries.
     */
    private final ArrayBlockingQueue<byte[]> spare;
    private final InputStream in;
    private final int maxLineBytes;
    private final boolean skipOverlong;
    private byte[] carry = new byte[0];
    private int carryLength;
    private boolean eof;
    private boolean started;
    private long bytesRead;
    /** The failure to throw once the lines read before it are handed over. */
    private ReadFailure failure;

    /**
     * @param skipOverlong whether a line longer than {@code maxLineBytes} is read past (true)
     *                     or handed over as the last block (false)
     */
    LineBlocks(InputStream in, int maxLineBytes, boolean skipOverlong) {
        this(in, maxLineBytes, skipOverlong, 1);
    }

    /** @param blocksInFlight how many blocks may be handed over and not yet {@linkplain #recycle recycled} */
    LineBlocks(InputStream in, int maxLineBytes, boolean skipOverlong, int blocksInFlight) {
        this.spare = new ArrayBlockingQueue<>(blocksInFlight + 1);
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.skipOverlong = skipOverlong;
    }

    /**
     * The next block of whole lines, or null at the end.
     *
     * @throws ReadFailure when the input breaks off; the whole lines read before are handed
     *                     over first, as a last block
     */
    Block next() {
        if (failure != null) {
            throw failure;
        }
        if (eof && carryLength == 0) {
            return null;
        }
        boolean first = !started;
        started = true;
        byte[] buffer = buffer(Math.max(BLOCK_BYTES, carryLength + BLOCK_BYTES / 4));
        System.arraycopy(carry, 0, buffer, 0, carryLength);
        int length = carryLength;
        int scanned = 0;
        while (true) {
            int newline = lastNewline(buffer, scanned, length);
            if (newline >= 0 && (length >= BLOCK_BYTES / 2 || eof)) {
                carry = Arrays.copyOfRange(buffer, newline + 1, Math.max(length, newline + 1));
                carryLength = length - newline - 1;
                return new Block(buffer, newline + 1, first, null);
            }
            if (eof) {
                carry = new byte[0];
                carryLength = 0;
                return length == 0 ? null : new Block(buffer, length, first, null);
            }
            if (newline < 0) {
                scanned = length;
            }
            if (newline < 0 && length > maxLineBytes) {
                if (!skipOverlong) {
                    // One line fills the buffer: hand it over (after the blocks before it) and stop reading.
                    eof = true;
                    carry = new byte[0];
                    carryLength = 0;
                    return new Block(buffer, length, first, null);
                }
                return skipOverlongLine(buffer, length, first);
            }
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, (long) maxLineBytes + 2));
            }
            int read;
            try {
                read = readSome(buffer, length);
            } catch (ReadFailure e) {
                int lastWhole = lastNewline(buffer, 0, length);
                if (lastWhole < 0) {
                    throw e;
                }
                failure = e;
                return new Block(buffer, lastWhole + 1, first, null);
            }
            if (read < 0) {
                eof = true;
            } else {
                length += read;
            }
        }
    }

    /**
     * Takes back a block's buffer once nothing reads it any more (its lines are parsed:
     * entries and rejected lines hold copies); any thread may call it.
     */
    void recycle(Block block) {
        if (block.bytes().length == BLOCK_BYTES) {
            spare.offer(block.bytes()); // when full, the buffer is left to the collector
        }
    }

    /** A buffer of at least {@code size} bytes; what it holds beyond the carry is never read. */
    private byte[] buffer(int size) {
        byte[] reused = size == BLOCK_BYTES ? spare.poll() : null;
        return reused != null ? reused : new byte[size];
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
        return new Block(head, 0, first, new InvalidLine(1, 1, "line is longer than " + maxLineBytes
                + " bytes (" + total + " bytes); is this a JSONL log?", head, total, true));
    }

    private int readSome(byte[] buffer, int offset) {
        int read;
        try {
            read = in.read(buffer, offset, buffer.length - offset);
        } catch (IOException e) {
            throw new ReadFailure(e, bytesRead);
        }
        if (read > 0) {
            bytesRead += read;
        }
        return read;
    }

    private static int lastNewline(byte[] bytes, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] bytes, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
