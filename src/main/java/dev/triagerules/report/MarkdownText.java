package dev.triagerules.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Text from a log or a report (reason codes, ids, owners, commands: anything a log author
 * wrote) made literal in Markdown, so that it can neither start a block (heading, list,
 * quote, table row), nor become a link (a Markdown link or a bare URL that GFM would link),
 * image, emphasis or raw HTML, nor break a table.
 * Every Markdown writer of the tool (tickets, their index, the CI summary) goes through
 * here. Normal values read the same once rendered; only their source bytes may gain
 * backslashes.
 */
public final class MarkdownText {
    /**
     * Characters with a Markdown meaning somewhere inside a line: backslash-escaped. Also
     * {@code :} and {@code @}, where GFM's extended autolinks start ({@code https://},
     * {@code mailto:}, {@code user@host}), and the {@code .} of {@code www.}: GitHub would
     * turn a bare URL from a log into a link, and an escaped one reads the same.
     */
    private static final String ESCAPED = "\\`*_[]#|~$:@";

    private MarkdownText() {
    }

    /**
     * One line of literal inline text, for running text, headings, list items, link text
     * and table cells: line breaks become spaces, other control characters are dropped,
     * Markdown punctuation is backslash-escaped and {@code < > &} become entities, so
     * neither HTML ({@code <script>}) nor entities ({@code &lt;}) survive as such.
     */
    public static String inline(String text) {
        String line = plainLine(text);
        StringBuilder out = new StringBuilder(line.length() + 16);
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                default -> {
                    if (ESCAPED.indexOf(c) >= 0 || c == '.' && followsWww(line, i)) {
                        out.append('\\');
                    }
                    out.append(c);
                }
            }
        }
        escapeBlockStart(out);
        return out.toString();
    }

    /**
     * An inline code span that shows the text literally, on one line: the backtick fence is
     * longer than any backtick run inside, and padded when the text starts or ends with a
     * backtick or a space (CommonMark would strip one space from each end). Not for table
     * cells: GFM splits cells on {@code |} even inside code spans.
     */
    public static String code(String text) {
        String line = plainLine(text);
        String ticks = "`".repeat(longestRun(line, '`') + 1);
        boolean pad = line.startsWith("`") || line.endsWith("`") || line.isEmpty()
                || (line.startsWith(" ") && line.endsWith(" ") && !line.isBlank());
        String space = pad ? " " : "";
        return ticks + space + line + space + ticks;
    }

    /**
     * A fenced code block of the text ({@code info} after the opening fence, e.g. "sh"), as
     * lines: the fence is longer than any backtick run inside, so no line can close it; every
     * line break ({@code \r\n}, {@code \r}, {@code \n}) starts a new line and other control
     * characters but tab are dropped, so no line can escape an indented container either.
     */
    public static List<String> fence(String text, String info) {
        String fence = "`".repeat(Math.max(3, longestRun(text, '`') + 1));
        List<String> lines = new ArrayList<>();
        lines.add(fence + info);
        for (String line : text.split("\r\n|\r|\n|\u0085|\u2028|\u2029", -1)) {
            lines.add(withoutControls(line, true));
        }
        lines.add(fence);
        return lines;
    }

    /**
     * One line of plain text without control characters, for places that are not Markdown
     * but are shown to people (beads titles and labels, terminal lines): tab, line and
     * paragraph breaks become spaces; other C0/C1 controls and bidirectional overrides
     * (which can make text display in another order than it reads) are dropped.
     */
    public static String plainLine(String text) {
        if (text == null) {
            return "";
        }
        return withoutControls(text, false);
    }

    private static String withoutControls(String text, boolean keepTab) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean lineLike = c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B || c == 0x85
                    || c == '\u2028' || c == '\u2029';
            boolean drop = !lineLike && (Character.getType(c) == Character.CONTROL || isBidiControl(c));
            if ((lineLike && !(keepTab && c == '\t')) || drop) {
                if (out == null) {
                    out = new StringBuilder(text.length()).append(text, 0, i);
                }
                if (lineLike) {
                    out.append(' ');
                }
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    /** Whether the {@code .} at {@code i} ends {@code www} (in any case): an extended www autolink. */
    private static boolean followsWww(String line, int i) {
        return i >= 3 && line.regionMatches(true, i - 3, "www", 0, 3);
    }

    /** Marks and overrides that reorder how text displays (the "Trojan Source" characters). */
    private static boolean isBidiControl(char c) {
        return c == '\u061C' || c == '\u200E' || c == '\u200F' || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069');
    }

    /**
     * Text that ends up first on a line must not open a block: a list item ({@code -}, {@code +},
     * {@code 1.}, {@code 1)}) or a setext underline ({@code =}). A quote ({@code >}) is an
     * entity already, {@code #} is escaped everywhere, and leading spaces could at most make
     * an indented code block, which shows the text literally anyway.
     */
    private static void escapeBlockStart(StringBuilder out) {
        int start = 0;
        while (start < out.length() && out.charAt(start) == ' ') {
            start++;
        }
        if (start == out.length()) {
            return;
        }
        char first = out.charAt(start);
        if (first == '-' || first == '+' || first == '=') {
            out.insert(start, '\\');
            return;
        }
        int end = start;
        while (end < out.length() && out.charAt(end) >= '0' && out.charAt(end) <= '9') {
            end++;
        }
        if (end > start && end < out.length() && (out.charAt(end) == '.' || out.charAt(end) == ')')) {
            out.insert(end, '\\');
        }
    }

    private static int longestRun(String s, char c) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            run = s.charAt(i) == c ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }
}
