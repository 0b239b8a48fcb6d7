package dev.triagerules.input;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The field texts one parser thread decoded last, so that the many failures of a large log
 * that carry the same packet, suite, scenario, reason code, environment or replay command
 * share one {@code String} each instead of a copy per entry.
 *
 * <p>Why: on the 300,000-entry bench log, 30,000 failures are 3,000 distinct ones, and
 * telling them apart ({@code Failure.equals} and {@code hashCode} in the classifier) was a
 * quarter of the classifier thread's CPU, hashing and comparing fresh strings byte by byte.
 * A shared string compares by reference and keeps its hash. Fewer copies also mean less for
 * the collector to copy while entries wait for the classifier.
 *
 * <p>A direct-mapped table: a slot is chosen by the length and three words of the bytes, and
 * a hit is an exact comparison of the bytes, so a collision only costs a miss. Not
 * thread-safe: one per parser thread.
 */
final class TextCache {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int SLOTS = 1024;
    /** Longer texts are decoded each time: a long value is rarely repeated, and keeping it costs memory. */
    static final int MAX_CACHED_BYTES = 512;

    private final byte[][] keys = new byte[SLOTS][];
    private final String[] texts = new String[SLOTS];

    /** The text of {@code bytes[start, end)}: UTF-8 already checked, no escapes. */
    String text(byte[] bytes, int start, int end) {
        int length = end - start;
        if (length > MAX_CACHED_BYTES) {
            return new String(bytes, start, length, StandardCharsets.UTF_8);
        }
        int slot = slot(bytes, start, length);
        byte[] key = keys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, bytes, start, end)) {
            return texts[slot];
        }
        String text = new String(bytes, start, length, StandardCharsets.UTF_8);
        keys[slot] = Arrays.copyOfRange(bytes, start, end);
        texts[slot] = text;
        return text;
    }

    private static int slot(byte[] bytes, int start, int length) {
        long h = length;
        if (length >= 8) {
            // First, middle and last word: values that share a prefix and a suffix
            // (artifact paths naming a packet) differ in the middle.
            h = h * 31 + (long) LONGS.get(bytes, start);
            h = h * 31 + (long) LONGS.get(bytes, start + (length - 8) / 2);
            h = h * 31 + (long) LONGS.get(bytes, start + length - 8);
        } else {
            for (int i = start; i < start + length; i++) {
                h = h * 31 + bytes[i];
            }
        }
        h *= 0x9E3779B97F4A7C15L;
        return (int) (h >>> 54); // the top 10 bits: SLOTS = 1024
    }
}
