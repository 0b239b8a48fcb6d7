package dev.triagerules.cli;

import dev.triagerules.engine.RulePack;
import dev.triagerules.ledger.LedgerLocation;
import dev.triagerules.report.SeverityGate;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The main command's incident ledger options (a picocli mixin): where the run is recorded
 * (or only judged, {@code --no-record}), and the gate on the incidents it opened.
 */
final class LedgerRecordingOptions {
    @CommandLine.Mixin
    LedgerOption ledger = new LedgerOption();

    @CommandLine.Mixin
    LedgerWaitOption waitLimit = new LedgerWaitOption();

    @Option(names = "--fail-on-new", paramLabel = "SEVERITY",
            description = "With a ledger: exit 3 when this run opened an incident (first seen, or seen again"
                    + " after it was resolved) at or above this severity (after writing everything).")
    String failOnNew;

    @Option(names = "--no-record",
            description = "With a ledger: judge this run against it (lifecycle, verdicts, --fail-on-new) and record"
                    + " nothing; the ledger must exist, and a database user that may only read will do. For pull"
                    + " requests, against the mainline's ledger.")
    boolean noRecord;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    /**
     * The ledger of {@code --ledger}, else of the environment variable; null for none. A value
     * that is no location, or {@code --fail-on-new} without a ledger, is bad usage, before
     * anything is read.
     */
    LedgerLocation location(Function<String, String> env) {
        LedgerLocation location = waitLimit.applyTo(ledger.location(env));
        if (location == null && failOnNew != null) {
            throw usage("--fail-on-new needs a ledger: give --ledger LOC or set " + LedgerLocation.ENVIRONMENT_VARIABLE);
        }
        if (location == null && noRecord) {
            throw usage("--no-record needs a ledger to judge the run against: give --ledger LOC or set "
                    + LedgerLocation.ENVIRONMENT_VARIABLE);
        }
        return location;
    }

    /** The gate of {@code --fail-on-new}; null when not asked for. */
    SeverityGate newIncidentGate(RulePack pack) {
        if (failOnNew == null) {
            return null;
        }
        if (!pack.policy().severityOrder().contains(failOnNew)) {
            throw usage("--fail-on-new: unknown severity '" + failOnNew + "'; the policy's severities are "
                    + String.join(", ", pack.policy().severityOrder()));
        }
        return SeverityGate.openedInRun(pack.policy(), failOnNew);
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
