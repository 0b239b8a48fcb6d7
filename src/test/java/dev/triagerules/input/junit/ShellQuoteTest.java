package dev.triagerules.input.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ShellQuoteTest {

    @Test
    void plainWordsStayAsTheyAre() {
        assertThat(ShellQuote.quote("demo.CalculatorTest")).isEqualTo("demo.CalculatorTest");
        assertThat(ShellQuote.quote("tests/test_x.py")).isEqualTo("tests/test_x.py");
    }

    @Test
    void aRealShellReadsEveryQuotedValueBackAsOneLiteralWord() throws Exception {
        for (String hostile : new String[] {"$(touch /tmp/pwned)`id`;rm -rf ~ && echo", "it's", "a b\tc", "*",
                "test_quantity_limits[12]", "'", "\"$HOME\"", "naïve ∑ 🚀", "-n", "x\\y", "!event"}) {
            String quoted = ShellQuote.quote(hostile);
            Process sh = new ProcessBuilder("sh", "-c", "printf '%s|' " + quoted).redirectErrorStream(true).start();
            String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(sh.waitFor()).isZero();
            assertThat(out).as("sh reading %s", quoted).isEqualTo(hostile + "|");
        }
    }

    @Test
    void controlCharactersAreRefused() throws IOException {
        assertThat(ShellQuote.quote("a\nb")).isNull();
        assertThat(ShellQuote.quote("a\rb")).isNull();
        assertThat(ShellQuote.quote("a\u0000b")).isNull();
        assertThat(ShellQuote.quote("a\u0085b")).isNull();
    }
}
