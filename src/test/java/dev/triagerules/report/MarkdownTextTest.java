package dev.triagerules.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triagerules.base.VisibleText;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Document;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile text through the escaping, then through a real CommonMark parser: the result
 * must be one block of the intended kind holding only literal text equal to the input
 * (control characters aside), with no heading, list, HTML, link, image or emphasis made
 * from the input.
 */
class MarkdownTextTest {
    private static final Parser PARSER = Parser.builder().build();

    static final List<String> HOSTILE = List.of(
            "scheduler\n## owned heading",
            "reason\r\n\r\n# title\r- item",
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "team | x ](http://evil.example) [click](http://evil.example) ![img](http://evil.example/x.png)",
            "[ref]: http://evil.example",
            "`code` and ``double`` and a lone `",
            "&lt;b&gt; &amp; &#x41; &copy;",
            "*em* _em_ **strong** __strong__ ~~gone~~ $x^2$",
            "# heading",
            "- item",
            "+ item",
            "1. item",
            "12) item",
            "> quote",
            "===",
            "    indented code",
            "\\ backslash \\* and \\",
            "escape \u001b[31mred\u001b[0m bell\u0007 nul\u0000 del\u007f c1\u009b",
            "bidi \u202Eevil\u202C \u2066isolate\u2069",
            "line\u2028separator\u2029paragraph\u0085next",
            "ｃａｒｇｏ；ｒｍ look-alikes ∕ ‐",
            "bare https://evil.example/login WWW.evil.example www.evil.example mailto:x@evil.example you@evil.example",
            "ping @octocat @github/security-team (@x) \u00e9@y closes #10, GH-11, gh-12 org/repo#13 x#14",
            "gitlab @all !4 &5 %6 ~7 $8 ^9 #10",
            "@octocat",
            "#1 heading-like");

    /** U+2060 WORD JOINER: what {@link MarkdownText#inline} puts where a mention or reference would start. */
    private static final String WJ = "\u2060";

    @Test
    void inlineTextStaysOneParagraphOfLiteralText() {
        for (String hostile : HOSTILE) {
            String expected = ("Owner: " + MarkdownText.plainLine(hostile)).strip();
            Node block = onlyBlock("Owner: " + MarkdownText.inline(hostile) + "\n");
            assertInstanceOf(Paragraph.class, block, hostile);
            assertEquals(expected, withoutJoiners(literalText(block, hostile)).strip(), hostile);
        }
    }

    @Test
    void inlineTextStaysLiteralFirstOnALineAndInAHeading() {
        for (String hostile : HOSTILE) {
            String plain = MarkdownText.plainLine(hostile).strip();
            if (plain.isEmpty()) {
                continue;
            }
            Node first = onlyBlock(MarkdownText.inline(hostile.strip()) + "\n");
            assertInstanceOf(Paragraph.class, first, hostile);
            assertEquals(plain, withoutJoiners(literalText(first, hostile)), hostile);
            Node heading = onlyBlock("## 1. " + MarkdownText.inline(hostile) + "\n");
            assertInstanceOf(Heading.class, heading, hostile);
            assertEquals(("1. " + MarkdownText.plainLine(hostile)).strip(),
                    withoutJoiners(literalText(heading, hostile)).strip(), hostile);
        }
    }

    @Test
    void inlineTextNeverEndsATableCell() {
        for (String hostile : HOSTILE) {
            String cell = MarkdownText.inline(hostile);
            assertFalse(cell.contains("\n") || cell.contains("\r"), hostile);
            for (int i = cell.indexOf('|'); i >= 0; i = cell.indexOf('|', i + 1)) {
                int backslashes = 0;
                for (int j = i - 1; j >= 0 && cell.charAt(j) == '\\'; j--) {
                    backslashes++;
                }
                assertEquals(1, backslashes % 2, () -> "unescaped | in " + cell);
            }
        }
    }

    /**
     * GFM's extended autolinks (which the parser here lacks, and GitHub applies) start at a
     * scheme's {@code :}, at {@code www.} and around an e-mail's {@code @}: none is left raw.
     */
    @Test
    void inlineTextLeavesNoBareUrlForGfmToLink() {
        Pattern autolinkStart = Pattern.compile("(?<!\\\\)[:@]|(?i)www\\.");
        for (String hostile : HOSTILE) {
            String inline = MarkdownText.inline(hostile);
            assertFalse(autolinkStart.matcher(inline).find(), () -> "a bare URL GitHub would link: " + inline);
        }
        assertEquals("https\\://evil.example/login www\\.x you\\@evil.example",
                MarkdownText.inline("https://evil.example/login www.x you@evil.example"));
    }

    @Test
    void codeSpansShowTheTextExactlyOnOneLine() {
        List<String> values = new ArrayList<>(HOSTILE);
        values.addAll(List.of("`starts with a backtick", "ends with a backtick`", " padded ", "```", "a``b"));
        for (String value : values) {
            Node block = onlyBlock("Reason: " + MarkdownText.code(value) + "\n");
            assertInstanceOf(Paragraph.class, block, value);
            assertInstanceOf(Text.class, block.getFirstChild(), value);
            Node code = block.getFirstChild().getNext();
            assertInstanceOf(Code.class, code, value);
            assertEquals(MarkdownText.plainLine(value), ((Code) code).getLiteral(), value);
            assertEquals(null, code.getNext(), value);
        }
    }

    @Test
    void fencedBlocksHoldEveryLineInsideTheirListItem() {
        List<String> values = new ArrayList<>(HOSTILE);
        values.add("echo ```\n```\n## not a heading\n~~~\n</pre>");
        for (String value : values) {
            StringBuilder md = new StringBuilder("- incident\n\n");
            MarkdownText.fence(value, "sh").forEach(line -> md.append("  ").append(line).append('\n'));
            Node list = onlyBlock(md.toString());
            assertInstanceOf(BulletList.class, list, value);
            ListItem item = (ListItem) list.getFirstChild();
            assertEquals(null, item.getNext(), value);
            Node code = item.getFirstChild().getNext();
            assertInstanceOf(FencedCodeBlock.class, code, value);
            // Lines end at LF and CR LF only, as a shell reads them; a lone CR, U+2028 or NEL is shown.
            String expected = Stream.of(value.split("\r?\n", -1)).map(VisibleText::inPage)
                    .collect(Collectors.joining("\n")) + "\n";
            assertEquals(expected, ((FencedCodeBlock) code).getLiteral(), value);
        }
    }

    @Test
    void normalValuesKeepTheirBytesOrOnlyGainEscapes() {
        assertEquals("ft-autograd-owners", MarkdownText.inline("ft-autograd-owners"));
        assertEquals("critical", MarkdownText.inline("critical"));
        assertEquals("bd-3v0.7", MarkdownText.inline("bd-3v0.7"));
        assertEquals("autograd\\_state", MarkdownText.inline("autograd_state"));
        assertEquals("`triage64:269b823b00845adb`", MarkdownText.code("triage64:269b823b00845adb"));
        assertEquals("`FT-P2C-002 dispatch_key s1 strict`", MarkdownText.code("FT-P2C-002 dispatch_key s1 strict"));
        assertEquals(List.of("```sh", "cargo test -p ft-conformance s1", "```"),
                MarkdownText.fence("cargo test -p ft-conformance s1", "sh"));
    }

    @Test
    void controlCharactersShowInPlainLinesAsOnTheTerminal() {
        assertEquals("a\\nb\\tc", MarkdownText.plainLine("a\nb\tc"));
        assertEquals("red\\u001b[31m bell\\u0007", MarkdownText.plainLine("red\u001b[31m bell\u0007"));
        assertEquals("\\u202eevil\\u202c", MarkdownText.plainLine("\u202Eevil\u202C"));
        assertEquals("", MarkdownText.plainLine(null));
    }

    /**
     * Before, Markdown dropped them: a bidi override that made a replay command read
     * {@code ok # ;x} and an ESC sequence left no trace. Now they show as the terminal shows
     * them ({@code VisibleText}): inline text, code spans and fenced blocks alike.
     */
    @Test
    void controlCharactersShowAsEscapesInEveryKindOfText() {
        String log = "ok\u202E # ;rm -rf\u202C \u001b[2J\u0007 done";
        assertEquals("ok\\\\u202e \\# ;rm -rf\\\\u202c \\\\u001b\\[2J\\\\u0007 done", MarkdownText.inline(log));
        Node paragraph = onlyBlock(MarkdownText.inline(log) + "\n");
        assertEquals("ok\\u202e # ;rm -rf\\u202c \\u001b[2J\\u0007 done", literalText(paragraph, log));
        assertEquals(VisibleText.inMessage(log), literalText(paragraph, log), "as the terminal shows it");
        assertEquals("`ok\\u202e # ;rm -rf\\u202c \\u001b[2J\\u0007 done`", MarkdownText.code(log));
        assertEquals("a\\\\nb\\\\tc\\\\rd", MarkdownText.inline("a\nb\tc\rd"));
        assertEquals(List.of("```sh", "echo ok\\u202e # ;x", "\tnext\\rstep \\u001b[0m\\u2028", "```"),
                MarkdownText.fence("echo ok\u202E # ;x\r\n\tnext\rstep \u001b[0m\u2028", "sh"));
    }

    /**
     * GitHub turns {@code @name}, {@code @org/team}, {@code #123}, {@code GH-123} and
     * {@code owner/repo#123} in rendered text into mentions (a notification) and issue
     * references (an event on that issue), whatever the backslashes: a word joiner after the
     * sigil breaks them and renders as nothing. GitLab skips a backslash-escaped sigil.
     */
    @Test
    void mentionsAndReferencesFromLogsPingNobody() {
        assertEquals("ping \\@" + WJ + "octocat and \\@" + WJ + "github/security-team, cc\\: \\@" + WJ + "ft-owners",
                MarkdownText.inline("ping @octocat and @github/security-team, cc: @ft-owners"));
        assertEquals("fixes \\#" + WJ + "123, GH-" + WJ + "45, gh-" + WJ + "6 and org/repo\\#" + WJ + "7",
                MarkdownText.inline("fixes #123, GH-45, gh-6 and org/repo#7"));
        // Where no mention or reference can start, nothing is added.
        assertEquals("you\\@evil.example lodash\\@4.17.21 \\#hash HIGH-1 \\# 1 \\@ end\\@",
                MarkdownText.inline("you@evil.example lodash@4.17.21 #hash HIGH-1 # 1 @ end@"));
        // GitLab's own references (merge requests, epics, milestones, labels, snippets, alerts).
        assertEquals("\\!12 \\&3 \\%4 \\~5 \\$6 \\^7", MarkdownText.inline("!12 &3 %4 ~5 $6 ^7"));
    }

    /** Every hostile text rendered: nothing GitHub's or GitLab's reference filters would match. */
    @Test
    void renderedLogTextHoldsNoMentionOrReference() {
        // As GitHub's html-pipeline filters match text nodes (Ruby's \w is ASCII, as Java's).
        List<Pattern> github = List.of(
                Pattern.compile("(?:^|\\W)@[a-z0-9]", Pattern.CASE_INSENSITIVE),
                Pattern.compile("(?:^|\\W)(?:gh-|#)\\d", Pattern.CASE_INSENSITIVE),
                Pattern.compile("[\\w-]+/?[.\\w-]*#\\d"));
        Pattern gitlabUnescapedSigil = Pattern.compile("(?<!\\\\)[@#!&%~$^]");
        for (String hostile : HOSTILE) {
            String inline = MarkdownText.inline(hostile);
            String rendered = literalText(onlyBlock("Owner: " + inline + "\n"), hostile);
            for (Pattern reference : github) {
                assertFalse(reference.matcher(rendered).find(), () -> reference + " in " + rendered);
            }
            // Entities are ours (< >), and an escaped backslash escapes nothing after it.
            String sigils = inline.replace("&lt;", "<").replace("&gt;", ">").replace("\\\\", "");
            assertFalse(gitlabUnescapedSigil.matcher(sigils).find(),
                    () -> "a sigil GitLab would read: " + inline);
        }
    }

    /** A policy names its owners on purpose: {@code @team} there is meant to notify the team. */
    @Test
    void ownersThePolicyNamesStillMention() {
        Set<String> policy = Set.of("@ft-autograd-owners", "@frankentorch/core", "crash-triage-owner",
                "oncall@example.com", "team_@x");
        assertEquals("@ft-autograd-owners", MarkdownText.owner("@ft-autograd-owners", policy));
        assertEquals("@frankentorch/core", MarkdownText.owner("@frankentorch/core", policy));
        assertEquals("crash-triage-owner", MarkdownText.owner("crash-triage-owner", policy));
        // An e-mail address stays escaped (no autolink), as does an @ right after a name character.
        assertEquals("oncall\\@example.com", MarkdownText.owner("oncall@example.com", policy));
        assertEquals("team\\_\\@x", MarkdownText.owner("team_@x", policy));
        // Not the policy's: an owner from a report someone else wrote.
        assertEquals("\\@" + WJ + "ft-autograd-owner", MarkdownText.owner("@ft-autograd-owner", policy));
        assertEquals("\\@" + WJ + "x", MarkdownText.owner("@x", Set.of()));
    }

    @Test
    @Timeout(10)
    void veryLongTextIsEscapedInLinearTime() {
        String ticks = "`".repeat(200_000);
        String code = MarkdownText.code(ticks + "x");
        assertTrue(code.startsWith("`".repeat(200_001) + " "), "fence longer than the run");
        String longLine = "a|b<c>".repeat(200_000);
        String inline = MarkdownText.inline(longLine);
        assertEquals(200_000 * ("a\\|b&lt;c&gt;".length()), inline.length());
        assertEquals(3, MarkdownText.fence(ticks, "sh").size());
    }

    /** The only top-level block of the parsed text. */
    private static Node onlyBlock(String markdown) {
        Document document = (Document) PARSER.parse(markdown);
        Node first = document.getFirstChild();
        assertEquals(null, first == null ? null : first.getNext(), () -> "more than one block in:\n" + markdown);
        return first;
    }

    /** The literal text of a block, failing on any node that is not plain text. */
    private static String literalText(Node block, String input) {
        StringBuilder text = new StringBuilder();
        block.accept(new AbstractVisitor() {
            @Override
            public void visit(Text node) {
                text.append(node.getLiteral());
            }

            @Override
            protected void visitChildren(Node parent) {
                for (Node child = parent.getFirstChild(); child != null; child = child.getNext()) {
                    if (!(child instanceof Text)) {
                        throw new AssertionError(child + " made from " + input);
                    }
                    child.accept(this);
                }
            }
        });
        return text.toString();
    }

    /** Rendered text without the word joiners that break mentions and references (they show as nothing). */
    private static String withoutJoiners(String text) {
        return text.replace(WJ, "");
    }
}
