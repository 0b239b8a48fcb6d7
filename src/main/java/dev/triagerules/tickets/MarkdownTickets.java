package dev.triagerules.tickets;

import dev.triagerules.base.OutputSet;
import dev.triagerules.ledger.LedgerView;
import dev.triagerules.report.MarkdownText;
import dev.triagerules.report.ReportFile;
import dev.triagerules.report.ReportedIncident;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

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
        return render(report, ledger, closeResolved, Set.of());
    }

    /**
     * As {@link #render(ReportFile, LedgerStatuses, boolean)}, where the owners the policy
     * names ({@code policyOwners}) keep their mentions: {@code @team} notifies the team once
     * pasted into GitHub or GitLab. Any other {@code @name}, an owner's included, notifies
     * nobody ({@link MarkdownText#owner}): the report may be someone else's.
     */
    public static Map<String, String> render(ReportFile report, LedgerStatuses ledger, boolean closeResolved,
            Set<String> policyOwners) {
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
        Set<String> taken = new HashSet<>();
        for (Map.Entry<String, List<ReportedIncident>> owner : byOwner.entrySet()) {
            String name = fileName(owner.getKey(), taken);
            fileOfOwner.put(owner.getKey(), name);
            files.put(name, ownerFile(owner.getKey(), owner.getValue(), report.inputLogPath(), ledger,
                    resolvedByOwner.getOrDefault(owner.getKey(), List.of()), policyOwners));
        }
        files.put(INDEX, index(byOwner, fileOfOwner, report.inputLogPath(), policyOwners));
        return files;
    }

    /**
     * Writes every file atomically, as one set: when one cannot be written, none is replaced
     * (see {@link OutputSet}). Returns the paths written.
     */
    public static List<Path> write(Path outDir, Map<String, String> files) {
        List<Path> written = new ArrayList<>();
        try (OutputSet outputs = new OutputSet()) {
            files.forEach((name, content) -> {
                Path path = outDir.resolve(name);
                outputs.write(path, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
                written.add(path);
            });
            outputs.commit();
        }
        return written;
    }

    private static String ownerFile(String owner, List<ReportedIncident> incidents, String inputLog,
            LedgerStatuses ledger, List<LedgerView.Incident> resolved, Set<String> policyOwners) {
        List<String> lines = new ArrayList<>();
        lines.add("# Crash incidents for " + MarkdownText.owner(owner, policyOwners));
        lines.add("");
        lines.add(count(incidents.size()) + from(inputLog) + ", most severe first.");
        int n = 0;
        for (ReportedIncident incident : incidents) {
            lines.add("");
            lines.add("## " + (++n) + ". " + MarkdownText.inline(IncidentText.title(incident)));
            lines.add("");
            lines.addAll(IncidentText.details(incident, ledger, policyOwners));
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
            String inputLog, Set<String> policyOwners) {
        List<String> lines = new ArrayList<>();
        lines.add("# Crash incidents by owner");
        lines.add("");
        int total = byOwner.values().stream().mapToInt(List::size).sum();
        lines.add(count(total) + from(inputLog) + ".");
        lines.add("");
        lines.add("| Owner | Incidents | Most severe |");
        lines.add("| --- | ---: | --- |");
        // File names are made of [A-Za-z0-9._-] (see fileName), so they need no escaping as link targets.
        byOwner.forEach((owner, incidents) -> lines.add("| [" + MarkdownText.owner(owner, policyOwners) + "]("
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
     * becomes '_', and a leading '.' too. A name longer than {@value #MAX_BASE} characters
     * keeps its first 64 and adds {@code ~} and 16 hex digits of the owner's SHA-256 (a
     * 300-character owner made the whole write fail with "File name too long", after some
     * files were written); a name Windows reserves for a device ({@code CON}, {@code aux.txt},
     * {@code COM1}) gets a leading '_'. A clash with a name already {@code taken} (lowercase
     * names: owners differing only in case must not share a file on a case-insensitive file
     * system) or with the index gets a numeric suffix; the name is then added to {@code taken}.
     */
    static String fileName(String owner, Set<String> taken) {
        String base = owner.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^\\.+", "_");
        if (base.isEmpty()) {
            base = "_";
        }
        if (base.length() > MAX_BASE) {
            base = base.substring(0, 64) + "~" + sha256(owner).substring(0, 16);
        }
        if (WINDOWS_DEVICE.matcher(base).matches()) {
            base = "_" + base;
        }
        String name = base + ".md";
        for (int n = 2; taken.contains(name.toLowerCase(Locale.ROOT)) || name.equalsIgnoreCase(INDEX); n++) {
            name = base + "-" + n + ".md";
        }
        taken.add(name.toLowerCase(Locale.ROOT));
        return name;
    }

    /** The longest owner part of a file name kept as it is. */
    static final int MAX_BASE = 100;
    /** Names Windows takes for devices, with any extension. */
    private static final Pattern WINDOWS_DEVICE = Pattern.compile("(?i)(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\\..*)?");

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
