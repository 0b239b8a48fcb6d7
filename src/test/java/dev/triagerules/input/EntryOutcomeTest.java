package dev.triagerules.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The scenario and environment hashes are stored in ledgers: a ledger made by one version is read by the next. */
class EntryOutcomeTest {
    @Test
    void theHashesNeverChange() {
        // Values of the first ledger schema's hashes: changing them orphans every recorded scenario.
        assertThat(EntryOutcome.keyHash("FT-P2C-001", "op_schema", "op_schema/strict:case_1", "strict"))
                .isEqualTo(-8058814594216401458L);
        assertThat(EntryOutcome.textHash("det64:538454127b096494")).isEqualTo(-7782184881835760357L);
    }

    @Test
    void bytesAndTextHashAlike() {
        byte[] env = "det64:538454127b096494".getBytes(StandardCharsets.US_ASCII);
        assertThat(EntryOutcome.asciiHash(env, 0, env.length)).isEqualTo(EntryOutcome.textHash("det64:538454127b096494"));
        char[] text = "xop_schemay".toCharArray();
        assertThat(EntryOutcome.textHash(text, 1, 9)).isEqualTo(EntryOutcome.textHash("op_schema"));
    }

    @Test
    void everyAsciiByteHashesAsItsChar() {
        // The byte hash folds the two steps of a char into one multiply: exact for every ASCII byte.
        StringBuilder all = new StringBuilder();
        for (int c = 0; c < 128; c++) {
            byte[] one = {(byte) c};
            assertThat(EntryOutcome.asciiHash(one, 0, 1)).as("byte %d", c)
                    .isEqualTo(EntryOutcome.textHash(String.valueOf((char) c)));
            all.append((char) c);
        }
        byte[] bytes = all.toString().getBytes(StandardCharsets.US_ASCII);
        assertThat(EntryOutcome.asciiHash(bytes, 0, bytes.length)).isEqualTo(EntryOutcome.textHash(all));
        assertThat(EntryOutcome.asciiHash(bytes, 40, 100)).isEqualTo(EntryOutcome.textHash(all.substring(40, 100)));
    }
}
