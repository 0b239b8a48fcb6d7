package dev.triagerules.engine;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * SHA-256 of the tool's own code, part of the compiled-rules cache key: compiled rule
 * packages refer to our classes (a changed {@link Failure}, say), so a rebuilt tool must
 * never load packages compiled against the old one, even under the same version string.
 *
 * <p>Run from a jar, it is the digest of the jar's bytes (whose manifest also names every
 * library jar with its version); run from a classes folder (tests, an IDE), of every
 * {@code dev/triagerules/**.class} file there. Computed once per JVM, on first use: only
 * a run that consults the cache pays for it.
 */
public final class ToolCodeDigest {
    private ToolCodeDigest() {
    }

    /** The digest of the code this JVM runs; unique to this JVM when the code cannot be read. */
    public static String current() {
        return Current.DIGEST;
    }

    /** The digest of a jar file, or of the tool's class files under a classes folder. */
    static String of(Path codeLocation) throws IOException {
        if (Files.isRegularFile(codeLocation)) {
            return FileSetDigest.sha256Hex(Files.readAllBytes(codeLocation));
        }
        Path ours = codeLocation.resolve("dev").resolve("triagerules");
        try (Stream<Path> walk = Files.walk(ours)) {
            List<Path> classes = walk.filter(p -> p.getFileName().toString().endsWith(".class"))
                    .filter(Files::isRegularFile)
                    .toList();
            return FileSetDigest.of(codeLocation, classes).sha256();
        } catch (RuntimeException e) { // FileSetDigest reports an unreadable file this way
            throw new IOException(e.getMessage(), e);
        }
    }

    private static final class Current {
        static final String DIGEST = compute();

        private static String compute() {
            try {
                CodeSource source = ToolCodeDigest.class.getProtectionDomain().getCodeSource();
                if (source != null && source.getLocation() != null) {
                    return of(Path.of(source.getLocation().toURI()));
                }
            } catch (IOException | URISyntaxException | RuntimeException e) {
                // fall through: better a cache that never hits than one that may be stale
            }
            return "unreadable " + UUID.randomUUID();
        }
    }
}
