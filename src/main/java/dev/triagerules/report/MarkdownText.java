package dev.triagerules.report;

import dev.triagerules.base.VisibleText;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Text from a log or a report (reason codes, ids, owners, commands: anything a log author
 * wrote) made literal in Markdown, so that it can neither start a block (heading, list,
 * quote, table row), nor become a link (a Markdown link or a bare URL that GFM would link),
 * image, emphasis or raw HTML, nor break a table; nor mention anyone or reference an issue
 * once pasted into GitHub or GitLab. Characters that hide or act (controls, bidi overrides)
 * show as the terminal shows them ({@link VisibleText}), so a reader sees the log had them.
 * Every Markdown writer of the tool (tickets, their index, the CI summary) goes through
 * here. Normal values read the same once rendered; only their source bytes may gain
 * backslashes.
 */
public final class MarkdownText {
    /**
     * Characters with a Markdown meaning somewhere inside a line: backslash-escaped. Also
     * {@code :} and {@code @}, where GFM's extended autolinks start ({@code https://},
     * {@code mailto:}, {@code user@host}), and the {@code .} of {@code www.}: GitHub would
     * turn a bare URL from a log into a link, and an escaped one reads the same. And the
     * sigils of GitLab's references ({@code @ # ! & % ~ $ ^}), which GitLab leaves alone
     * when they are backslash-escaped: {@code !12} would reference a merge request.
     */
    private static final String ESCAPED = "\\`*_[]#|~$:@!%^&";

    /**
     * U+2060 WORD JOINER, put after the sigil of a mention or issue reference in log text.
     * GitHub finds {@code @name}, {@code @org/team}, {@code #123}, {@code GH-123} in the
     * rendered text, whatever backslashes the source had, and an {@code @name} there notifies
     * that person; with the joiner between sigil and name nothing matches, and it renders as
     * nothing (zero width, and unlike U+200B no place to break the line).
     */
    static final char JOINER = '\u2060';

    private MarkdownText() {
    }

    /**
     * One line of literal inline text, for running text, headings, list items, link text
     * and table cells: line breaks, tabs and other hidden characters show as escapes
     * ({@code \n}, {@code \u001b}: {@link #plainLine}), Markdown punctuation is
     * backslash-escaped and {@code < >} become entities, so neither HTML ({@code <script>})
     * nor entities ({@code &lt;}) survive as such, and a mention or issue reference gets a
     * {@link #JOINER} after its sigil: {@code @octocat} reads the same and notifies nobody.
     */
    public static String inline(String text) {
        return markdownLine(text, false);
    }

    /**
     * An owner hint: as {@link #inline}, except that an owner the policy names
     * ({@code policyOwners}) keeps its mentions ({@code @ft-autograd-owners} notifies that
     * team, as whoever wrote the policy meant). Any other owner (from a report someone else
     * wrote, a ledger, a policy no longer in use) is log text.
     */
    public static String owner(String owner, Set<String> policyOwners) {
        return owner != null && policyOwners.contains(owner) ? markdownLine(owner, true) : inline(owner);
    }

    /** @param mentions trusted text: an {@code @} stays a mention and nothing is joined */
    private static String markdownLine(String text, boolean mentions) {
        String line = plainLine(text);
        StringBuilder out = new StringBuilder(line.length() + 16);
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> {
                    // GitLab reads an escaped @ as text: a mention meant by the policy stays raw
                    // where it cannot make an e-mail autolink (no address character before it).
                    boolean rawMention = mentions && c == '@' && (i == 0 || !isEmailLocal(line.charAt(i - 1)));
                    if (!rawMention && (ESCAPED.indexOf(c) >= 0 || c == '.' && followsWww(line, i))) {
                        out.append('\\');
                    }
                    out.append(c);
                }
            }
            if (!mentions && startsReference(line, i)) {
                out.append(JOINER);
            }
        }
        escapeBlockStart(out);
        return out.toString();
    }

    /**
     * Whether the character at {@code i} is the sigil of a mention or issue reference that
     * GitHub or GitLab would find in rendered text: {@code @} before a name, not after a
     * name character (an e-mail address, {@code lodash@4}, mentions nobody); {@code #}
     * before a digit ({@code #12}, {@code user#12}, {@code org/repo#12}); the {@code -} of
     * {@code GH-} before a digit, not after a name character. As their filters do, name
     * characters are ASCII: {@code é@x} mentions {@code x}.
     */
    private static boolean startsReference(String line, int i) {
        if (i + 1 >= line.length()) {
            return false;
        }
        char c = line.charAt(i);
        char next = line.charAt(i + 1);
        boolean digitNext = next >= '0' && next <= '9';
        return switch (c) {
            case '@' -> (isAsciiWord(next) || next == '.') && (i == 0 || !isAsciiWord(line.charAt(i - 1)));
            case '#' -> digitNext;
            case '-' -> digitNext && i >= 2 && line.regionMatches(true, i - 2, "gh", 0, 2)
                    && (i == 2 || !isAsciiWord(line.charAt(i - 3)));
            default -> false;
        };
    }

    private static boolean isAsciiWord(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }

    /** A character of an e-mail address's local part, as GFM's extended e-mail autolink reads it. */
    private static boolean isEmailLocal(char c) {
        return isAsciiWord(c) || c == '.' || c == '+' || c == '-';
    }

    /**
     * An inline code span that shows the text literally, on one line: the backtick fence is
     * longer than any backtick run inside, and padded when the text starts or ends with a
     * backtick or a space (CommonMark would strip one space from each end). Hidden
     * characters show as escapes ({@link #plainLine}). Code spans need no joiner: GitHub and
     * GitLab find no mention or reference in code. Not for table cells: GFM splits cells on
     * {@code |} even inside code spans.
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
     * lines: the fence is longer than any backtick run inside, so no line can close it. Lines
     * end where a shell ends them, at LF or CR LF; every other hidden character (a lone CR,
     * U+2028, a bidi override, ESC) shows as an escape, as on the HTML page
     * ({@link VisibleText#inPage}), tabs kept: no line can escape an indented container, and
     * a command reads as it would run.
     */
    public static List<String> fence(String text, String info) {
        String fence = "`".repeat(Math.max(3, longestRun(text, '`') + 1));
        List<String> lines = new ArrayList<>();
        lines.add(fence + info);
        for (String line : text.split("\r?\n", -1)) {
            lines.add(VisibleText.inPage(line));
        }
        lines.add(fence);
        return lines;
    }

    /**
     * One line of plain text, hidden characters shown as the terminal shows them (line
     * breaks, tabs, controls, bidi overrides, zero-width characters: {@code \n}, {@code \t},
     * {@code \u001b}, {@code \u202e}; {@link VisibleText#inPageLine}, a backslash kept
     * single), for places that are not Markdown but are shown to people (beads titles and
     * labels, terminal lines) and as the first step of every Markdown line here.
     * {@code null} is empty.
     */
    public static String plainLine(String text) {
        return text == null ? "" : VisibleText.inPageLine(text);
    }

    /** Whether the {@code .} at {@code i} ends {@code www} (in any case): an extended www autolink. */
    private static boolean followsWww(String line, int i) {
        return i >= 3 && line.regionMatches(true, i - 3, "www", 0, 3);
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
