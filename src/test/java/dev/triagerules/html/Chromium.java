package dev.triagerules.html;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's headless chromium, driven by Playwright (whose own browser download is skipped:
 * it cannot work on these machines). Without chromium the browser tests are skipped with a
 * message on stderr and in the test report, unless {@code -Dtriage.browser.required=true}
 * (set by {@code .ci/run}) makes that a failure.
 */
final class Chromium implements AutoCloseable {
    static final String INSTALL = "apt-get install -y chromium";
    private static final List<String> ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync");

    private static String missing;
    private final Playwright playwright;
    final Browser browser;

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    /**
     * The browser; null when chromium is missing (said on stderr; a failure instead when the
     * browser is required). Each test then skips itself with {@link #skipWithout}, so that the
     * test summary counts them as skipped.
     */
    static Chromium launch() {
        Path executable = Path.of(System.getenv().getOrDefault("TRIAGE_CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(executable)) {
            String message = "HTML browser tests skipped: no chromium at " + executable + "; install it with `"
                    + INSTALL + "` (Debian) or point TRIAGE_CHROMIUM at one";
            if (Boolean.getBoolean("triage.browser.required")) {
                throw new AssertionError(message.replace("skipped", "cannot run") + " (triage.browser.required is set)");
            }
            System.err.println(message);
            missing = message;
            return null;
        }
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(executable).setArgs(ARGS));
            return new Chromium(playwright, browser);
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    /** Skips the calling test, with the reason, when {@link #launch} found no chromium. */
    static void skipWithout(Chromium chromium) {
        Assumptions.assumeTrue(chromium != null, () -> missing);
    }

    @Override
    public void close() {
        playwright.close();
    }
}
