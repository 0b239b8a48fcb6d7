package dev.triagerules.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
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
            "bare https://evil.example/login WWW.evil.example www.evil.example mailto:x@evil.example you@evil.example");

    @Test
    void inlineTextStaysOneParagraphOfLiteralText() {
        for (String hostile : HOSTILE) {
            String expected = ("Owner: " + MarkdownText.plainLine(hostile)).strip();
            Node block = onlyBlock("Owner: " + MarkdownText.inline(hostile) + "\n");
            assertInstanceOf(Paragraph.class, block, hostile);
            assertEquals(expected, literalText(block, hostile).strip(), hostile);
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
            assertEquals(plain, literalText(first, hostile), hostile);
            Node heading = onlyBlock("## 1. " + MarkdownText.inline(hostile) + "\n");
            assertInstanceOf(Heading.class, heading, hostile);
            assertEquals(("1. " + MarkdownText.plainLine(hostile)).strip(), literalText(heading, hostile).strip(),
                    hostile);
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
            String expected = String.join("\n", value.split("\r\n|\r|\n|\u0085|\u2028|\u2029", -1)) + "\n";
            assertEquals(withoutControlsButTab(expected), ((FencedCodeBlock) code).getLiteral(), value);
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
    void controlCharactersLeavePlainLines() {
        assertEquals("a b c", MarkdownText.plainLine("a\nb\tc"));
        assertEquals("red[31m bell", MarkdownText.plainLine("red\u001b[31m bell\u0007"));
        assertEquals("evil", MarkdownText.plainLine("\u202Eevil\u202C"));
        assertEquals("", MarkdownText.plainLine(null));
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

    private static String withoutControlsButTab(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            boolean control = Character.getType(c) == Character.CONTROL && c != '\t' && c != '\n';
            boolean bidi = c == '\u202E' || c == '\u202C' || c == '\u2066' || c == '\u2069';
            if (c == '\f' || c == 0x0B) {
                out.append(' ');
            } else if (!control && !bidi) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
