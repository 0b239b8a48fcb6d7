package dev.triagerules.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.triagerules.base.EntryProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How incidents become CI annotations (policy key {@code annotations}).
 *
 * @param levels severity to annotation level ({@code error}, {@code warning} or {@code notice});
 *               a severity not listed is a {@code warning}, except the most severe of
 *               {@code severity_order}, which is an {@code error}
 */
public record AnnotationsPolicy(@JsonProperty("levels") Map<String, String> levels) {
    public static final Set<String> LEVELS = Set.of("error", "warning", "notice");

    public static final AnnotationsPolicy DEFAULT = new AnnotationsPolicy(null);

    public AnnotationsPolicy {
        levels = levels == null ? Map.of() : Map.copyOf(levels);
    }

    /** The level of an incident of this severity. */
    public String level(String severity, List<String> severityOrder) {
        String level = levels.get(severity);
        if (level != null) {
            return level;
        }
        return !severityOrder.isEmpty() && severityOrder.get(0).equals(severity) ? "error" : "warning";
    }

    /** Problems with the values, as messages naming the key; empty when fine. */
    public List<EntryProblem> problems(List<String> severityOrder) {
        List<EntryProblem> problems = new ArrayList<>();
        levels.forEach((severity, level) -> {
            String path = "annotations/levels/" + severity;
            if (!severityOrder.contains(severity)) {
                problems.add(EntryProblem.atKey(path, "annotations.levels names severity \"" + severity
                        + "\", which is not in severity_order"));
            }
            if (!LEVELS.contains(level)) {
                problems.add(EntryProblem.atValue(path, "annotations.levels." + severity + ": \"" + level
                        + "\" is no annotation level; one of error, warning, notice"));
            }
        });
        return problems;
    }
}
