package dev.triagerules.base;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * An unsigned 128-bit integer as two longs: the upstream reads {@code ts_unix_ms} as
 * {@code u128}. Nearly every value fits the low long, so the common case costs two longs
 * and no {@link BigInteger}; only a value of 20 or more digits is parsed through one.
 *
 * @param high the upper 64 bits, unsigned
 * @param low  the lower 64 bits, unsigned
 */
public record Unsigned128(long high, long low) implements Comparable<Unsigned128> {
    public static final Unsigned128 ZERO = new Unsigned128(0, 0);
    public static final BigInteger MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
    /** The decimal digits of {@link #MAX}, the only 39-digit limit to compare against. */
    public static final String MAX_DECIMAL = MAX.toString();

    /** The value of an unsigned 64-bit long. */
    public static Unsigned128 of(long unsigned64) {
        return unsigned64 == 0 ? ZERO : new Unsigned128(0, unsigned64);
    }

    /** @throws IllegalArgumentException when the number is negative or needs more than 128 bits */
    public static Unsigned128 of(BigInteger number) {
        if (!inRange(number)) {
            throw new IllegalArgumentException("not an unsigned 128-bit integer: " + number);
        }
        return new Unsigned128(number.shiftRight(64).longValue(), number.longValue());
    }

    /**
     * The value of plain decimal digits (ASCII, no sign) in {@code digits[from, to)}, which
     * the caller has checked to be at most {@link #MAX_DECIMAL}.
     */
    public static Unsigned128 parseDigits(byte[] digits, int from, int to) {
        if (to - from <= 18) { // 10^18 - 1 < 2^63: plain long arithmetic cannot overflow
            long value = 0;
            for (int i = from; i < to; i++) {
                value = value * 10 + (digits[i] - '0');
            }
            return of(value);
        }
        return of(new BigInteger(new String(digits, from, to - from, StandardCharsets.US_ASCII)));
    }

    public static boolean inRange(BigInteger number) {
        return number.signum() >= 0 && number.bitLength() <= 128;
    }

    public BigInteger toBigInteger() {
        BigInteger lowPart = new BigInteger(Long.toUnsignedString(low));
        return high == 0 ? lowPart : BigInteger.valueOf(high).and(Unsigned64.MAX).shiftLeft(64).or(lowPart);
    }

    /** Whether the value fits in an unsigned 64-bit long ({@link #low()}). */
    public boolean fitsIn64Bits() {
        return high == 0;
    }

    @Override
    public int compareTo(Unsigned128 other) {
        int byHigh = Long.compareUnsigned(high, other.high);
        return byHigh != 0 ? byHigh : Long.compareUnsigned(low, other.low);
    }

    /** The larger of the two (either when equal). */
    public static Unsigned128 max(Unsigned128 a, Unsigned128 b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Exact decimal digits, as a JSON number. */
    @Override
    public String toString() {
        return high == 0 ? Long.toUnsignedString(low) : toBigInteger().toString();
    }
}
