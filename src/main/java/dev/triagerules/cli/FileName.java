package dev.triagerules.cli;

import java.nio.file.Path;
import picocli.CommandLine;

/**
 * An option value that names a file or folder. An empty one is bad usage: it is nearly
 * always an unset variable ({@code --markdown-append "$GITHUB_STEP_SUMMARY"} outside
 * GitHub), and as a path it means the working folder, which surfaced as a puzzling
 * {@code : cannot write: is a directory}, or a triage of whatever the folder held.
 * {@link Main} registers {@link AsPath} for every {@code Path} option; an option kept as
 * text (for {@code -} or a URL) names {@link AsText} as its converter.
 */
final class FileName {
    static final String EMPTY = "the file name is empty (an unset variable?)";

    private FileName() {
    }

    static final class AsPath implements CommandLine.ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            return Path.of(requireName(value));
        }
    }

    static final class AsText implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return requireName(value);
        }
    }

    private static String requireName(String value) {
        if (value.isEmpty()) {
            throw new CommandLine.TypeConversionException(EMPTY);
        }
        return value;
    }
}
