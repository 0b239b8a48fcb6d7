package dev.triagerules.engine;

import dev.triagerules.base.FileTrees;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tool's own code is part of the cache key: a rebuilt tool never loads stale compiled rules. */
class ToolCodeDigestTest {
    @TempDir
    Path tmp;

    @Test
    void aChangedClassFileChangesTheDigest() throws IOException {
        Path classes = copyOurClasses(tmp.resolve("classes"));
        String before = ToolCodeDigest.of(classes);
        assertThat(ToolCodeDigest.of(classes)).as("stable").isEqualTo(before);

        Path failure = classes.resolve("dev/triagerules/engine/Failure.class");
        byte[] bytes = Files.readAllBytes(failure);
        bytes[bytes.length - 1] ^= 1;
        Files.write(failure, bytes);
        assertThat(ToolCodeDigest.of(classes)).isNotEqualTo(before);
    }

    @Test
    void anAddedClassChangesTheDigestAndOtherFilesDoNot() throws IOException {
        Path classes = copyOurClasses(tmp.resolve("classes"));
        String before = ToolCodeDigest.of(classes);
        Files.writeString(classes.resolve("triage-rules.properties"), "not code\n");
        Files.createDirectories(classes.resolve("org/example"));
        Files.write(classes.resolve("org/example/Other.class"), new byte[] {1});
        assertThat(ToolCodeDigest.of(classes)).isEqualTo(before);

        Files.write(classes.resolve("dev/triagerules/engine/Extra.class"), new byte[] {1});
        assertThat(ToolCodeDigest.of(classes)).isNotEqualTo(before);
    }

    @Test
    void aJarIsDigestedByItsBytes() throws IOException {
        Path jar = tmp.resolve("triage-rules.jar");
        writeJar(jar, new byte[] {1, 2, 3});
        String before = ToolCodeDigest.of(jar);
        writeJar(jar, new byte[] {1, 2, 4});
        assertThat(ToolCodeDigest.of(jar)).isNotEqualTo(before).isEqualTo(FileSetDigest.sha256Hex(
                Files.readAllBytes(jar)));
    }

    @Test
    void theRunningCodeIsDigestedFromWhereItWasLoaded() throws IOException {
        // Tests run from target/classes.
        assertThat(ToolCodeDigest.current()).isEqualTo(ToolCodeDigest.of(Path.of("target", "classes")));
    }

    private static void writeJar(Path jar, byte[] classBytes) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            JarEntry entry = new JarEntry("dev/triagerules/engine/Failure.class");
            entry.setTime(0);
            out.putNextEntry(entry);
            out.write(classBytes);
            out.closeEntry();
        }
    }

    private static Path copyOurClasses(Path to) throws IOException {
        FileTrees.copy(Path.of("target", "classes", "dev"), to.resolve("dev"));
        return to;
    }
}
