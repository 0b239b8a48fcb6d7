package dev.triagerules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A jar carries the digest its build made, so a run need not hash the jar; nothing else trusts it. */
class BuiltToolCodeDigestTest {
    private static final String DIGEST = "fab02d1834b9b3611c4a20a2bf069a3e8e768da70d79e2fa3e1669534edb1c92";

    @TempDir
    Path tmp;

    @Test
    void aJarWithABuiltDigestIsNamedByIt() throws IOException {
        Path jar = jar("a.jar", Map.of(ToolCodeDigest.BUILT_ENTRY, DIGEST + "\n"));
        assertThat(ToolCodeDigest.ofCodeAt(jar)).isEqualTo("built " + DIGEST);
    }

    @Test
    void twoBuildsDifferWhenTheirDigestsDoAndNotByTheirOtherBytes() throws IOException {
        Path one = jar("one.jar", Map.of(ToolCodeDigest.BUILT_ENTRY, DIGEST, "dev/triagerules/A.class", "1"));
        Path same = jar("same.jar", Map.of(ToolCodeDigest.BUILT_ENTRY, DIGEST, "META-INF/x", "other bytes"));
        Path other = jar("other.jar", Map.of(ToolCodeDigest.BUILT_ENTRY, DIGEST.replace('f', 'e')));
        assertThat(ToolCodeDigest.ofCodeAt(same)).isEqualTo(ToolCodeDigest.ofCodeAt(one));
        assertThat(ToolCodeDigest.ofCodeAt(other)).isNotEqualTo(ToolCodeDigest.ofCodeAt(one));
    }

    @Test
    void aJarWithoutOrWithAMalformedDigestIsDigestedByItsBytes() throws IOException {
        for (String content : new String[] {null, "", "not a digest", DIGEST.substring(1), DIGEST.toUpperCase()}) {
            Map<String, String> entries = new LinkedHashMap<>();
            entries.put("dev/triagerules/engine/Failure.class", "code");
            if (content != null) {
                entries.put(ToolCodeDigest.BUILT_ENTRY, content);
            }
            Path jar = jar("j.jar", entries);
            assertThat(ToolCodeDigest.ofCodeAt(jar)).as(String.valueOf(content))
                    .isEqualTo(FileSetDigest.sha256Hex(Files.readAllBytes(jar)));
        }
    }

    @Test
    void aDigestFileInAClassesFolderIsNotTrusted() throws IOException {
        Path classes = tmp.resolve("classes");
        Path failure = classes.resolve("dev/triagerules/engine/Failure.class");
        Files.createDirectories(failure.getParent());
        Files.writeString(failure, "code");
        String before = ToolCodeDigest.ofCodeAt(classes);
        // A digest left by an earlier package step: the classes may have been recompiled since.
        Files.writeString(classes.resolve(ToolCodeDigest.BUILT_ENTRY), DIGEST);
        assertThat(ToolCodeDigest.ofCodeAt(classes)).isEqualTo(before).isEqualTo(ToolCodeDigest.of(classes));
        Files.writeString(failure, "recompiled");
        assertThat(ToolCodeDigest.ofCodeAt(classes)).isNotEqualTo(before);
    }

    private Path jar(String name, Map<String, String> entries) throws IOException {
        Path jar = tmp.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                JarEntry jarEntry = new JarEntry(entry.getKey());
                jarEntry.setTime(0);
                out.putNextEntry(jarEntry);
                out.write(entry.getValue().getBytes(StandardCharsets.US_ASCII));
                out.closeEntry();
            }
        }
        return jar;
    }
}
