package dev.triagerules.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Hostile text through each way of showing it: nothing a terminal acts on, nor anything
 * invisible, comes out raw; readable text, non-ASCII included, comes out as itself (except
 * through {@code ascii}).
 */
class VisibleTextTest {
    private static final List<UnaryOperator<String>> ALL = List.of(VisibleText::of, VisibleText::ascii,
            VisibleText::inMessage, VisibleText::message);

    /** What no method lets through, whatever it keeps (all else here is printable ASCII). */
    private static final List<String> HOSTILE = List.of(
            "\u001b[2J\u001b]0;title\u0007\u001bc", // CSI clear, OSC title, reset
            "\u009b31m", // C1 CSI: one character, no ESC
            "\u0085\u007f\u0000", // C1 next line, DEL, NUL
            "\r", // overwrites the line from its start
            "\u202e\u202a\u2066\u200f", // bidi override, embedding, isolate, mark
            "\u200b\u200d\u2060\u00ad", // zero-width space and joiner, word joiner, soft hyphen
            "\ufeff", // byte-order mark
            "\u2028\u2029", // line and paragraph separators
            "\ud800", "\udfff", // lone surrogates, high and low
            "\udb40\udc41", // U+E0041 TAG LATIN CAPITAL LETTER A: invisible, a pair
            "\ufffe\uffff\ufdd0\ufff0");

    @Test
    void escapeSequencesAreShownAsEscapes() {
        String text = "a\u001b[31mred\u001b]0;owned\u0007";
        for (UnaryOperator<String> shown : ALL) {
            assertThat(shown.apply(text)).isEqualTo("a\\u001b[31mred\\u001b]0;owned\\u0007");
        }
    }

    @Test
    void aC1ControlIsEscapedThoughItIsNoEsc() {
        for (UnaryOperator<String> shown : ALL) {
            assertThat(shown.apply("x\u009b2Jy")).isEqualTo("x\\u009b2Jy");
        }
    }

    @Test
    void bidiAndZeroWidthCharactersAndTheByteOrderMarkAreEscaped() {
        for (UnaryOperator<String> shown : ALL) {
            assertThat(shown.apply("abc\u202edcba")).isEqualTo("abc\\u202edcba");
            assertThat(shown.apply("ad\u200bmin")).isEqualTo("ad\\u200bmin");
            assertThat(shown.apply("\ufeffid")).isEqualTo("\\ufeffid");
            assertThat(shown.apply("tag\udb40\udc41")).isEqualTo("tag\\udb40\\udc41");
        }
    }

    @Test
    void carriageReturnAndTabAreEscapedByEveryMethod() {
        for (UnaryOperator<String> shown : ALL) {
            assertThat(shown.apply("ok\rFAIL\tx")).isEqualTo("ok\\rFAIL\\tx");
        }
    }

    @Test
    void aPageKeepsLinesTabsAndCrLfAndEscapesWhatHides() {
        assertThat(VisibleText.inPage("a\tb\r\nc\rd\u202e\u200b\u001b[2J\\u202e ::x ##[y")).isEqualTo(
                "a\tb\r\nc\\rd\\u202e\\u200b\\u001b[2J\\u202e ::x ##[y");
        assertThat(VisibleText.inPage(null)).isNull();
        assertThat(VisibleText.inPage("caf\u00e9 \ud83d\ude00")).isEqualTo("caf\u00e9 \ud83d\ude00");
    }

    /** Markdown's one-line text: as a page, but every line break, tab and CR shows as an escape. */
    @Test
    void aPageLineEscapesLineBreaksTabsAndCrToo() {
        assertThat(VisibleText.inPageLine("a\tb\r\nc\rd\u202e\u200b\u001b[2J\\u202e ::x ##[y\u2028z")).isEqualTo(
                "a\\tb\\r\\nc\\rd\\u202e\\u200b\\u001b[2J\\u202e ::x ##[y\\u2028z");
        assertThat(VisibleText.inPageLine(null)).isNull();
        assertThat(VisibleText.inPageLine("caf\u00e9 \ud83d\ude00")).isEqualTo("caf\u00e9 \ud83d\ude00");
    }

    @Test
    void aNewlineIsEscapedExceptInAWholeMessage() {
        assertThat(VisibleText.of("a\nb")).isEqualTo("a\\nb");
        assertThat(VisibleText.ascii("a\nb")).isEqualTo("a\\nb");
        assertThat(VisibleText.inMessage("a\nb")).isEqualTo("a\\nb");
        assertThat(VisibleText.message("a\nb")).isEqualTo("a\nb");
        assertThat(VisibleText.message("line 3: bad\r\n  | x")).isEqualTo("line 3: bad\\r\n  | x");
    }

    @Test
    void loneSurrogatesOfBothKindsAreEscaped() {
        for (UnaryOperator<String> shown : ALL) {
            assertThat(shown.apply("a\ud800b")).isEqualTo("a\\ud800b");
            assertThat(shown.apply("a\udc00b")).isEqualTo("a\\udc00b");
            assertThat(shown.apply("end\ud83d")).isEqualTo("end\\ud83d");
            assertThat(shown.apply("\ude00start")).isEqualTo("\\ude00start");
            assertThat(shown.apply("\ude00\ud83d")).as("a pair in the wrong order").isEqualTo("\\ude00\\ud83d");
        }
    }

    @Test
    void readableUnicodeIsShownAsItselfExceptInAscii() {
        String text = "café naïve ∑ 测试 \ud83d\ude80 Ωmega"; // the rocket is a surrogate pair
        assertThat(VisibleText.of(text)).isSameAs(text);
        assertThat(VisibleText.inMessage(text)).isSameAs(text);
        assertThat(VisibleText.message(text)).isSameAs(text);
        assertThat(VisibleText.ascii("caf\u00e9 \ud83d\ude80")).isEqualTo("caf\\u00e9 \\ud83d\\ude80");
    }

    @Test
    void asciiShowsLookAlikesAsWhatTheyAre() {
        // A fullwidth semicolon and a Unicode hyphen: refused in replay commands, and seen to be.
        assertThat(VisibleText.ascii("cargo test\uff1brm \u2010rf")).isEqualTo("cargo test\\uff1brm \\u2010rf");
        assertThat(VisibleText.of("cargo test\uff1brm \u2010rf")).isEqualTo("cargo test\uff1brm \u2010rf");
    }

    @Test
    void aBackslashIsDoubledWhereItCouldFakeAnEscape() {
        String typed = "C:\\logs\\u001b";
        assertThat(VisibleText.of(typed)).isEqualTo("C:\\\\logs\\\\u001b");
        assertThat(VisibleText.ascii(typed)).isEqualTo("C:\\\\logs\\\\u001b");
        assertThat(VisibleText.of(typed)).as("typed text and a real ESC look different")
                .isNotEqualTo(VisibleText.of("C:\\logs\u001b"));
    }

    @Test
    void aBackslashStaysSingleInMessagesSoNamesAndExcerptsReadAsWritten() {
        assertThat(VisibleText.inMessage("runs/\\[1\\].jsonl")).isEqualTo("runs/\\[1\\].jsonl");
        assertThat(VisibleText.inMessage("{\"a\":\"x\\\"y\\u00e9\"}")).isEqualTo("{\"a\":\"x\\\"y\\u00e9\"}");
        assertThat(VisibleText.message("pattern \\d+ at\n  | \\")).isEqualTo("pattern \\d+ at\n  | \\");
    }

    @Test
    void nothingHostileComesOutRaw() {
        for (UnaryOperator<String> shown : ALL) {
            for (String hostile : HOSTILE) {
                String out = shown.apply("<" + hostile + ">");
                assertThat(out.chars()).as("%s", out).allMatch(c -> c >= 0x20 && c < 0x7f);
                assertThat(out).as("%s", out).startsWith("<\\").endsWith(">");
            }
        }
    }

    @Test
    void textAlreadyShownPassesTheLastMessageStepUnchanged() {
        String hostile = "id\u001b[2J\\u001b\n\ud800\u202e\t\u00e9";
        for (UnaryOperator<String> shown : ALL) {
            String once = shown.apply(hostile);
            assertThat(VisibleText.message(once)).isEqualTo(once);
        }
        assertThat(VisibleText.inMessage(VisibleText.inMessage(hostile))).isEqualTo(VisibleText.inMessage(hostile));
    }

    @Test
    void plainTextIsReturnedAsItIs() {
        String plain = "triage64:269b823b00845adb FT-P2C-002 dispatch_key/strict:case_1";
        for (UnaryOperator<String> shown : ALL) {
            assertThat(shown.apply(plain)).isSameAs(plain);
            assertThat(shown.apply("")).isEmpty();
        }
    }

    @Test
    void nullIsAMissingValue() {
        for (UnaryOperator<String> shown : ALL) {
            assertThat(shown.apply(null)).isEqualTo("-");
        }
    }
}
