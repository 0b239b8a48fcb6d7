package dev.triagerules;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The read-only {@code ../shared} folder beside the checkout: golden upstream reports.
 * Present in CI; elsewhere the tests that need it are skipped with a message.
 */
public final class Shared {
    private static final Path GOLDEN = Path.of("..", "shared", "golden");

    private Shared() {
    }

    public static Path golden() {
        Assumptions.assumeTrue(Files.isDirectory(GOLDEN.resolve("expected")),
                "skipped: ../shared/golden not found beside the checkout (conformance data lives there in CI)");
        return GOLDEN;
    }
}
