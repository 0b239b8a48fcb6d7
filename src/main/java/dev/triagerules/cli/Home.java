package dev.triagerules.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the bundled default {@code rules/} and {@code policy/} live: the project folder.
 * The launcher passes it as {@code -Dtriage.home}; otherwise it is found from the jar
 * ({@code <home>/target/triage-rules.jar}) or the current folder.
 */
final class Home {
    private Home() {
    }

    static Path dir() {
        String property = System.getProperty("triage.home");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        try {
            Path code = Path.of(Home.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path candidate = code; candidate != null; candidate = candidate.getParent()) {
                if (Files.isDirectory(candidate.resolve("rules")) && Files.isDirectory(candidate.resolve("policy"))) {
                    return candidate;
                }
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through to the working directory
        }
        return Path.of("");
    }

    static Path defaultRules() {
        return dir().resolve("rules");
    }

    static Path defaultPolicy() {
        return dir().resolve("policy");
    }
}
