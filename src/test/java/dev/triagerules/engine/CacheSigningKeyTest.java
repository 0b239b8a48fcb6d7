package dev.triagerules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hand-written HMAC-SHA256 of cache entries agrees with the JDK's. */
class CacheSigningKeyTest {
    @TempDir
    Path tmp;

    @Test
    void tagsAreTheJdksHmacSha256() throws Exception {
        Path file = tmp.resolve("triage-rules").resolve("rule-cache.key");
        CacheSigningKey key = CacheSigningKey.readOrCreate(file);
        Mac reference = Mac.getInstance("HmacSHA256");
        reference.init(new SecretKeySpec(Files.readAllBytes(file), "HmacSHA256"));
        byte[] bytes = new byte[100_001];
        new Random(7).nextBytes(bytes);
        for (int length : new int[] {0, 1, 55, 63, 64, 65, 1000, 100_000}) {
            reference.update(bytes, 0, length);
            assertThat(key.tag(bytes, length)).as("length %d", length).isEqualTo(reference.doFinal());
        }
    }

    @Test
    void tagsDependOnTheKey() throws Exception {
        byte[] message = "entry".getBytes();
        byte[] first = CacheSigningKey.readOrCreate(tmp.resolve("a").resolve("key")).tag(message, message.length);
        byte[] second = CacheSigningKey.readOrCreate(tmp.resolve("b").resolve("key")).tag(message, message.length);
        assertThat(Arrays.equals(first, second)).isFalse();
    }
}
