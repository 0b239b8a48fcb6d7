package dev.triagerules.replay;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the head and the tail of a stream that may be huge: the first {@code headLimit}
 * bytes and the last {@code tailLimit} bytes, counting what falls between. A crash
 * usually shows at the start (setup) and at the end (the failure), rarely in the middle.
 * Thread-safe: the reader thread appends while the envelope may take a snapshot.
 */
public final class BoundedOutput {
    public static final int DEFAULT_HEAD = 64 * 1024;
    public static final int DEFAULT_TAIL = 64 * 1024;

    private final int headLimit;
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private final byte[] tail;
    private int tailStart;
    private int tailSize;
    private long total;

    public BoundedOutput(int headLimit, int tailLimit) {
        this.headLimit = headLimit;
        this.tail = new byte[tailLimit];
    }

    public synchronized void append(byte[] bytes, int offset, int length) {
        total += length;
        int toHead = Math.min(length, headLimit - head.size());
        if (toHead > 0) {
            head.write(bytes, offset, toHead);
            offset += toHead;
            length -= toHead;
        }
        if (length == 0 || tail.length == 0) {
            return;
        }
        // A ring: once full, new bytes replace the oldest. Copied in at most two pieces (a
        // byte at a time made a chatty test's 2 GB of output take 30 s instead of 10).
        if (length >= tail.length) {
            System.arraycopy(bytes, offset + length - tail.length, tail, 0, tail.length);
            tailStart = 0;
            tailSize = tail.length;
            return;
        }
        int end = (tailStart + tailSize) % tail.length;
        int first = Math.min(length, tail.length - end);
        System.arraycopy(bytes, offset, tail, end, first);
        System.arraycopy(bytes, offset + first, tail, 0, length - first);
        int overwritten = tailSize + length - tail.length;
        if (overwritten > 0) {
            tailStart = (tailStart + overwritten) % tail.length;
            tailSize = tail.length;
        } else {
            tailSize += length;
        }
    }

    /** Every byte the command wrote, kept or not. */
    public synchronized long totalBytes() {
        return total;
    }

    /** Bytes dropped between head and tail. */
    public synchronized long truncatedBytes() {
        return total - head.size() - tailSize;
    }

    /**
     * The kept text (UTF-8, malformed bytes replaced). When bytes were cut, a marker line
     * between head and tail says how many.
     */
    public synchronized String text() {
        StringBuilder text = new StringBuilder(head.toString(StandardCharsets.UTF_8));
        long cut = truncatedBytes();
        if (cut > 0) {
            if (text.length() > 0 && text.charAt(text.length() - 1) != '\n') {
                text.append('\n');
            }
            text.append("[triage-rules: ").append(cut).append(" bytes of output cut here; kept the first ")
                    .append(head.size()).append(" and the last ").append(tailSize).append(" bytes]\n");
        }
        byte[] ordered = new byte[tailSize];
        for (int i = 0; i < tailSize; i++) {
            ordered[i] = tail[(tailStart + i) % tail.length];
        }
        return text.append(new String(ordered, StandardCharsets.UTF_8)).toString();
    }
}
