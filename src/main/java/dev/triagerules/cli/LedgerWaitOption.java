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

    /** The location with this wait limit; null stays null. At least one second, or bad usage. */
    LedgerLocation applyTo(LedgerLocation location) {
        if (seconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--ledger-wait must be at least 1 second,"
                    + " not " + seconds);
        }
        return location == null ? null : location.withWaitLimit(Duration.ofSeconds(seconds));
    }
}
