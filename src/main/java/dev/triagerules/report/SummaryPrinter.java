package dev.triagerules.report;

import dev.triagerules.policy.ClassPolicy;
import dev.triagerules.policy.Policy;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;

/** The short human summary on stderr: totals, then failures and incidents per class. */
public final class SummaryPrinter {
    private SummaryPrinter() {
    }

    public static void print(TriageReport report, Policy policy, String destination, PrintWriter out) {
        out.printf("triage-rules: %d entries, %d failed, %d incidents -> %s%n", report.totalEntries(),
                report.failedEntries(), report.incidents().size(), destination);
        printLifecycle(report, out);
        if (report.incidents().isEmpty()) {
            out.flush();
            return;
        }
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
        long escalated = report.escalatedIncidents();
        if (escalated > 0) {
            out.printf("  %d incident%s escalated: each needs a reproducible replay transcript before closure%n",
                    escalated, escalated == 1 ? "" : "s");
        }
        printDeterminism(report, out);
        out.flush();
    }

    /** With a ledger: how many of this run's incidents are in each status (and how many it resolved). */
    private static void printLifecycle(TriageReport report, PrintWriter out) {
        if (report.lifecycle() != null) {
            out.printf("  ledger: %s%n", statusCounts(report.lifecycle()));
        }
    }

    /** {@code 2 new, 10 recurring, 1 regressed, 3 resolved}. */
    static String statusCounts(LifecycleReport lifecycle) {
        return String.join(", ", lifecycle.statusCounts().entrySet().stream()
                .map(count -> count.getValue() + " " + count.getKey()).toList());
    }

    /** One line of verdict counts, and the infrastructure-suspect runs, when verdicts were made. */
    private static void printDeterminism(TriageReport report, PrintWriter out) {
        if (report.determinism() == null) {
            return;
        }
        Map<String, Long> counts = report.determinism().counts();
        out.printf("  %d run%s: %d flaky, %d deterministic, %d insufficient evidence; %d out of CI gating%n",
                report.determinism().runs().size(), report.determinism().runs().size() == 1 ? "" : "s",
                counts.get("flaky"), counts.get("deterministic"), counts.get("insufficient_evidence"),
                report.determinism().gatingExcluded());
        report.determinism().infraSuspectRuns().forEach(run -> out.printf(
                "  infrastructure-suspect run (left out of flake statistics): %s, %d of %d entries failed%n",
                run.input(), run.failures(), run.entries()));
    }
}
