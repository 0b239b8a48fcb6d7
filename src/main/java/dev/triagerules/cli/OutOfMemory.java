package dev.triagerules.cli;

import picocli.CommandLine;

/**
 * Running out of heap is not a bug to show as a stack trace but a setting to change: one
 * sentence saying how, and exit status 1. Covers an {@link OutOfMemoryError} on the
 * command's thread (caught around the execution strategy) and one on a worker thread
 * (parser pool, classifier, replays), which comes back as the cause of another exception.
 */
final class OutOfMemory {
    private OutOfMemory() {
    }

    /** The OutOfMemoryError in {@code e}'s cause chain, or null. */
    static OutOfMemoryError in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError oom) {
                return oom;
            }
        }
        return null;
    }

    /** What to print: what ran out, and how to give the JVM more. */
    static String message(OutOfMemoryError e) {
        long maxMiB = Runtime.getRuntime().maxMemory() >> 20;
        String more = suggestedHeap(maxMiB);
        return "triage-rules: out of memory (" + (e.getMessage() == null ? "Java heap" : e.getMessage())
                + ", with a maximum heap of " + maxMiB + " MiB); give the JVM more, e.g. TRIAGE_RULES_JAVA_OPTS=-Xmx"
                + more + " bin/triage-rules ..., or java -Xmx" + more + " -jar triage-rules.jar ...";
    }

    /** Twice the heap there was, at least 1 GiB, in the units -Xmx takes. */
    static String suggestedHeap(long maxMiB) {
        long mib = Math.max(1024, 2 * maxMiB);
        return mib % 1024 == 0 ? (mib / 1024) + "g" : mib + "m";
    }

    /** An execution strategy that turns an OutOfMemoryError into {@link #message} and exit status 1. */
    static CommandLine.IExecutionStrategy guard(CommandLine.IExecutionStrategy strategy) {
        return parseResult -> {
            try {
                return strategy.execute(parseResult);
            } catch (OutOfMemoryError e) {
                parseResult.commandSpec().commandLine().getErr().println(message(e));
                return ExecutionExceptionHandler.EXIT_ERROR;
            }
        };
    }
}
