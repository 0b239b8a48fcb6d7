package dev.triagerules.engine;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * SHA-256 of the tool's own code, part of the compiled-rules cache key: compiled rule
 * packages refer to our classes (a changed {@link Failure}, say), so a rebuilt tool must
 * never load packages compiled against the old one, even under the same version string.
 *
 * <p>Run from a jar, it is the digest the build wrote into the jar ({@value #BUILT_ENTRY}:
 * SHA-256 over our class files and every library jar, made by the pom's antrun step), so
 * a run reads 64 bytes instead of hashing the ~500 kB jar (13-18 ms of a cached run's
 * main thread); a jar without it is digested by its bytes. The build writes it beside the
 * classes it packs, so it cannot describe other code. Run from a classes folder (tests,
 * an IDE), it is the digest of every {@code dev/triagerules/**.class} file there (a built
 * digest lying in the folder may be older than the classes, so it is not used). Computed
 * once per JVM, on first use: only a run that consults the cache pays for it.
 */
public final class ToolCodeDigest {
    private ToolCodeDigest() {
    }

    /** The digest of the code this JVM runs; unique to this JVM when the code cannot be read. */
    public static String current() {
        return Current.DIGEST;
    }

    /** Where the build keeps the digest in the jar. */
    static final String BUILT_ENTRY = "dev/triagerules/engine/tool-code.sha256";

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /** The digest the build wrote into a jar, if it has one. */
    static Optional<String> built(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            JarEntry entry = file.getJarEntry(BUILT_ENTRY);
            if (entry == null) {
                return Optional.empty();
            }
            try (InputStream in = file.getInputStream(entry)) {
                String digest = new String(in.readNBytes(65), StandardCharsets.US_ASCII).strip();
                return SHA256_HEX.matcher(digest).matches() ? Optional.of("built " + digest) : Optional.empty();
            }
        }
    }

    /** The digest of the code at a location: a jar's built digest, else its bytes; a folder's class files. */
    static String ofCodeAt(Path location) throws IOException {
        if (Files.isRegularFile(location)) {
            Optional<String> built = built(location);
            if (built.isPresent()) {
                return built.get();
            }
        }
        return of(location);
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
                    return ofCodeAt(Path.of(source.getLocation().toURI()));
                }
            } catch (IOException | URISyntaxException | RuntimeException e) {
                // fall through: better a cache that never hits than one that may be stale
            }
            return "unreadable " + UUID.randomUUID();
        }
    }
}
