package dev.triagerules.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The golden conformance set inside the project ({@code src/test/resources/golden}): logs,
 * and the reports the upstream tool wrote for them with each pack's version. Read from the
 * source folder (tests run from the project root), so a missing file fails the build
 * instead of skipping a comparison.
 */
public final class GoldenSet {
    /** The packs whose upstream reports the set holds, as folder names under {@code expected/}. */
    public static final List<String> PACKS = List.of("v1", "head");

    private static final Path DIR = Path.of("src", "test", "resources", "golden");
    private static final String PACKET_INFIX = ".packet-";

    private GoldenSet() {
    }

    public static Path dir() {
        if (!Files.isDirectory(DIR.resolve("expected")) || !Files.isDirectory(DIR.resolve("logs"))) {
            fail("golden set not found at " + DIR.toAbsolutePath()
                    + " (tests run from the project root; see docs/conformance.md)");
        }
        return DIR;
    }

    public static Path logs() {
        return dir().resolve("logs");
    }

    public static Path expected(String pack) {
        return dir().resolve("expected").resolve(pack);
    }

    /** The upstream reports of a pack, sorted by file name. */
    public static List<Path> expectedReports(String pack) throws IOException {
        try (Stream<Path> files = Files.list(expected(pack))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    /** Every log, sorted by file name. */
    public static List<Path> logFiles() throws IOException {
        try (Stream<Path> files = Files.list(logs())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
    }

    /** {@code expected/P/NAME.json} and {@code expected/P/NAME.packet-ID.json} are reports of {@code logs/NAME.jsonl}. */
    public static Path logOf(Path expectedReport) {
        String name = baseName(expectedReport);
        int packet = name.indexOf(PACKET_INFIX);
        return logs().resolve((packet >= 0 ? name.substring(0, packet) : name) + ".jsonl");
    }

    /** The {@code --packet} value a report was made with, from its file name. */
    public static Optional<String> packetOf(Path expectedReport) {
        String name = baseName(expectedReport);
        int packet = name.indexOf(PACKET_INFIX);
        return packet >= 0 ? Optional.of(name.substring(packet + PACKET_INFIX.length())) : Optional.empty();
    }

    private static String baseName(Path expectedReport) {
        return expectedReport.getFileName().toString().replaceFirst("\\.json$", "");
    }
}
