package dev.triagerules.report;

import java.util.List;

/**
 * A CI gate that failed the job ({@code --fail-on}, {@code --fail-on-new}): decided once by
 * the command and handed to the writers, so that the annotations, the Markdown summary and
 * stderr name the same incidents.
 *
 * @param option         the option as given on the command line, e.g. {@code --fail-on-new}
 * @param severity       its severity argument
 * @param tripped        the incidents that tripped it, in report order
 * @param leftOutAsFlaky incidents it would have counted but that policy leaves out of gating
 *                       as flaky, in report order
 */
public record GateTrip(String option, String severity, List<FoldedIncident> tripped,
        List<FoldedIncident> leftOutAsFlaky) {
    public GateTrip {
        tripped = List.copyOf(tripped);
        leftOutAsFlaky = List.copyOf(leftOutAsFlaky);
    }

    /** {@code --fail-on-new high}, as the annotations and the summary name the gate. */
    public String gate() {
        return option + " " + severity;
    }
}
