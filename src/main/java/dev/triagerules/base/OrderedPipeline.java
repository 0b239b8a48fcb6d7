package dev.triagerules.base;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Work done on other threads, handed back in order: the caller submits tasks as it
 * produces them (blocks of a log, batches of failures), they run on a pool, and their
 * results reach the sink strictly in submission order, on the caller's thread. So the
 * sink sees exactly what a sequential run would show.
 *
 * <p>At most {@code maxPending} tasks are in flight: submitting one more first waits for
 * the oldest, which bounds memory whatever the input size. Results whose turn has come
 * are handed over as soon as they are done. Without a pool, each task runs at once on the
 * caller's thread.
 *
 * @param <T> what a task produces
 */
public final class OrderedPipeline<T> implements AutoCloseable {
    private final ExecutorService pool;
    private final int maxPending;
    private final Consumer<T> sink;
    private final String activity;
    private final Deque<Future<T>> pending = new ArrayDeque<>();

    /**
     * @param pool       where tasks run; null runs each on the caller's thread
     * @param maxPending tasks in flight before a submit waits for the oldest (at least 1)
     * @param activity   what the tasks do, for the message when the caller is interrupted
     *                   ({@code "reading"})
     */
    public OrderedPipeline(ExecutorService pool, int maxPending, Consumer<T> sink, String activity) {
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be at least 1, got " + maxPending);
        }
        this.pool = pool;
        this.maxPending = maxPending;
        this.sink = sink;
        this.activity = activity;
    }

    /** Runs the task (or queues it on the pool); hands over every result whose turn has come. */
    public void submit(Callable<T> task) {
        if (pool == null) {
            sink.accept(call(task));
            return;
        }
        pending.addLast(pool.submit(task));
        while (!pending.isEmpty() && (pending.peekFirst().isDone() || pending.size() > maxPending)) {
            sink.accept(await(pending.removeFirst()));
        }
    }

    /** Waits for every task submitted and hands over their results, in order. */
    public void drain() {
        while (!pending.isEmpty()) {
            sink.accept(await(pending.removeFirst()));
        }
    }

    /** Cancels what is still pending (after a failure); results not handed over are dropped. */
    @Override
    public void close() {
        pending.forEach(future -> future.cancel(true));
        pending.clear();
    }

    private T call(Callable<T> task) {
        try {
            return task.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while " + activity);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error; // e.g. OutOfMemoryError on a worker: the caller's to handle, as if it were its own
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
