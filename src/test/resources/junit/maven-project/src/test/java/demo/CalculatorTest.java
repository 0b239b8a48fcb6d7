package demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every kind of outcome a triage tool meets: pass, fail, error, skip, timeout, flaky. */
class CalculatorTest {

    @Test
    void addsNumbers() {
        assertEquals(4, 2 + 2);
    }

    @Test
    void dividesRoundingDown() {
        System.out.println("dividing 7 by 2 with seed=1234");
        // Fails every time: a deterministic bug (Surefire reruns it and records rerunFailure).
        assertEquals(4, 7 / 2, "7 / 2 rounded");
    }

    @Test
    void readsConfiguration() {
        Map<String, String> config = Map.of();
        // Errors every time: a null dereference (rerunError).
        assertEquals(3, config.get("retries").length());
    }

    @Test
    @Disabled("waiting for the new parser")
    void parsesExpressions() {
    }

    @Test
    void cachesResults() throws IOException {
        // Flaky: fails on the first run, passes on a rerun (flakyFailure).
        Path marker = Path.of("target", "flaky-marker-" + "cachesResults");
        boolean firstRun = !Files.exists(marker);
        Files.createDirectories(marker.getParent());
        Files.writeString(marker, "ran");
        System.out.println("[[ATTACHMENT|target/cache-dump-0x7f3a9c.txt]]");
        assertTrue(!firstRun, "cache entry 0x7f3a9c21 evicted after 1534 ms");
    }

    @Test
    void connectsToService() throws IOException {
        // Flaky error: refused on the first run, passes on a rerun (flakyError).
        Path marker = Path.of("target", "flaky-marker-" + "connectsToService");
        boolean firstRun = !Files.exists(marker);
        Files.createDirectories(marker.getParent());
        Files.writeString(marker, "ran");
        if (firstRun) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", 9), 2000);
            }
        }
    }

    @Test
    @Timeout(value = 200, unit = TimeUnit.MILLISECONDS)
    void finishesQuickly() throws InterruptedException {
        Thread.sleep(2000);
    }
}
