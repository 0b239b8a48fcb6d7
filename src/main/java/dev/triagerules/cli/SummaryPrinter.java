package dev.triagerules.cli;

import dev.triagerules.base.VisibleText;
import dev.triagerules.policy.ClassPolicy;
import dev.triagerules.policy.Escalation;
import dev.triagerules.policy.Policy;
import dev.triagerules.report.FoldedIncident;
import dev.triagerules.report.TriageReport;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the main command prints on stderr: the summary (totals, then failures and
 * incidents per class, escalations, verdicts, skipped lines) and the verdict of
 * {@code --fail-on}. Every line says only what the report and the policy say.
 */
final class SummaryPrinter {
    /** Tripping incidents listed before "... and N more". */
    private static final int MAX_LISTED = 20;

    private SummaryPrinter() {
    }

    static void print(TriageReport report, Policy policy, String destination, PrintWriter out) {
        print(report, policy, destination, true, out);
    }

    /** @param recorded whether the run was recorded in the ledger, or only judged against it ({@code --no-record}) */
    static void print(TriageReport report, Policy policy, String destination, boolean recorded, PrintWriter out) {
        long entries = report.totalEntries();
        int incidents = report.incidents().size();
        out.printf("triage-rules: %d %s, %d failed, %d incident%s -> %s%n", entries, entries == 1 ? "entry" : "entries",
                report.failedEntries(), incidents, plural(incidents), VisibleText.of(destination));
        if (report.lifecycle() != null) {
            out.printf("  ledger: %s%s%n", report.lifecycle().statusCountsText(),
                    recorded ? "" : " (judged against the ledger, not recorded)");
        }
        if (!report.incidents().isEmpty()) {
            printClasses(report, policy, out);
            printEscalations(report, out);
            printDeterminism(report, out);
        }
        String skipped = skippedNotice(report);
        if (!skipped.isEmpty()) {
            out.printf("  %s%n", skipped);
        }
        out.flush();
    }

    /**
     * What {@code --on-invalid skip} skipped, as every command says it: "2 invalid lines
     * skipped", then "-> QUARANTINE" when they were kept; empty when nothing was skipped.
     */
    static String skippedNotice(TriageReport report) {
        String skipped = report.skippedText();
        if (skipped.isEmpty()) {
            return "";
        }
        return skipped + " skipped" + (report.quarantinePath() == null ? "" : " -> " + VisibleText.of(report.quarantinePath()));
    }

    /**
     * Why {@code --fail-on} (or {@code --fail-on-new}) trips: the count, then the first incidents. Their ids and reason
     * codes come from the log, so they are shown escaped: no escape sequence or line break
     * of a log reaches the terminal or fakes a line of ours.
     */
    static void printGateTripped(String option, String severity, String qualifier, List<FoldedIncident> tripping,
            PrintWriter out) {
        out.printf("triage-rules: %s %s: %d incident%s at or above %s%s%n", option, severity, tripping.size(),
                plural(tripping.size()), severity, qualifier);
        tripping.stream().limit(MAX_LISTED).forEach(i -> out.printf("  %s %s %s %s%n",
                VisibleText.of(i.incidentId()), VisibleText.of(i.first().getSeverity()),
                VisibleText.of(i.first().getCrashClass()), VisibleText.of(i.first().entry().reasonCode())));
        if (tripping.size() > MAX_LISTED) {
            out.printf("  ... and %d more%n", tripping.size() - MAX_LISTED);
        }
        out.flush();
    }

    private static void printClasses(TriageReport report, Policy policy, PrintWriter out) {
        Map<String, Long> incidentsPerClass = new HashMap<>();
        report.incidents().forEach(i -> incidentsPerClass.merge(i.first().getCrashClass(), 1L, Long::sum));
        int width = report.classCounts().keySet().stream().mapToInt(String::length).max().orElse(5);
        String row = "  %-" + width + "s  %-9s %9s %10s  %s%n";
        out.printf(row, "class", "severity", "failures", "incidents", "owner");
        policy.severityOrder().forEach(severity -> report.classCounts().forEach((name, failures) -> {
            ClassPolicy classPolicy = policy.classes().get(name);
            if (classPolicy != null && classPolicy.severity().equals(severity)) {
                out.printf(row, name, severity, failures, incidentsPerClass.getOrDefault(name, 0L),
                        classPolicy.ownerHint());
            }
        }));
    }

    /**
     * Escalated incidents, and those whose policy asks for a replay transcript before
     * closure ({@code replay_transcript_required}): one line when they are the same
     * incidents, else a line each, so a policy that asks for no transcript is never
     * claimed to.
     */
    private static void printEscalations(TriageReport report, PrintWriter out) {
        long escalated = 0;
        long transcripts = 0;
        boolean same = true;
        for (FoldedIncident incident : report.incidents()) {
            Escalation escalation = incident.first().getEscalation();
            boolean immediate = escalation != null && escalation.escalateImmediately();
            boolean transcript = escalation != null && escalation.replayTranscriptRequired();
            escalated += immediate ? 1 : 0;
            transcripts += transcript ? 1 : 0;
            same &= immediate == transcript;
        }
        if (escalated > 0 && same) {
            out.printf("  %d incident%s escalated: each needs a reproducible replay transcript before closure%n",
                    escalated, plural(escalated));
            return;
        }
        if (escalated > 0) {
            out.printf("  %d incident%s escalated%n", escalated, plural(escalated));
        }
        if (transcripts > 0) {
            out.printf("  %d incident%s a reproducible replay transcript before closure%n", transcripts,
                    transcripts == 1 ? " needs" : "s need");
        }
    }

    /**
     * One line of verdict counts, and the infrastructure-suspect runs, when verdicts were made.
     * It names what the verdicts weighed: the runs read, and with a ledger its history too
     * ("1 run:" alone read as if one run had been weighed).
     */
    private static void printDeterminism(TriageReport report, PrintWriter out) {
        if (report.determinism() == null) {
            return;
        }
        Map<String, Long> counts = report.determinism().counts();
        out.printf("  %d run%s%s: %d flaky, %d deterministic, %d insufficient evidence; %d out of CI gating%n",
                report.determinism().runs().size(), plural(report.determinism().runs().size()),
                report.lifecycle() == null ? "" : " and the ledger's history",
                counts.get("flaky"), counts.get("deterministic"), counts.get("insufficient_evidence"),
                report.determinism().gatingExcluded());
        report.determinism().infraSuspectRuns().forEach(run -> out.printf(
                "  infrastructure-suspect run (left out of flake statistics): %s, %d of %d entries failed%n",
                run.input(), run.failures(), run.entries()));
    }

    private static String plural(long count) {
        return count == 1 ? "" : "s";
    }
}
