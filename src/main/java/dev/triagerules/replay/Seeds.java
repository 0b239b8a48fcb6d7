package dev.triagerules.replay;

import java.math.BigInteger;

/** Seeds are unsigned 64-bit integers written in decimal. */
final class Seeds {
    private static final BigInteger MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private Seeds() {
    }

    static boolean isUnsigned64(String text) {
        if (text == null || text.isEmpty() || text.length() > 20 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        return new BigInteger(text).compareTo(MAX) <= 0;
    }
}
