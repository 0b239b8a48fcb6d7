package dev.triagerules.cli;

import dev.triagerules.ledger.LedgerLocation;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --ledger-wait SECONDS}, defined once for the commands that write into the ledger
 * (a picocli mixin): how long a run waits for another run's transaction on the same ledger.
 */
final class LedgerWaitOption {
    @Option(names = "--ledger-wait", paramLabel = "SECONDS",
            description = "How long to wait for another run writing the same ledger before giving up (default: "
                    + "${DEFAULT-VALUE}).")
    int seconds = (int) LedgerLocation.DEFAULT_WAIT.toSeconds();

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    /** A day: both databases take the limit in milliseconds as a 32-bit number. */
    static final int MAX_SECONDS = 86_400;

    /** The location with this wait limit; null stays null. From one second to a day, or bad usage. */
    LedgerLocation applyTo(LedgerLocation location) {
        if (seconds < 1 || seconds > MAX_SECONDS) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--ledger-wait must be from 1 to "
                    + MAX_SECONDS + " seconds, not " + seconds);
        }
        return location == null ? null : location.withWaitLimit(Duration.ofSeconds(seconds));
    }
}
