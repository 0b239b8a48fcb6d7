package dev.triagerules.policy;

import dev.triagerules.SourceLocation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The severity/owner/escalation policy loaded from {@code policy/*.yaml}.
 *
 * @param severityOrder most severe first; incidents sort in this order
 * @param classes       class name to its policy, in name order
 * @param files         the YAML files it was read from, in name order
 * @param classSources  class name to the file:line that defines it (for messages)
 */
public record Policy(List<String> severityOrder, Map<String, ClassPolicy> classes, List<Path> files,
        Map<String, SourceLocation> classSources) {

    /** Position of a severity in the order; severities not in it sort after all others. */
    public int severityRank(String severity) {
        int rank = severityOrder.indexOf(severity);
        return rank < 0 ? severityOrder.size() : rank;
    }
}
