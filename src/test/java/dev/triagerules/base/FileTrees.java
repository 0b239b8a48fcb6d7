package dev.triagerules.base;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Test helper: whole folders copied, for tests that break a copy of a shipped pack or build. */
public final class FileTrees {
    private FileTrees() {
    }

    /** Copies every file and folder below {@code from} to the same place below {@code to}; returns {@code to}. */
    public static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path path : walk.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
        return to;
    }
}
