package dev.triagerules.cli;

import dev.triagerules.triage.TriageRequest;
import picocli.CommandLine.Option;

/**
 * {@code --on-invalid stop|skip}, defined once for the commands that read logs as the main
 * command does (a picocli mixin): explain must skip the lines its report skipped, or it
 * stops at the first of them. Where skipped lines are kept is the command's.
 */
final class OnInvalidOption {
    /** What to do with a line that is not a valid entry. */
    enum OnInvalid { stop, skip }

    @Option(names = "--on-invalid", paramLabel = "stop|skip",
            description = "A line that is not a valid entry (JUnit XML: a report that cannot be read) stops the"
                    + " run (default), or is skipped and counted.")
    OnInvalid onInvalid;

    boolean skips() {
        return onInvalid == OnInvalid.skip;
    }

    boolean given() {
        return onInvalid != null;
    }

    /** With skip, the request skips invalid lines, counted and kept nowhere: for a command that writes nothing. */
    TriageRequest.Builder applyWithoutQuarantine(TriageRequest.Builder request) {
        return skips() ? request.skipInvalidLines() : request;
    }
}
