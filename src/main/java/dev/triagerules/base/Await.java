package dev.triagerules.base;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for work done on another thread, its failure thrown here as if it had been done here. */
public final class Await {
    private Await() {
    }

    /**
     * The task's result; its unchecked exception (or error) as it was thrown there.
     *
     * @param what what is waited for, for the message when the wait is interrupted
     */
    public static <T> T result(Future<T> task, String what) {
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        }
    }
}
