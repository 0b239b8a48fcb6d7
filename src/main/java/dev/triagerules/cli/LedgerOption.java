package dev.triagerules.cli;

import dev.triagerules.base.UserError;
import dev.triagerules.ledger.LedgerLocation;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --ledger LOC}, defined once for every command that records into or reads the incident
 * ledger (a picocli mixin). Without the option, {@value LedgerLocation#ENVIRONMENT_VARIABLE} is
 * read, so a CI secret can hold a PostgreSQL URL with its password.
 */
final class LedgerOption {
    @Option(names = "--ledger", paramLabel = "LOC",
            description = "The incident ledger: a SQLite file or a jdbc:postgresql: URL (default: $"
                    + LedgerLocation.ENVIRONMENT_VARIABLE + "). A password in it is never printed.")
    String ledger;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    /**
     * The ledger of {@code --ledger}, else of the environment variable; null for neither. A
     * value that is no location is bad usage (exit 2), its password masked.
     */
    LedgerLocation location(Function<String, String> env) {
        try {
            return LedgerLocation.fromOptionOrEnvironment(ledger, env);
        } catch (UserError e) {
            // Masked again: a path is shown as given, and one with '?' may be a URL missing its scheme.
            throw new CommandLine.ParameterException(spec.commandLine(), (ledger != null ? "--ledger: "
                    : LedgerLocation.ENVIRONMENT_VARIABLE + ": ") + LedgerLocation.mask(e.getMessage()));
        }
    }

    /** {@link #location} from this process's environment. */
    LedgerLocation location() {
        return location(System::getenv);
    }

    /** {@link #location}, required: bad usage when neither the option nor the variable is given. */
    LedgerLocation required() {
        LedgerLocation location = location();
        if (location == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no ledger: give --ledger LOC or set "
                    + LedgerLocation.ENVIRONMENT_VARIABLE);
        }
        return location;
    }
}
