package dev.triagerules.input.junit;

import java.util.regex.Pattern;

/**
 * POSIX shell quoting of one value inserted into a replay command: what the report says
 * becomes one literal word, whatever it contains. Control characters (newlines among them)
 * but the tab are refused rather than quoted: a replay command is one line.
 */
public final class ShellQuote {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellQuote() {
    }

    /** The value as one shell word; null when it holds a control character. */
    public static String quote(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                return null;
            }
        }
        if (PLAIN.matcher(value).matches()) {
            return value;
        }
        // Inside single quotes nothing is special; a single quote itself ends, is escaped, restarts.
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
