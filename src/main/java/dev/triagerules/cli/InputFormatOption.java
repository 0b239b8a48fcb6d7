package dev.triagerules.cli;

import dev.triagerules.base.UserError;
import dev.triagerules.triage.TriageRequest;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --input-format auto|jsonl|junit}, defined once for the commands that read logs as
 * the main command does (a picocli mixin): explain must read a log in the format its report
 * was made from, or the failures would not fold into the same incidents.
 */
final class InputFormatOption {
    @Option(names = "--input-format", paramLabel = "auto|jsonl|junit",
            description = "Read inputs as JSONL logs or JUnit XML; auto (default) tells them apart by content.")
    String format;

    /** The runs of {@code inputs} in this format; an unknown format is bad usage of {@code command}. */
    TriageRequest.Builder request(List<String> inputs, CommandLine command) {
        String name = format == null ? "auto" : format;
        try {
            TriageRequest.requireKnownFormat(name);
        } catch (UserError e) {
            throw new CommandLine.ParameterException(command, e.getMessage()); // an option's value: exit 2
        }
        return TriageRequest.forInputs(inputs, name);
    }

    boolean given() {
        return format != null;
    }
}
