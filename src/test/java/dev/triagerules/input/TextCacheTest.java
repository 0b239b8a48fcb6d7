package dev.triagerules.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TextCacheTest {
    private final TextCache cache = new TextCache();

    @Test
    void equalBytesGiveOneSharedString() {
        byte[] line = "xx\"FT-P2C-004\",\"FT-P2C-004\"".getBytes(StandardCharsets.US_ASCII);
        String first = cache.text(line, 3, 13);
        String second = cache.text(line, 16, 26);
        assertThat(first).isEqualTo("FT-P2C-004");
        assertThat(second).isSameAs(first);
    }

    @Test
    void checkedUtf8IsDecoded() {
        byte[] bytes = "réseau → 網".getBytes(StandardCharsets.UTF_8);
        assertThat(cache.text(bytes, 0, bytes.length)).isEqualTo("réseau → 網");
        assertThat(cache.text(bytes, 0, bytes.length)).isEqualTo("réseau → 網");
    }

    @Test
    void aLongTextIsDecodedEachTime() {
        byte[] bytes = "a".repeat(TextCache.MAX_CACHED_BYTES + 1).getBytes(StandardCharsets.US_ASCII);
        String first = cache.text(bytes, 0, bytes.length);
        assertThat(first).hasSize(TextCache.MAX_CACHED_BYTES + 1);
        assertThat(cache.text(bytes, 0, bytes.length)).isEqualTo(first).isNotSameAs(first);
    }

    @Test
    void manyValuesSharingSlotsAlwaysGiveTheirOwnText() {
        // Far more values than slots, with the same prefix, middle and suffix words in many
        // of them: whatever a slot holds, the text returned is the bytes asked for.
        Random random = new Random(7);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            values.add(switch (i % 4) {
                case 0 -> "artifacts/phase2c/FT-P2C-00" + (i % 9) + "/parity_report.json";
                case 1 -> "tensor_meta/strict:case_" + i;
                case 2 -> Integer.toString(i, 36);
                default -> "cargo run -p ft-conformance -- --scenario " + "x".repeat(i % 40) + i;
            });
        }
        Map<String, String> firstSeen = new HashMap<>();
        for (int round = 0; round < 20_000; round++) {
            String value = values.get(random.nextInt(values.size()));
            byte[] padded = ("\"" + value + "\"").getBytes(StandardCharsets.UTF_8);
            String text = cache.text(padded, 1, padded.length - 1);
            assertThat(text).isEqualTo(value);
            firstSeen.putIfAbsent(value, text);
        }
        assertThat(firstSeen).hasSizeGreaterThan(1_000);
    }

    @Test
    void emptyAndShortTexts() {
        byte[] bytes = "\"\"ab".getBytes(StandardCharsets.US_ASCII);
        assertThat(cache.text(bytes, 1, 1)).isEmpty();
        assertThat(cache.text(bytes, 2, 4)).isEqualTo("ab");
        assertThat(cache.text(bytes, 2, 3)).isEqualTo("a");
        assertThat(cache.text(bytes, 3, 4)).isEqualTo("b");
    }
}
