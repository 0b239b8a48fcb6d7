package dev.triagerules.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JVM-side check; InputProcessTest runs the real thing with fd 0 closed. */
class ClosedStdinTest {
    @TempDir
    Path tmp;

    @Test
    void filesOfTheJdkOrTheClassPathAreTheJvmsOwn() throws IOException {
        assertThat(ClosedStdin.isJvmFile(Path.of(System.getProperty("java.home"), "lib", "modules"))).isTrue();
        String firstOnClassPath = System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0];
        assertThat(ClosedStdin.isJvmFile(Path.of(firstOnClassPath).toAbsolutePath())).isTrue();
        assertThat(ClosedStdin.isJvmFile(Files.writeString(tmp.resolve("log.jsonl"), "{}"))).isFalse();
        assertThat(ClosedStdin.isJvmFile(Path.of("pipe:[12345]"))).isFalse();
        assertThat(ClosedStdin.isJvmFile(Path.of("/dev/null"))).isFalse();
    }

    @Test
    void theLaunchersWordIsTaken() {
        String before = System.getProperty(ClosedStdin.PROPERTY);
        try {
            System.setProperty(ClosedStdin.PROPERTY, "closed");
            assertThat(ClosedStdin.isClosed()).isTrue();
        } finally {
            if (before == null) {
                System.clearProperty(ClosedStdin.PROPERTY);
            } else {
                System.setProperty(ClosedStdin.PROPERTY, before);
            }
        }
    }
}
