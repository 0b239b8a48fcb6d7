package dev.triagerules.base;

/**
 * Text from logs, reports and file names made safe to print on a terminal: the one place
 * that decides what may reach the screen as itself. Every method escapes what a terminal
 * would act on or a reader could not see:
 *
 * <ul>
 *   <li>control characters: C0 (ESC, BEL, CR, ...), DEL and C1 (U+009B, a one-byte CSI), so
 *       no escape sequence, title change or carriage-return overwrite gets through;
 *   <li>format characters: bidirectional overrides and isolates (U+202E, U+2066), zero-width
 *       characters (U+200B, U+200D), the byte-order mark U+FEFF, soft hyphens, tag
 *       characters (U+E0041), which reorder or hide text;
 *   <li>line and paragraph separators (U+2028, U+2029), which a terminal or pager may break
 *       a line at;
 *   <li>unpaired surrogates and noncharacters (U+FFFE, U+FDD0), which no terminal shows.
 * </ul>
 *
 * <p>They are written as escapes a person can read: {@code \n}, {@code \t}, {@code \r}, and
 * {@code \u001b}-style for the rest (a character beyond U+FFFF as its two UTF-16 halves,
 * {@code \udb40\udc41}, as in Java and JSON). Everything else, non-ASCII letters and emoji
 * included, is shown as itself, except by {@link #ascii}. {@code null}, a missing value, is
 * shown as {@code -}.
 *
 * <p>And a CI log is a terminal too: no line of the result is a GitHub Actions workflow
 * command ({@link #noWorkflowCommands}).
 *
 * <p>The methods differ in what they keep:
 *
 * <ul>
 *   <li>{@link #of}: a value shown on a line of ours (a table cell, an id, a reason code, log
 *       text). A backslash is doubled, so that text cannot fake an escape: {@code \u001b}
 *       on the screen was an ESC, {@code \\u001b} was typed.
 *   <li>{@link #ascii}: as {@link #of}, but everything outside printable ASCII is escaped
 *       too: for replay commands, which must be plain ASCII, so a look-alike ({@code ；}
 *       U+FF1B, a Unicode hyphen) shows as what it is.
 *   <li>{@link #inMessage}: a name or line excerpt quoted inside an error message. It stays
 *       on one line, but a backslash stays single: file names, globs and JSON excerpts read
 *       as they were written.
 *   <li>{@link #message}: a whole error message, as {@link #inMessage} but keeping its line
 *       breaks (a message may quote the line at fault below itself). The last step before
 *       an error reaches the terminal; text escaped by any method here passes through it
 *       unchanged.
 *   <li>{@link #inPage}: text shown on the HTML report, as {@link #message} but keeping tabs
 *       and CR LF too (transcripts and commands are shown in their lines), and without the
 *       workflow-command guard (a page is not a CI log).
 *   <li>{@link #inPageLine}: as {@link #inPage}, on one line (line breaks, tabs and CRs
 *       escaped): text in a line of Markdown.
 * </ul>
 */
public final class VisibleText {
    /** What stays as it is, besides the characters every method keeps. */
    private enum Mode {
        LINE(false, false, false),
        ASCII(false, false, true),
        IN_MESSAGE(true, false, false),
        MESSAGE(true, true, false),
        PAGE(true, true, false),
        PAGE_LINE(true, false, false);

        final boolean keepBackslash;
        final boolean keepNewline;
        final boolean asciiOnly;

        Mode(boolean keepBackslash, boolean keepNewline, boolean asciiOnly) {
            this.keepBackslash = keepBackslash;
            this.keepNewline = keepNewline;
            this.asciiOnly = asciiOnly;
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private VisibleText() {
    }

    /** A value on a line of ours: everything hidden escaped, line breaks too, a backslash doubled. */
    public static String of(String text) {
        return escape(text, Mode.LINE);
    }

    /** As {@link #of}, with every character outside printable ASCII escaped too: replay commands. */
    public static String ascii(String text) {
        return escape(text, Mode.ASCII);
    }

    /** A name or excerpt quoted in an error message: on one line, backslashes kept as they are. */
    public static String inMessage(String text) {
        return escape(text, Mode.IN_MESSAGE);
    }

    /** A whole error message: as {@link #inMessage}, keeping its line breaks ({@code \n}). */
    public static String message(String text) {
        return escape(text, Mode.MESSAGE);
    }

    /**
     * Text shown on the HTML report: hidden characters escaped as on a terminal (a bidi
     * override in a replay command showed one command and copied another), line breaks, tabs
     * and CR LF kept, backslashes single. {@code null} stays {@code null} (the page omits it).
     */
    public static String inPage(String text) {
        return text == null ? null : escape(text, Mode.PAGE);
    }

    /**
     * Text on one line of a document (Markdown): as {@link #inPage}, but every line break,
     * tab and CR is escaped too, so that the text stays on its line and shows where the log
     * had them. {@code null} stays {@code null}.
     */
    public static String inPageLine(String text) {
        return text == null ? null : escape(text, Mode.PAGE_LINE);
    }

    private static String escape(String text, Mode mode) {
        if (text == null) {
            return "-";
        }
        StringBuilder out = null;
        int i = 0;
        while (i < text.length()) {
            int codePoint = text.codePointAt(i); // a lone surrogate is itself
            int next = i + Character.charCount(codePoint);
            if (!keeps(codePoint, mode) && !(mode == Mode.PAGE && keptOnPage(text, i, codePoint))) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                appendEscape(out, text, i, next, codePoint);
            } else if (out != null) {
                out.append(text, i, next);
            }
            i = next;
        }
        String escaped = out == null ? text : out.toString();
        return mode == Mode.PAGE || mode == Mode.PAGE_LINE ? escaped : noWorkflowCommands(escaped);
    }

    /** A tab, and the CR of a CR LF: white space a page shows as such, hiding nothing. */
    private static boolean keptOnPage(String text, int at, int codePoint) {
        return codePoint == '\t' || codePoint == '\r' && at + 1 < text.length() && text.charAt(at + 1) == '\n';
    }

    /**
     * Text as GitHub Actions' runner will not read it as a workflow command. The runner reads
     * every line a step prints, on stdout and stderr: a line that starts with {@code ::}
     * after white space is a command ({@code ::add-mask::}, {@code ::stop-commands::},
     * {@code ::error::}), and so is one with the legacy {@code ##[} anywhere in it
     * ({@code ##[stop-commands]tok}, {@code ##[error]}). Here the first {@code :} of a
     * line's leading {@code ::} becomes {@code \u003a} and the second {@code #} of every
     * {@code ##[} {@code \u0023}, as the escapes above write other characters. Line breaks
     * stay, so a message that keeps its lines is handled line by line. Only the tool's own
     * annotations are commands. {@code null} stays {@code null}.
     */
    public static String noWorkflowCommands(String text) {
        if (text == null) {
            return null;
        }
        String out = text.contains("##[") ? text.replace("##[", "#\\u0023[") : text;
        if (!out.contains("::")) {
            return out;
        }
        StringBuilder lines = new StringBuilder(out.length() + 8);
        int start = 0;
        while (start <= out.length()) {
            int end = out.indexOf('\n', start);
            if (end < 0) {
                end = out.length();
            }
            int first = start;
            while (first < end && (Character.isWhitespace(out.charAt(first)) || Character.isSpaceChar(out.charAt(first)))) {
                first++;
            }
            if (out.startsWith("::", first)) {
                lines.append(out, start, first).append("\\u003a").append(out, first + 1, end);
            } else {
                lines.append(out, start, end);
            }
            if (end < out.length()) {
                lines.append('\n');
            }
            start = end + 1;
        }
        return lines.toString();
    }

    private static boolean keeps(int codePoint, Mode mode) {
        if (codePoint == '\\') {
            return mode.keepBackslash;
        }
        if (codePoint == '\n') {
            return mode.keepNewline;
        }
        if (mode.asciiOnly) {
            return codePoint >= 0x20 && codePoint < 0x7f;
        }
        return !hidden(codePoint);
    }

    /** Acts on a terminal, or cannot be seen: see the class comment. */
    private static boolean hidden(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || noncharacter(codePoint, type);
    }

    /** U+FDD0 to U+FDEF, the last two of every plane, and the unassigned specials U+FFF0 to U+FFF8. */
    private static boolean noncharacter(int codePoint, int type) {
        return codePoint >= 0xfdd0 && codePoint <= 0xfdef || (codePoint & 0xfffe) == 0xfffe
                || type == Character.UNASSIGNED && codePoint >= 0xfff0 && codePoint <= 0xffff;
    }

    private static void appendEscape(StringBuilder out, String text, int from, int to, int codePoint) {
        switch (codePoint) {
            case '\\' -> out.append("\\\\");
            case '\n' -> out.append("\\n");
            case '\t' -> out.append("\\t");
            case '\r' -> out.append("\\r");
            default -> {
                for (int i = from; i < to; i++) {
                    char c = text.charAt(i);
                    out.append("\\u").append(HEX[c >> 12]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
                            .append(HEX[c & 0xf]);
                }
            }
        }
    }
}
