package dev.triagerules.policy;

import dev.triagerules.base.SourceLocation;
import dev.triagerules.input.junit.JunitPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The severity/owner/escalation policy loaded from {@code policy/*.yaml}.
 *
 * @param severityOrder most severe first; incidents sort in this order
 * @param classes       class name to its policy, in name order
 * @param files         the YAML files it was read from, in name order
 * @param classSources  class name to the file:line that defines it (for messages)
 * @param replay        timeouts and attempts for {@code triage-rules replay}
 * @param tickets       how {@code triage-rules tickets} files incidents
 * @param flake         thresholds of the flaky-or-deterministic verdict
 * @param junit         how JUnit XML test cases map onto log entries
 * @param masks         reason-code masks for folding and incident ids; {@link ReasonMasks#NONE} when off
 * @param annotations   CI annotation level per severity
 * @param lifecycle     thresholds of the incident lifecycle in a ledger
 */
public record Policy(List<String> severityOrder, Map<String, ClassPolicy> classes, List<Path> files,
        Map<String, SourceLocation> classSources, ReplayPolicy replay, TicketsPolicy tickets, FlakePolicy flake,
        JunitPolicy junit, ReasonMasks masks, AnnotationsPolicy annotations, LifecyclePolicy lifecycle) {

    public Policy {
        replay = replay == null ? ReplayPolicy.DEFAULT : replay;
        tickets = tickets == null ? TicketsPolicy.DEFAULT : tickets;
        flake = flake == null ? FlakePolicy.DEFAULT : flake;
        junit = junit == null ? JunitPolicy.DEFAULT : junit;
        masks = masks == null ? ReasonMasks.NONE : masks;
        annotations = annotations == null ? AnnotationsPolicy.DEFAULT : annotations;
        lifecycle = lifecycle == null ? LifecyclePolicy.DEFAULT : lifecycle;
    }

    /** A policy without {@code junit}, {@code masks}, {@code annotations} and {@code lifecycle} keys: defaults, masks off. */
    public Policy(List<String> severityOrder, Map<String, ClassPolicy> classes, List<Path> files,
            Map<String, SourceLocation> classSources, ReplayPolicy replay, TicketsPolicy tickets, FlakePolicy flake) {
        this(severityOrder, classes, files, classSources, replay, tickets, flake, JunitPolicy.DEFAULT,
                ReasonMasks.NONE, AnnotationsPolicy.DEFAULT, LifecyclePolicy.DEFAULT);
    }

    /** A policy without a {@code flake} key: verdicts use {@link FlakePolicy#DEFAULT}. */
    public Policy(List<String> severityOrder, Map<String, ClassPolicy> classes, List<Path> files,
            Map<String, SourceLocation> classSources, ReplayPolicy replay, TicketsPolicy tickets) {
        this(severityOrder, classes, files, classSources, replay, tickets, FlakePolicy.DEFAULT);
    }

    /** A policy without a {@code tickets} key: tickets use {@link TicketsPolicy#DEFAULT}. */
    public Policy(List<String> severityOrder, Map<String, ClassPolicy> classes, List<Path> files,
            Map<String, SourceLocation> classSources, ReplayPolicy replay) {
        this(severityOrder, classes, files, classSources, replay, TicketsPolicy.DEFAULT);
    }

    /** A policy without a {@code replay} key: replay uses {@link ReplayPolicy#DEFAULT}. */
    public Policy(List<String> severityOrder, Map<String, ClassPolicy> classes, List<Path> files,
            Map<String, SourceLocation> classSources) {
        this(severityOrder, classes, files, classSources, ReplayPolicy.DEFAULT, TicketsPolicy.DEFAULT);
    }

    /**
     * The owner hints its classes name: owners the user chose, whose mentions ({@code @team})
     * Markdown keeps, where the same text from a log or someone else's report mentions nobody.
     */
    public Set<String> ownerHints() {
        return classes.values().stream().map(ClassPolicy::ownerHint).collect(Collectors.toUnmodifiableSet());
    }

    /** Position of a severity in the order; severities not in it sort after all others. */
    public int severityRank(String severity) {
        int rank = severityOrder.indexOf(severity);
        return rank < 0 ? severityOrder.size() : rank;
    }
}
