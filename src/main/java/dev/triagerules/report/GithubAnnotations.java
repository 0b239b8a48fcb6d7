package dev.triagerules.report;

import dev.triagerules.base.TextLimit;
import dev.triagerules.engine.ClassifiedEntry;
import dev.triagerules.history.Determinism;
import dev.triagerules.input.LogEntry;
import dev.triagerules.policy.Policy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The incidents of a report as GitHub Actions workflow commands: one {@code ::error},
 * {@code ::warning} or {@code ::notice} line per incident (the level from policy by
 * severity, {@code annotations.levels}), with {@code file} and {@code line} when the test
 * gives them.
 *
 * <p>GitHub shows at most 10 annotations of each level per step (and 50 per job): past 10
 * of a level, the 10th line says how many more there are instead of naming one. So the
 * incidents that failed the job come first, then (with a ledger) those this run opened, then
 * the rest, each most severe first: what failed a job is never among those left out. With a
 * ledger the title gives an incident's lifecycle status, and it says which gate an incident
 * failed the job by. Every
 * value is escaped as GitHub's toolkit does, so no text from a log can end the command or
 * start another: {@code %}, CR and LF in the message; also {@code :} and {@code ,} in
 * properties.
 *
 * <p>A writer over the in-memory report rather than the JSON read back: it runs right after
 * triage, where policy (for the levels) and the test locations are at hand.
 */
public final class GithubAnnotations {
    /** Annotations GitHub shows per level in one step. */
    public static final int PER_LEVEL = 10;
    /** Longer reason codes are cut: an annotation is a pointer, the report holds the rest. */
    static final int MAX_REASON_CHARS = 1000;
    private static final List<String> LEVELS = List.of("error", "warning", "notice");

    /** Where a test lives: a relative file and a 1-based line (0 when unknown). */
    public record Location(String file, int line) {
    }

    private GithubAnnotations() {
    }

    /** {@link #render(TriageReport, Policy, List, Function)} for a run no gate failed. */
    public static String render(TriageReport report, Policy policy, Function<FoldedIncident, Location> locations) {
        return render(report, policy, List.of(), locations);
    }

    /**
     * The workflow command lines, each ending in {@code \n}.
     *
     * @param trips     the gates that failed the job, none when none did
     * @param locations the test's place in the sources for an incident, or null when unknown
     */
    public static String render(TriageReport report, Policy policy, List<GateTrip> trips,
            Function<FoldedIncident, Location> locations) {
        Map<String, List<String>> gatesOf = new HashMap<>(); // by incident id
        for (GateTrip trip : trips) {
            trip.tripped().forEach(incident -> gatesOf.computeIfAbsent(incident.incidentId(), id -> new ArrayList<>())
                    .add(trip.gate()));
        }
        // A stable sort: within each group, report order (most severe first).
        List<FoldedIncident> ordered = report.incidents().stream()
                .sorted(Comparator.comparingInt(incident -> gatesOf.containsKey(incident.incidentId()) ? 0
                        : openedInRun(report, incident) ? 1 : 2))
                .toList();
        Map<String, List<FoldedIncident>> byLevel = new LinkedHashMap<>();
        for (String level : LEVELS) {
            byLevel.put(level, new ArrayList<>());
        }
        for (FoldedIncident incident : ordered) {
            String level = policy.annotations().level(incident.first().getSeverity(), policy.severityOrder());
            byLevel.get(level).add(incident);
        }
        StringBuilder out = new StringBuilder();
        for (FoldedIncident incident : ordered) {
            String level = policy.annotations().level(incident.first().getSeverity(), policy.severityOrder());
            List<FoldedIncident> ofLevel = byLevel.get(level);
            int position = ofLevel.indexOf(incident);
            if (ofLevel.size() > PER_LEVEL && position >= PER_LEVEL - 1) {
                if (position == PER_LEVEL - 1) {
                    int more = ofLevel.size() - (PER_LEVEL - 1);
                    out.append("::").append(level).append(" title=").append(property("triage-rules")).append("::")
                            .append(data(more + " more " + level + " incidents are not annotated (GitHub shows "
                                    + PER_LEVEL + " per level in a step): see the step summary or the JSON report"))
                            .append('\n');
                }
                continue;
            }
            LifecycleReport.Lifecycle lifecycle = report.lifecycle() == null ? null
                    : report.lifecycle().byIncident().get(incident.incidentId());
            out.append(line(level, incident, lifecycle == null ? null : lifecycle.status(),
                    gatesOf.getOrDefault(incident.incidentId(), List.of()), locations == null ? null : locations.apply(incident)))
                    .append('\n');
        }
        return out.toString();
    }

    private static boolean openedInRun(TriageReport report, FoldedIncident incident) {
        LifecycleReport.Lifecycle lifecycle = report.lifecycle() == null ? null
                : report.lifecycle().byIncident().get(incident.incidentId());
        return lifecycle != null && lifecycle.openedInRun();
    }

    /** Writes {@link #render} to {@code out}. */
    public static void write(TriageReport report, Policy policy, List<GateTrip> trips,
            Function<FoldedIncident, Location> locations, Appendable out) {
        try {
            out.append(render(report, policy, trips, locations));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param status the incident's lifecycle status, or null without a ledger
     * @param gates  the gates it failed the job by, e.g. {@code --fail-on-new high}
     */
    private static String line(String level, FoldedIncident folded, String status, List<String> gates,
            Location location) {
        ClassifiedEntry incident = folded.first();
        LogEntry entry = incident.entry();
        StringBuilder command = new StringBuilder("::").append(level).append(' ');
        if (location != null) {
            command.append("file=").append(property(location.file())).append(',');
            if (location.line() > 0) {
                command.append("line=").append(location.line()).append(',');
            }
        }
        String failed = gates.isEmpty() ? "" : "failed the job (" + String.join(", ", gates) + "): ";
        command.append("title=").append(property(failed + incident.getCrashClass() + " (" + incident.getSeverity()
                + (status == null ? "" : ", " + status) + "): " + entry.suiteId() + " " + entry.scenarioId()));
        String reason = entry.reasonCode().length() > MAX_REASON_CHARS
                ? TextLimit.cut(entry.reasonCode(), MAX_REASON_CHARS) + "…" : entry.reasonCode();
        StringBuilder message = new StringBuilder(reason.isEmpty() ? "(empty reason code)" : reason);
        message.append("\nowner ").append(incident.getOwnerHint()).append(", ").append(folded.occurrences())
                .append(folded.occurrences() == 1 ? " occurrence" : " occurrences");
        Determinism determinism = folded.determinism();
        if (determinism != null) {
            message.append(", ").append(determinism.verdict());
        }
        message.append(", ").append(folded.incidentId());
        if (!entry.replayCommand().isEmpty()) {
            message.append("\nreplay: ").append(entry.replayCommand());
        }
        return command.append("::").append(data(message.toString())).toString();
    }

    /**
     * Escapes a message as GitHub's toolkit does ({@code escapeData}), after writing other
     * control characters and bidirectional overrides as visible {@code \\uXXXX}: a test name
     * must not reorder or hide what the annotation shows.
     */
    static String data(String text) {
        return visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static String visible(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean hidden = (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || (c >= 0x7f && c < 0xa0)
                    || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f
                    || c == 0x061c;
            if (hidden && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                if (hidden) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    /** Escapes a property value as GitHub's toolkit does ({@code escapeProperty}). */
    static String property(String text) {
        return data(text).replace(":", "%3A").replace(",", "%2C");
    }
}
