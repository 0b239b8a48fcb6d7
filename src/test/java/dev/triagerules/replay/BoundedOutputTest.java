package dev.triagerules.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
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

    /** Chunks of every size, ring wrap-arounds and chunks larger than the tail: the kept bytes are exactly the stream's. */
    @Test
    void keepsExactlyTheFirstAndLastBytesWhateverTheChunks() {
        Random random = new Random(7);
        for (int round = 0; round < 500; round++) {
            int head = random.nextInt(6);
            int tail = random.nextInt(9);
            BoundedOutput output = new BoundedOutput(head, tail);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            int chunks = random.nextInt(12);
            for (int c = 0; c < chunks; c++) {
                byte[] chunk = new byte[random.nextInt(20) + 2];
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = (byte) ('a' + random.nextInt(26));
                }
                int offset = random.nextInt(2);
                int length = random.nextInt(chunk.length - offset);
                output.append(chunk, offset, length);
                all.write(chunk, offset, length);
            }
            byte[] stream = all.toByteArray();
            int keptHead = Math.min(head, stream.length);
            int keptTail = Math.min(tail, stream.length - keptHead);
            String expectedTail = new String(Arrays.copyOfRange(stream, stream.length - keptTail, stream.length),
                    StandardCharsets.UTF_8);
            String text = output.text();
            String context = "round " + round + ": " + new String(stream, StandardCharsets.UTF_8);
            assertEquals(stream.length, output.totalBytes(), context);
            assertEquals(stream.length - keptHead - keptTail, output.truncatedBytes(), context);
            assertTrue(text.startsWith(new String(stream, 0, keptHead, StandardCharsets.UTF_8)), context);
            if (output.truncatedBytes() == 0) {
                assertEquals(new String(stream, StandardCharsets.UTF_8), text, context);
            } else {
                assertTrue(text.endsWith(" bytes]\n" + expectedTail), context + " -> " + text);
            }
        }
    }
}
