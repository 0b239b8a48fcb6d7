package dev.triagerules.tickets;

import dev.triagerules.base.AtomicOutput;
import dev.triagerules.ledger.LedgerView;
import dev.triagerules.report.MarkdownText;
import dev.triagerules.report.ReportFile;
import dev.triagerules.report.ReportedIncident;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One Markdown file per owner ({@code <owner>.md}) listing their incidents in report order
 * (most severe first), each ready to paste into any tracker, plus a {@code README.md}
 * index. The bytes depend only on the report, so regenerating gives no diff.
 */
public final class MarkdownTickets {
    public static final String INDEX = "README.md";

    private MarkdownTickets() {
    }

    /** File name (no folder) to content, owners in name order, the index last. */
    public static Map<String, String> render(ReportFile report) {
        return render(report, null, false);
    }

    /**
     * With an incident ledger: each incident shows its lifecycle, and when
     * {@code closeResolved}, each owner's file lists the incidents this report's run
     * resolved ({@code resolved_incidents}) with the ledger's evidence.
     *
     * @param ledger null: none
     */
    public static Map<String, String> render(ReportFile report, LedgerStatuses ledger, boolean closeResolved) {
        Map<String, List<ReportedIncident>> byOwner = new TreeMap<>();
        for (ReportedIncident incident : report.incidents()) {
            byOwner.computeIfAbsent(incident.ownerHint(), k -> new ArrayList<>()).add(incident);
        }
        Map<String, List<LedgerView.Incident>> resolvedByOwner = new TreeMap<>();
        List<String> resolvedIds = report.header() == null ? null : report.header().resolvedIncidents();
        if (ledger != null && closeResolved && resolvedIds != null) {
            for (String id : resolvedIds) {
                LedgerView.Incident incident = ledger.of(id);
                if (incident != null && !incident.open()) {
                    resolvedByOwner.computeIfAbsent(incident.ownerHint(), k -> new ArrayList<>()).add(incident);
                    byOwner.computeIfAbsent(incident.ownerHint(), k -> new ArrayList<>());
                }
            }
        }
        Map<String, String> files = new LinkedHashMap<>();
        Map<String, String> fileOfOwner = new LinkedHashMap<>();
        for (Map.Entry<String, List<ReportedIncident>> owner : byOwner.entrySet()) {
            String name = fileName(owner.getKey(), files);
            fileOfOwner.put(owner.getKey(), name);
            files.put(name, ownerFile(owner.getKey(), owner.getValue(), report.inputLogPath(), ledger,
                    resolvedByOwner.getOrDefault(owner.getKey(), List.of())));
        }
        files.put(INDEX, index(byOwner, fileOfOwner, report.inputLogPath()));
        return files;
    }

    /** Writes every file atomically; returns the paths written. */
    public static List<Path> write(Path outDir, Map<String, String> files) {
        List<Path> written = new ArrayList<>();
        files.forEach((name, content) -> {
            Path path = outDir.resolve(name);
            AtomicOutput.write(path, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
            written.add(path);
        });
        return written;
    }

    private static String ownerFile(String owner, List<ReportedIncident> incidents, String inputLog,
            LedgerStatuses ledger, List<LedgerView.Incident> resolved) {
        List<String> lines = new ArrayList<>();
        lines.add("# Crash incidents for " + MarkdownText.inline(owner));
        lines.add("");
        lines.add(count(incidents.size()) + from(inputLog) + ", most severe first.");
        int n = 0;
        for (ReportedIncident incident : incidents) {
            lines.add("");
            lines.add("## " + (++n) + ". " + MarkdownText.inline(IncidentText.title(incident)));
            lines.add("");
            lines.addAll(IncidentText.details(incident, ledger));
        }
        if (!resolved.isEmpty()) {
            lines.add("");
            lines.add("## Resolved in this run");
            for (LedgerView.Incident incident : resolved) {
                lines.add("");
                lines.add("- " + MarkdownText.inline(IncidentText.title(LedgerStatuses.asReported(incident))) + " ("
                        + IncidentText.code(incident.incidentId()) + ")");
                ledger.evidence(incident.incidentId()).forEach(line -> lines.add("  " + MarkdownText.inline(line)));
            }
        }
        return String.join("\n", lines) + "\n";
    }

    private static String index(Map<String, List<ReportedIncident>> byOwner, Map<String, String> fileOfOwner,
            String inputLog) {
        List<String> lines = new ArrayList<>();
        lines.add("# Crash incidents by owner");
        lines.add("");
        int total = byOwner.values().stream().mapToInt(List::size).sum();
        lines.add(count(total) + from(inputLog) + ".");
        lines.add("");
        lines.add("| Owner | Incidents | Most severe |");
        lines.add("| --- | ---: | --- |");
        // File names are made of [A-Za-z0-9._-] (see fileName), so they need no escaping as link targets.
        byOwner.forEach((owner, incidents) -> lines.add("| [" + MarkdownText.inline(owner) + "]("
                + fileOfOwner.get(owner) + ") | " + incidents.size() + " | "
                + (incidents.isEmpty() ? "-" : MarkdownText.inline(incidents.get(0).severity())) + " |"));
        return String.join("\n", lines) + "\n";
    }

    private static String count(int n) {
        return n + (n == 1 ? " incident" : " incidents");
    }

    private static String from(String inputLog) {
        return inputLog == null ? "" : " from " + IncidentText.code(inputLog);
    }

    /**
     * The owner hint as a safe file name: anything but letters, digits, '.', '_' and '-'
     * becomes '_'; a clash (or the index's name) gets a numeric suffix.
     */
    static String fileName(String owner, Map<String, String> taken) {
        String base = owner.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^\\.+", "_");
        if (base.isEmpty()) {
            base = "_";
        }
        String name = base + ".md";
        for (int n = 2; taken.containsKey(name) || name.equalsIgnoreCase(INDEX); n++) {
            name = base + "-" + n + ".md";
        }
        return name;
    }
}
