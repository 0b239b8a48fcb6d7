package dev.triagerules.cli;

/**
 * Text from logs as a terminal shows it safely: control characters (escape sequences,
 * carriage returns, ...), invisible format characters (bidirectional overrides, zero-width
 * characters), line separators and unpaired surrogates become visible escapes
 * ({@code \n}, {@code \t}, {@code \r}, {@code \u001b}); a backslash is doubled so that an
 * escape cannot be faked. Everything else is shown as is.
 */
final class VisibleText {
    private VisibleText() {
    }

    static String of(String text) {
        if (text == null) {
            return "-";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escape = escape(text, i, c);
            if (escape != null && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                if (escape != null) {
                    out.append(escape);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    /**
     * An error message for the terminal: what {@link #of} escapes, but line breaks stay (a
     * message may quote the line at fault below itself) and so do backslashes (a message
     * quotes patterns and paths as they are written). Messages name files, ids and text
     * from logs and reports, and reach the terminal through one place
     * ({@link ExecutionExceptionHandler}), so none has to remember to escape them.
     */
    static String message(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escape = c == '\n' || c == '\\' ? null : escape(text, i, c);
            if (escape != null && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                out.append(escape != null ? escape : String.valueOf(c));
            }
        }
        return out == null ? text : out.toString();
    }

    private static String escape(String text, int i, char c) {
        switch (c) {
            case '\\':
                return "\\\\";
            case '\n':
                return "\\n";
            case '\t':
                return "\\t";
            case '\r':
                return "\\r";
            default:
                break;
        }
        if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
            return null;
        }
        if (Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(text.charAt(i - 1))) {
            return null;
        }
        int type = Character.getType(c);
        boolean hidden = type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.UNASSIGNED && c >= 0xfff0;
        return hidden ? String.format("\\u%04x", (int) c) : null;
    }
}
