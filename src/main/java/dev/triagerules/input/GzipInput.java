package dev.triagerules.input;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A gzip stream (RFC 1952) of one or more members, decompressed, for a log read through a
 * pipe or from a file alike. Hand-written over the JDK's {@link Inflater} because JDK 17's
 * {@code GZIPInputStream} decides whether another member follows by asking
 * {@code available()}, which on a pipe is 0 between writes (a member silently lost) and
 * on {@code Files.newInputStream} of a FIFO fails with "Illegal seek"; it also ends quietly
 * at a bad or cut-off header after the first member and says only "Unexpected end of ZLIB
 * input stream" when the data stops. Here a member ends where its trailer says, the next
 * one is read until the input itself ends, and every failure is a {@link FormatError}
 * saying what is wrong. Trailing zero bytes (tape padding) are ignored, as gzip(1) does;
 * other trailing data is an error, since it may be a member that lost its header.
 */
final class GzipInput extends InputStream {
    private static final int MAGIC_1 = 0x1f;
    private static final int MAGIC_2 = 0x8b;
    private static final int DEFLATE = 8;
    private static final int FLAG_HCRC = 2;
    private static final int FLAG_EXTRA = 4;
    private static final int FLAG_NAME = 8;
    private static final int FLAG_COMMENT = 16;
    private static final int FLAGS_RESERVED = 0xe0;

    /** A stream that is not valid gzip, or ends too early; the message says which. */
    static final class FormatError extends IOException {
        private static final long serialVersionUID = 1L;

        FormatError(String message) {
            super(message);
        }
    }

    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    /** Compressed bytes in {@code buffer[position, limit)} not yet consumed. */
    private int position;
    private int limit;
    /** Compressed bytes consumed before {@code buffer[0]}. */
    private long consumedBefore;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] one = new byte[1];
    private int members;
    private boolean inMember;
    private boolean ended;

    GzipInput(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] out, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (!ended) {
            if (!inMember) {
                if (!startMember()) {
                    ended = true;
                    break;
                }
                continue;
            }
            int n;
            try {
                n = inflater.inflate(out, offset, length);
            } catch (DataFormatException e) {
                throw invalid("corrupt data in member " + members + " (" + e.getMessage() + ")");
            }
            if (n > 0) {
                crc.update(out, offset, n);
                return n;
            }
            if (inflater.finished()) {
                position = limit - inflater.getRemaining();
                endMember();
            } else if (inflater.needsDictionary()) {
                throw invalid("member " + members + " needs a preset dictionary, which gzip does not allow");
            } else if (inflater.needsInput()) {
                if (!fill()) {
                    throw truncated();
                }
                inflater.setInput(buffer, position, limit - position);
                position = limit;
            }
        }
        return -1;
    }

    /** Reads the next member's header; false at the clean end of the stream. */
    private boolean startMember() throws IOException {
        int first = nextByte();
        if (members > 0) {
            while (first == 0) {
                first = nextByte(); // padding after the last member, as gzip(1) allows
            }
            if (first < 0) {
                return false;
            }
        }
        long headerAt = consumed() - 1;
        int second = first < 0 ? -1 : nextByte();
        if (first != MAGIC_1 || second != MAGIC_2) {
            if (first < 0 || second < 0 && first == MAGIC_1) {
                throw truncated();
            }
            throw invalid(members == 0 ? "it does not start with the gzip magic bytes 1f 8b"
                    : "unexpected data after member " + members + " at byte " + headerAt
                            + " (not a gzip header)");
        }
        members++;
        int method = headerByte();
        int flags = headerByte();
        if (method != DEFLATE) {
            throw invalid("member " + members + " uses compression method " + method + ", not deflate (8)");
        }
        if ((flags & FLAGS_RESERVED) != 0) {
            throw invalid("member " + members + " sets reserved header flags");
        }
        skip(6); // modification time, extra flags, operating system
        if ((flags & FLAG_EXTRA) != 0) {
            skip(headerByte() | headerByte() << 8);
        }
        if ((flags & FLAG_NAME) != 0) {
            skipZeroTerminated();
        }
        if ((flags & FLAG_COMMENT) != 0) {
            skipZeroTerminated();
        }
        if ((flags & FLAG_HCRC) != 0) {
            skip(2);
        }
        inflater.reset();
        crc.reset();
        if (position < limit) {
            inflater.setInput(buffer, position, limit - position);
            position = limit;
        }
        inMember = true;
        return true;
    }

    /** Checks the trailer of the member just inflated: its CRC-32 and length. */
    private void endMember() throws IOException {
        long expectedCrc = trailerInt();
        long expectedSize = trailerInt();
        if (expectedCrc != crc.getValue()) {
            throw invalid("member " + members + " fails its CRC-32 check (corrupt data)");
        }
        if (expectedSize != (inflater.getBytesWritten() & 0xffffffffL)) {
            throw invalid("member " + members + " has a different length than its trailer says (corrupt data)");
        }
        inMember = false;
    }

    private long trailerInt() throws IOException {
        long value = 0;
        for (int i = 0; i < 4; i++) {
            value |= (long) headerByte() << (8 * i);
        }
        return value;
    }

    private void skipZeroTerminated() throws IOException {
        while (headerByte() != 0) {
            // skip
        }
    }

    private void skip(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            headerByte();
        }
    }

    /** A byte of a header or trailer, which must be there. */
    private int headerByte() throws IOException {
        int b = nextByte();
        if (b < 0) {
            throw truncated();
        }
        return b;
    }

    private int nextByte() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    /** Refills the buffer when it is used up; false at the end of the input. */
    private boolean fill() throws IOException {
        consumedBefore += limit;
        position = 0;
        limit = 0;
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        limit = n;
        return true;
    }

    private long consumed() {
        return consumedBefore + position;
    }

    private FormatError truncated() {
        return new FormatError("truncated gzip stream: it ends inside member " + Math.max(members, 1) + ", after "
                + consumed() + " compressed bytes");
    }

    private static FormatError invalid(String what) {
        return new FormatError("not a valid gzip stream: " + what);
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }
}
