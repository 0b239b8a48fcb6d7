package dev.triagerules.input;

/** Bit tricks over eight bytes of a line read as one little-endian {@code long}. */
final class Swar {
    /** Byte {@code 7 - j} of this holds {@code j}: see {@link #lowestMarkedByte(long)}. */
    private static final long BYTE_INDICES = 0x0001020304050607L;

    private Swar() {
    }

    /**
     * The index (0-7) of the lowest byte whose high bit is set in {@code highBits}, a mask
     * with nothing but high bits, not 0. The lowest set bit, moved to bit 0 of its byte,
     * shifts {@link #BYTE_INDICES} up by that many bytes, which brings the index into the
     * top byte. Written out because C1 does not inline {@code Long.numberOfTrailingZeros}
     * as an instruction: it was 6-7 % of a parser thread's CPU on the 300,000-entry log.
     */
    static int lowestMarkedByte(long highBits) {
        return (int) ((((highBits & -highBits) >>> 7) * BYTE_INDICES) >>> 56);
    }
}
