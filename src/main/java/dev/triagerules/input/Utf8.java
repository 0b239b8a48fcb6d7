package dev.triagerules.input;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Well-formed UTF-8 as Unicode defines it (table 3-7): no overlong form, no encoded UTF-16
 * surrogate, nothing above U+10FFFF. Upstream reads the whole log as a Rust {@code String}
 * and refuses anything else; Jackson decodes some of it (an overlong {@code C0 AF} becomes
 * {@code /}) and does not look inside the strings it skips, so lines are checked here.
 * Hand-written rather than the JDK's decoder because it has to say where and what is wrong,
 * and the scanner checks each sequence in place as it crosses it.
 */
final class Utf8 {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8() {
    }

    /** The length of the well-formed sequence at {@code at} (before {@code to}), or 0 when it is ill-formed. */
    static int sequenceLength(byte[] bytes, int at, int to) {
        int lead = bytes[at] & 0xff;
        if (lead < 0x80) {
            return 1;
        }
        int length;
        int low = 0x80;
        int high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            low = lead == 0xE0 ? 0xA0 : 0x80;
            high = lead == 0xED ? 0x9F : 0xBF;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            low = lead == 0xF0 ? 0x90 : 0x80;
            high = lead == 0xF4 ? 0x8F : 0xBF;
        } else {
            return 0;
        }
        if (at + length > to) {
            return 0;
        }
        int second = bytes[at + 1] & 0xff;
        if (second < low || second > high) {
            return 0;
        }
        for (int i = at + 2; i < at + length; i++) {
            if ((bytes[i] & 0xC0) != 0x80) {
                return 0;
            }
        }
        return length;
    }

    /** The index of the first ill-formed sequence in {@code bytes[from, to)}, or -1 when there is none. */
    static int firstInvalid(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to) {
            // ASCII eight bytes at a time.
            while (i + 8 <= to && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) {
                i += 8;
            }
            if (i >= to) {
                break;
            }
            int length = sequenceLength(bytes, i, to);
            if (length == 0) {
                return i;
            }
            i += length;
        }
        return -1;
    }

    /**
     * What is wrong with the ill-formed sequence at {@code at}, for a message: {@code an
     * encoded UTF-16 surrogate (ED A0 80)}. A byte that never occurs in UTF-8 (C0, C1,
     * F5-FF) is named as such, with what its sequence would have meant when it is one:
     * {@code byte C0 cannot start a character (an overlong encoding: C0 AF)}.
     */
    static String describeInvalid(byte[] bytes, int at, int to) {
        int lead = bytes[at] & 0xff;
        int second = at + 1 < to ? bytes[at + 1] & 0xff : -1;
        boolean continues = second >= 0x80 && second <= 0xBF;
        if (lead == 0xC0 || lead == 0xC1 || lead >= 0xF5) {
            String never = String.format("byte %02X cannot start a character", lead);
            if (!continues || lead >= 0xF8) {
                return never; // F8-FF never led a sequence of Unicode's UTF-8
            }
            String meant = lead <= 0xC1 ? "an overlong encoding" : "a code point above U+10FFFF";
            return never + " (" + meant + ": " + sequenceHex(bytes, at, to, lead <= 0xC1 ? 2 : 4) + ")";
        }
        String problem;
        int shown;
        if (lead >= 0x80 && lead <= 0xBF) {
            problem = "a continuation byte without a lead byte";
            shown = 1;
        } else if (lead == 0xE0 && continues && second < 0xA0 || lead == 0xF0 && continues && second < 0x90) {
            problem = "overlong encoding";
            shown = lead < 0xF0 ? 3 : 4;
        } else if (lead == 0xED && continues && second >= 0xA0) {
            problem = "an encoded UTF-16 surrogate";
            shown = 3;
        } else if (lead == 0xF4 && continues && second >= 0x90) {
            problem = "a code point above U+10FFFF";
            shown = 4;
        } else {
            problem = "an incomplete sequence";
            shown = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        }
        return problem + " (" + sequenceHex(bytes, at, to, shown) + ")";
    }

    /** Up to {@code shown} bytes of the sequence at {@code at}, in hex: {@code C0 AF}. */
    private static String sequenceHex(byte[] bytes, int at, int to, int shown) {
        StringBuilder hex = new StringBuilder();
        for (int i = at; i < Math.min(to, at + shown); i++) {
            if (i > at && (bytes[i] & 0xC0) != 0x80) {
                break; // the sequence ended early: show only its bytes
            }
            hex.append(hex.isEmpty() ? "" : " ").append(String.format("%02X", bytes[i] & 0xff));
        }
        return hex.toString();
    }
}
