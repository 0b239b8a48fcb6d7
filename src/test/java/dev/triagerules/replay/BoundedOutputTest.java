package dev.triagerules.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedOutputTest {

    private static void append(BoundedOutput output, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        output.append(bytes, 0, bytes.length);
    }

    @Test
    void shortOutputIsKeptWhole() {
        BoundedOutput output = new BoundedOutput(4, 4);
        append(output, "abc");
        append(output, "def");
        assertEquals("abcdef", output.text());
        assertEquals(0, output.truncatedBytes());
        assertEquals(6, output.totalBytes());
    }

    @Test
    void longOutputKeepsHeadAndTailAndSaysWhatWasCut() {
        BoundedOutput output = new BoundedOutput(4, 4);
        for (char c = 'a'; c <= 'z'; c++) {
            append(output, String.valueOf(c));
        }
        assertEquals(26, output.totalBytes());
        assertEquals(18, output.truncatedBytes());
        String text = output.text();
        assertTrue(text.startsWith("abcd\n[triage-rules: 18 bytes of output cut here"), text);
        assertTrue(text.endsWith("]\nwxyz"), text);
    }
}
