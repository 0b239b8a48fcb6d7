package dev.triagerules.report;

/**
 * Text from a log or report made safe to print on a terminal: printable ASCII stays, every
 * other character is shown as an escape ({@code \n}, {@code \u001b}, {@code \u202e}), so
 * neither escape sequences nor look-alike or reordering characters reach the screen as such.
 */
public final class TerminalText {
    private TerminalText() {
    }

    public static String visible(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean plain = c >= 0x20 && c < 0x7f && c != '\\';
            if (plain) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out == null ? text : out.toString();
    }
}
