package dev.triagerules.replay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command (its argv, with exactly the environment given) with a timeout and leaves
 * nothing behind: at the timeout, and
 * also when the command exits while background children still run, its whole process
 * tree is ended (TERM, a grace period, then KILL). {@link #endAll()} ends every tree
 * still running, for Ctrl-C; a {@link ParentDeathWatch} ends them if this JVM is killed
 * outright. {@link #close()} when done.
 */
public final class ProcessTreeRunner implements AutoCloseable {
    /** Time between TERM and KILL. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(2);
    /** How long to wait for the output pipe to drain once the tree is gone. */
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(2);

    private final Duration grace;
    private final int headLimit;
    private final int tailLimit;
    private final Set<ProcessTree> running = ConcurrentHashMap.newKeySet();
    private volatile boolean ended;
    private ParentDeathWatch watch;

    public ProcessTreeRunner() {
        this(DEFAULT_GRACE, BoundedOutput.DEFAULT_HEAD, BoundedOutput.DEFAULT_TAIL);
    }

    public ProcessTreeRunner(Duration grace, int headLimit, int tailLimit) {
        this.grace = grace;
        this.headLimit = headLimit;
        this.tailLimit = tailLimit;
    }

    /**
     * Runs {@code argv}; a program that cannot be started gives a result that is
     * {@link RunResult#notRunnable()}, not an exception.
     *
     * @throws IOException when the parent-death watch cannot be started
     */
    public RunResult run(List<String> argv, Path workdir, Map<String, String> env, Duration timeout)
            throws IOException {
        if (ended) {
            throw new IllegalStateException("runner was ended");
        }
        BoundedOutput output = new BoundedOutput(headLimit, tailLimit);
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        ParentDeathWatch deathWatch = watch();
        ProcessTree tree;
        try {
            tree = ProcessTree.start(argv, workdir, env);
        } catch (IOException e) {
            return RunResult.notStarted(started, e, output);
        }
        if (tree.ownSession() && deathWatch != null) {
            deathWatch.watch(tree.pid()); // a setsid leader's session id is its pid
        }
        tree.release(); // only now does the command run: its session is watched
        running.add(tree);
        if (ended) {
            tree.end(grace); // endAll() ran between the check above and the add: it missed this tree
        }
        // A chatty child blocks once the pipe buffer is full, so the pipe is drained on its own thread.
        Thread drain = new Thread(() -> drain(tree.output(), output), "replay-output-" + tree.pid());
        drain.setDaemon(true);
        drain.start();
        boolean timedOut = false;
        long endNanos;
        try {
            timedOut = !tree.process().waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            endNanos = System.nanoTime();
            // Also on a normal exit: background children the command left must not outlive it.
            tree.end(grace);
            running.remove(tree);
            if (tree.ownSession() && deathWatch != null) {
                deathWatch.unwatch(tree.pid());
            }
        }
        if (timedOut) {
            endNanos = System.nanoTime(); // a hung attempt lasted until its tree was gone
        }
        long durationMs = Duration.ofNanos(endNanos - startNanos).toMillis();
        try {
            // A daemon that escaped the session may still hold the pipe; do not wait for it forever.
            drain.join(DRAIN_LIMIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int exitCode = tree.process().isAlive() ? -1 : tree.process().exitValue();
        return new RunResult(exitCode, timedOut, started, durationMs, output);
    }

    /** Ends every tree still running (from any thread) and refuses new runs. */
    public void endAll() {
        ended = true;
        running.parallelStream().forEach(tree -> tree.end(grace));
        close();
    }

    /** Stops the parent-death watch; trees still running (none, normally) are killed by it. */
    @Override
    public synchronized void close() {
        if (watch != null) {
            watch.close();
        }
    }

    /** The watch, started with the first tree; null where no helper can run (no setsid). */
    private synchronized ParentDeathWatch watch() throws IOException {
        if (watch == null && ProcessTree.setsid() != null) {
            watch = ParentDeathWatch.start(ProcessTree.setsid());
        }
        return watch;
    }

    /** The helper's pid, for tests; -1 before the first run. */
    synchronized long watchPid() {
        return watch == null ? -1 : watch.pid();
    }

    private static void drain(InputStream in, BoundedOutput output) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                output.append(buffer, 0, n);
            }
        } catch (IOException e) {
            // The pipe closes when the tree is ended; what was read is kept.
        }
    }
}
