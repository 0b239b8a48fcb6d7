package dev.triagerules.base;

import java.math.BigInteger;

/** Unsigned 64-bit integers (seeds, timestamps) in decimal: kept as text or BigInteger, never a long. */
public final class Unsigned64 {
    public static final BigInteger MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private Unsigned64() {
    }

    /** Plain decimal digits (at most 20) whose value fits in 0..2^64-1. */
    public static boolean isDecimal(String text) {
        if (text == null || text.isEmpty() || text.length() > 20 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        return new BigInteger(text).compareTo(MAX) <= 0;
    }

    public static boolean inRange(BigInteger number) {
        return number.signum() >= 0 && number.compareTo(MAX) <= 0;
    }
}
