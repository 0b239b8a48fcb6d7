package dev.triagerules.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes: exit codes, output, timeouts and the no-orphan guarantee. */
@Timeout(30)
class ProcessTreeRunnerTest {
    private static final Duration GRACE = Duration.ofMillis(300);

    @TempDir
    Path workdir;

    private final ProcessTreeRunner runner = new ProcessTreeRunner(GRACE, 1024, 1024);

    @Test
    void passingCommandExitsZeroWithItsOutput() throws Exception {
        RunResult result = runner.run(sh("echo hello; echo oops >&2"), workdir, Map.of(), Duration.ofSeconds(5));
        assertEquals(0, result.exitCode());
        assertFalse(result.timedOut());
        assertEquals("hello\noops\n", result.output().text());
        assertEquals(0, result.output().truncatedBytes());
    }

    @Test
    void failingCommandKeepsItsExitCode() throws Exception {
        RunResult result = runner.run(sh("echo boom; exit 3"), workdir, Map.of(), Duration.ofSeconds(5));
        assertEquals(3, result.exitCode());
        assertFalse(result.timedOut());
        assertTrue(result.failed());
    }

    @Test
    void runsInTheWorkdirWithTheGivenEnvironment() throws Exception {
        RunResult result = runner.run(sh("pwd; echo \"$TRIAGE_SEED\""), workdir,
                Map.of("TRIAGE_SEED", "18446744073709551615"), Duration.ofSeconds(5));
        assertEquals(workdir.toRealPath() + "\n18446744073709551615\n", result.output().text());
    }

    @Test
    void hungTreeWithTermIgnoringGrandchildIsEndedCompletely() throws Exception {
        // root sh -> child sh -> grandchild sleep; every one of them ignores TERM.
        String command = "trap '' TERM; "
                + "sh -c 'sleep 60 & echo $! > grandchild.pid; wait' & "
                + "echo $! > child.pid; "
                + "sleep 60";
        long start = System.nanoTime();
        RunResult result = runner.run(sh(command), workdir, Map.of(), Duration.ofMillis(700));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertTrue(result.timedOut());
        assertTrue(result.failed(), "killed by a signal: " + result.exitCode());
        assertTrue(elapsedMs < 5000, "ended promptly, took " + elapsedMs + " ms");
        assertGone(pidIn("child.pid"));
        assertGone(pidIn("grandchild.pid"));
    }

    @Test
    void orphanReparentedToInitIsEndedToo() throws Exception {
        // The middle shell exits at once: its sleeping child leaves the descendant tree.
        String command = "trap '' TERM; "
                + "sh -c 'trap \"\" TERM; sleep 60 & echo $! > orphan.pid'; "
                + "sleep 60";
        RunResult result = runner.run(sh(command), workdir, Map.of(), Duration.ofMillis(700));

        assertTrue(result.timedOut());
        long orphan = pidIn("orphan.pid");
        assertGone(orphan);
    }

    @Test
    void backgroundChildLeftByAFinishedCommandIsEnded() throws Exception {
        RunResult result = runner.run(sh("sleep 60 & echo $! > bg.pid; exit 0"), workdir, Map.of(),
                Duration.ofSeconds(10));
        assertFalse(result.timedOut());
        assertEquals(0, result.exitCode());
        assertTrue(result.durationMs() < 5000, "did not wait for the background child");
        assertGone(pidIn("bg.pid"));
    }

    @Test
    void hugeOutputIsDrainedAndBoundedToHeadAndTail() throws Exception {
        // 1 MB: far more than a pipe buffer, so an undrained child would block until the timeout.
        RunResult result = runner.run(sh("printf 'FIRST'; head -c 1000000 /dev/zero | tr '\\0' x; printf 'LAST'"),
                workdir, Map.of(), Duration.ofSeconds(20));
        assertFalse(result.timedOut());
        assertEquals(0, result.exitCode());
        assertEquals(1_000_009, result.output().totalBytes());
        assertEquals(1_000_009 - 2048, result.output().truncatedBytes());
        String text = result.output().text();
        assertTrue(text.startsWith("FIRSTxxx"));
        assertTrue(text.endsWith("xxxLAST"));
        assertTrue(text.contains("[triage-rules: " + (1_000_009 - 2048) + " bytes of output cut here"), text
                .substring(0, 1200));
        assertTrue(text.length() < 4096);
    }

    @Test
    void endAllEndsRunningTreesFromAnotherThread() throws Exception {
        Thread stopper = new Thread(() -> {
            try {
                while (!Files.exists(workdir.resolve("started.pid"))) {
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                return;
            }
            runner.endAll();
        });
        stopper.start();
        RunResult result = runner.run(sh("trap '' TERM; sleep 60 & echo $! > started.pid; wait"), workdir, Map.of(),
                Duration.ofSeconds(20));
        stopper.join();
        assertFalse(result.timedOut(), "ended by endAll, not by the timeout");
        assertTrue(result.failed());
        assertGone(pidIn("started.pid"));
    }

    @Test
    void theParentDeathWatchEndsWhenTheRunnerIsClosed() throws Exception {
        ProcessTreeRunner closing = new ProcessTreeRunner(GRACE, 1024, 1024);
        assertEquals(0, closing.run(sh("true"), workdir, Map.of(), Duration.ofSeconds(5)).exitCode());
        long helper = closing.watchPid();
        assertTrue(helper > 0, "the first tree started the watch");
        closing.close();
        assertGone(helper);
    }

    /** The tests' commands are shell snippets on purpose: the runner must end whatever a shell starts. */
    static List<String> sh(String script) {
        return List.of("sh", "-c", script);
    }

    private long pidIn(String file) throws Exception {
        Path path = workdir.resolve(file);
        for (int i = 0; i < 100 && (!Files.exists(path) || Files.readString(path).isBlank()); i++) {
            Thread.sleep(20);
        }
        return Long.parseLong(Files.readString(path).strip());
    }

    /**
     * Not alive: gone, or a zombie. A killed orphan is reparented to PID 1 and stays a zombie
     * until PID 1 collects it (slowly, in some containers); it has exited and no longer runs,
     * but ProcessHandle.isAlive still says true, so the state is read from /proc.
     */
    static void assertGone(long pid) throws InterruptedException {
        for (int i = 0; i < 50 && isAlive(pid); i++) {
            Thread.sleep(20);
        }
        assertFalse(isAlive(pid), () -> "process " + pid + " survived: " + stat(pid));
    }

    private static String stat(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (java.io.IOException e) {
            return "no /proc entry";
        }
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessTree::running).orElse(false);
    }
}
