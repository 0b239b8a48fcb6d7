package dev.triagerules.input.junit;

import java.util.Locale;

/**
 * The tool that wrote a JUnit XML report, recognised by its content. Policy picks a
 * replay template by it ({@code junit.replay.<runner>}), and it is the default {@code mode}.
 */
public enum Runner {
    SUREFIRE, FAILSAFE, GRADLE, PYTEST, GO, NEXTEST, MOCHA, JUNIT;

    /** The lowercase name policy uses. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Runner of(String key) {
        for (Runner runner : values()) {
            if (runner.key().equals(key)) {
                return runner;
            }
        }
        return null;
    }
}
