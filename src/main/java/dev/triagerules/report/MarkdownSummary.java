package dev.triagerules.report;

import static dev.triagerules.report.MarkdownText.code;
import static dev.triagerules.report.MarkdownText.inline;
import static dev.triagerules.report.MarkdownText.owner;

import dev.triagerules.engine.ClassifiedEntry;
import dev.triagerules.input.LogEntry;
import dev.triagerules.policy.ClassPolicy;
import dev.triagerules.policy.Policy;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Markdown summary for a CI job page ({@code $GITHUB_STEP_SUMMARY} and the like):
 * totals, a table per class with severity and owner, and every escalated incident with
 * its replay command. Every value from the log or policy goes through {@link MarkdownText};
 * only the owners the policy names may mention anyone ({@link MarkdownText#owner}).
 */
public final class MarkdownSummary {
    private MarkdownSummary() {
    }

    public static String render(TriageReport report, Policy policy) {
        return render(report, policy, true);
    }

    /** @param recorded whether the run was recorded in the ledger, or only judged against it ({@code --no-record}) */
    public static String render(TriageReport report, Policy policy, boolean recorded) {
        return render(report, policy, recorded, List.of());
    }

    /**
     * @param recorded whether the run was recorded in the ledger, or only judged against it ({@code --no-record})
     * @param trips    the gates that failed the job, none when none did
     */
    public static String render(TriageReport report, Policy policy, boolean recorded, List<GateTrip> trips) {
        Set<String> owners = policy.ownerHints();
        StringBuilder md = new StringBuilder();
        md.append("## Crash triage: ").append(report.incidents().size()).append(" incident")
                .append(report.incidents().size() == 1 ? "" : "s").append(" from ").append(report.failedEntries())
                .append(" failure").append(report.failedEntries() == 1 ? "" : "s").append("\n\n");
        md.append(report.totalEntries()).append(" entries in ").append(code(report.inputLogPath()));
        if (report.packetFilter() != null) {
            md.append(", packet ").append(code(report.packetFilter()));
        }
        String skipped = report.skippedText();
        if (!skipped.isEmpty()) {
            md.append(", ").append(skipped).append(" quarantined in ")
                    .append(code(String.valueOf(report.quarantinePath())));
        }
        md.append(".\n\n");
        if (report.lifecycle() != null) {
            md.append("Ledger: ").append(inline(report.lifecycle().statusCountsText()))
                    .append(recorded ? "" : " (judged against the ledger, not recorded)").append(".\n\n");
        }
        trips.forEach(trip -> appendTrip(report, trip, owners, md));
        if (report.incidents().isEmpty()) {
            md.append("No failures.\n");
            appendResolved(report, policy, owners, md); // a run without failures may well have resolved some
            return md.toString();
        }
        Map<String, Long> incidentsPerClass = new HashMap<>();
        report.incidents().forEach(i -> incidentsPerClass.merge(i.first().getCrashClass(), 1L, Long::sum));
        md.append("| class | severity | owner | failures | incidents |\n|---|---|---|---:|---:|\n");
        for (String severity : policy.severityOrder()) {
            report.classCounts().forEach((name, failures) -> {
                ClassPolicy classPolicy = policy.classes().get(name);
                if (classPolicy != null && classPolicy.severity().equals(severity)) {
                    md.append("| ").append(inline(name)).append(" | ").append(inline(severity)).append(" | ")
                            .append(owner(classPolicy.ownerHint(), owners)).append(" | ").append(failures).append(" | ")
                            .append(incidentsPerClass.getOrDefault(name, 0L)).append(" |\n");
                }
            });
        }
        appendOpened(report, owners, md);
        appendResolved(report, policy, owners, md);
        List<FoldedIncident> escalated = report.incidents().stream()
                .filter(i -> i.first().getEscalation() != null && i.first().getEscalation().escalateImmediately())
                .toList();
        if (!escalated.isEmpty()) {
            md.append("\n### Escalated incidents (").append(escalated.size()).append(")\n");
            for (FoldedIncident folded : escalated) {
                ClassifiedEntry incident = folded.first();
                LogEntry entry = incident.entry();
                md.append("\n- ").append(code(folded.incidentId())).append(" **")
                        .append(inline(incident.getCrashClass())).append("** (").append(inline(incident.getSeverity()))
                        .append(", ").append(owner(incident.getOwnerHint(), owners)).append("): ")
                        .append(code(entry.reasonCode()))
                        .append(" in ").append(code(entry.packetId() + " " + entry.suiteId() + " "
                                + entry.scenarioId() + " " + entry.mode()))
                        .append(", ").append(folded.occurrences()).append("×");
                if (incident.getEscalation().linkedBeadId() != null) {
                    md.append(", bead ").append(code(incident.getEscalation().linkedBeadId()));
                }
                md.append("\n\n").append(fence(entry.replayCommand(), "sh", "  "));
            }
        }
        return md.toString();
    }

    /**
     * With a ledger, the incidents this run opened (first seen, or seen again after they were
     * resolved: what {@code --fail-on-new} gates on), most severe first: on a pull request
     * judged against the mainline's ledger, what the change brings. At most
     * {@link #MAX_OPENED_LISTED}: a first run on an empty ledger opens every incident.
     */
    private static void appendOpened(TriageReport report, Set<String> owners, StringBuilder md) {
        if (report.lifecycle() == null) {
            return;
        }
        List<FoldedIncident> opened = report.incidents().stream().filter(folded -> {
            LifecycleReport.Lifecycle lifecycle = report.lifecycle().byIncident().get(folded.incidentId());
            return lifecycle != null && lifecycle.openedInRun();
        }).toList();
        if (opened.isEmpty()) {
            return;
        }
        md.append("\n### Opened in this run (").append(opened.size()).append(")\n\n");
        for (FoldedIncident folded : opened.subList(0, Math.min(opened.size(), MAX_OPENED_LISTED))) {
            ClassifiedEntry incident = folded.first();
            LogEntry entry = incident.entry();
            md.append("- ").append(code(folded.incidentId())).append(" ")
                    .append(inline(report.lifecycle().byIncident().get(folded.incidentId()).status())).append(": ");
            appendIncident(md, owners, incident.getCrashClass(), incident.getSeverity(), incident.getOwnerHint(),
                    entry.reasonCode(), entry.packetId(), entry.suiteId(), entry.scenarioId(), entry.mode());
            md.append("\n");
        }
        appendMore(md, opened.size(), "has every one");
    }

    /**
     * A gate that failed the job, and the incidents that tripped it, before the rest of the
     * summary: a reader looking for why the job failed finds it first. Those it left out of
     * gating as flaky are named too, so that a flaky incident that was not counted is no surprise.
     */
    private static void appendTrip(TriageReport report, GateTrip trip, Set<String> owners, StringBuilder md) {
        md.append("### Failed the job: ").append(code(trip.gate())).append(" (").append(trip.tripped().size())
                .append(")\n\n");
        for (FoldedIncident folded : trip.tripped().subList(0, Math.min(trip.tripped().size(), MAX_OPENED_LISTED))) {
            ClassifiedEntry incident = folded.first();
            LogEntry entry = incident.entry();
            md.append("- ").append(code(folded.incidentId())).append(" ");
            LifecycleReport.Lifecycle lifecycle = report.lifecycle() == null ? null
                    : report.lifecycle().byIncident().get(folded.incidentId());
            if (lifecycle != null) {
                md.append(inline(lifecycle.status())).append(": ");
            }
            appendIncident(md, owners, incident.getCrashClass(), incident.getSeverity(), incident.getOwnerHint(),
                    entry.reasonCode(), entry.packetId(), entry.suiteId(), entry.scenarioId(), entry.mode());
            md.append("\n");
        }
        appendMore(md, trip.tripped().size(), "has every one");
        List<FoldedIncident> flaky = trip.leftOutAsFlaky();
        if (!flaky.isEmpty()) {
            md.append("\nLeft out of gating as flaky (").append(flaky.size()).append("): ");
            for (int i = 0; i < Math.min(flaky.size(), MAX_OPENED_LISTED); i++) {
                md.append(i == 0 ? "" : ", ").append(code(flaky.get(i).incidentId()));
            }
            md.append(flaky.size() > MAX_OPENED_LISTED ? " and " + (flaky.size() - MAX_OPENED_LISTED) + " more" : "")
                    .append(".\n");
        }
        md.append("\n");
    }

    /** {@code **class** (severity, owner), `reason_code` in `packet suite scenario mode`}, log text escaped. */
    private static void appendIncident(StringBuilder md, Set<String> owners, String crashClass, String severity,
            String ownerHint, String reasonCode, String packetId, String suiteId, String scenarioId, String mode) {
        md.append("**").append(inline(crashClass)).append("** (").append(inline(severity)).append(", ")
                .append(owner(ownerHint, owners)).append("), ").append(code(reasonCode)).append(" in ")
                .append(code(packetId + " " + suiteId + " " + scenarioId + " " + mode));
    }

    /** "... and N more" under a list cut at {@link #MAX_OPENED_LISTED} items. */
    private static void appendMore(StringBuilder md, int listed, String jsonHas) {
        if (listed > MAX_OPENED_LISTED) {
            md.append("- ... and ").append(listed - MAX_OPENED_LISTED).append(" more (the JSON report ")
                    .append(jsonHas).append(")\n");
        }
    }

    /**
     * With a ledger, the incidents this run resolved (their scenario passed in enough recorded
     * runs, or their replays stopped reproducing): what a team wants to see fixed. They were
     * not seen in this run, so the ledger's description of them is shown. Most severe first
     * (then by id), at most {@link #MAX_OPENED_LISTED}.
     */
    private static void appendResolved(TriageReport report, Policy policy, Set<String> owners, StringBuilder md) {
        if (report.lifecycle() == null || report.lifecycle().resolved().isEmpty()) {
            return;
        }
        List<String> severities = policy.severityOrder();
        // A severity the policy no longer has goes last.
        List<LifecycleReport.Resolved> resolved = report.lifecycle().resolved().stream()
                .sorted(Comparator.comparingInt((LifecycleReport.Resolved r) -> severities.contains(r.severity())
                        ? severities.indexOf(r.severity()) : severities.size())
                        .thenComparing(LifecycleReport.Resolved::incidentId))
                .toList();
        md.append("\n### Resolved in this run (").append(resolved.size()).append(")\n\n");
        for (LifecycleReport.Resolved incident : resolved.subList(0, Math.min(resolved.size(), MAX_OPENED_LISTED))) {
            md.append("- ").append(code(incident.incidentId())).append(" ");
            appendIncident(md, owners, incident.crashClass(), incident.severity(), incident.ownerHint(),
                    incident.reasonCode(), incident.packetId(), incident.suiteId(), incident.scenarioId(),
                    incident.mode());
            md.append(": ").append(inline(incident.reason())).append("\n");
        }
        appendMore(md, resolved.size(), "lists every one's id");
    }

    /** Opened (and resolved) incidents listed before "... and N more". */
    static final int MAX_OPENED_LISTED = 20;

    /** What GitHub keeps of one step's summary ({@code $GITHUB_STEP_SUMMARY}): 1 MiB. */
    public static final long GITHUB_STEP_SUMMARY_BYTES = 1L << 20;

    /**
     * The Markdown cut to at most {@code budgetBytes} of UTF-8 when it is longer: at the
     * last blank line outside a code fence that leaves room for a closing note saying how
     * much was left out. The whole text when it fits; only the note (or nothing) when not
     * even a paragraph does.
     */
    public static String capped(String markdown, long budgetBytes) {
        byte[] bytes = markdown.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= budgetBytes) {
            return markdown;
        }
        String note = "\n> Summary truncated: " + bytes.length + " bytes do not fit the " + budgetBytes
                + " left for this step's summary. The JSON report has every incident.\n";
        long room = budgetBytes - note.getBytes(StandardCharsets.UTF_8).length;
        if (room < 0) {
            return "";
        }
        int cut = 0;
        long used = 0;
        int fence = 0; // the open fence's backticks; 0 outside a code block
        int lineStart = 0;
        for (String line : markdown.split("\n", -1)) {
            long lineBytes = line.getBytes(StandardCharsets.UTF_8).length + 1;
            if (used + lineBytes > room) {
                break;
            }
            used += lineBytes;
            lineStart += line.length() + 1;
            // As CommonMark reads fences: a line of log text that starts with ``` inside a
            // longer fence neither closes it nor opens another.
            String stripped = line.strip();
            int ticks = leadingBackticks(stripped);
            if (fence == 0 && ticks >= 3) {
                fence = ticks;
            } else if (fence > 0 && ticks >= fence && ticks == stripped.length()) {
                fence = 0;
            }
            if (fence == 0 && line.isBlank()) {
                cut = lineStart;
            }
        }
        return markdown.substring(0, Math.min(cut, markdown.length())) + note;
    }

    private static int leadingBackticks(String line) {
        int ticks = 0;
        while (ticks < line.length() && line.charAt(ticks) == '`') {
            ticks++;
        }
        return ticks;
    }

    /** A fenced block, each line indented (to sit inside a list item). */
    private static String fence(String text, String language, String indent) {
        StringBuilder block = new StringBuilder();
        for (String line : MarkdownText.fence(text, language)) {
            block.append(indent).append(line).append('\n');
        }
        return block.toString();
    }
}
