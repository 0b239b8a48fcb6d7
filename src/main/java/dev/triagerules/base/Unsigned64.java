package dev.triagerules.base;

import java.math.BigInteger;

/** Unsigned 64-bit integers (seeds, timestamps) in decimal: kept as text or BigInteger, never a long. */
public final class Unsigned64 {
    public static final BigInteger MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private Unsigned64() {
    }

    /**
     * The one decimal text of a value in 0..2^64-1: plain digits, no sign, no leading zero
     * (0 itself excepted), as a JSON number writes it. "007" is not: a program may read it as
     * another number than 7 (a shell reads 010 as octal 8), so it is no seed's text.
     */
    public static boolean isCanonicalDecimal(String text) {
        if (text == null || text.isEmpty() || text.length() > 20 || !text.chars().allMatch(c -> c >= '0' && c <= '9')
                || (text.length() > 1 && text.charAt(0) == '0')) {
            return false;
        }
        return new BigInteger(text).compareTo(MAX) <= 0;
    }

    public static boolean inRange(BigInteger number) {
        return number.signum() >= 0 && number.compareTo(MAX) <= 0;
    }
}
