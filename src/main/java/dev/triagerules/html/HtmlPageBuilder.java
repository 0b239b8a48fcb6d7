package dev.triagerules.html;

import dev.triagerules.engine.FileSetDigest;
import dev.triagerules.html.HtmlPage.AttemptView;
import dev.triagerules.html.HtmlPage.Bar;
import dev.triagerules.html.HtmlPage.Chart;
import dev.triagerules.html.HtmlPage.Column;
import dev.triagerules.html.HtmlPage.Detail;
import dev.triagerules.html.HtmlPage.Fact;
import dev.triagerules.html.HtmlPage.Filter;
import dev.triagerules.html.HtmlPage.IncidentTable;
import dev.triagerules.html.HtmlPage.Legend;
import dev.triagerules.html.HtmlPage.ReplayView;
import dev.triagerules.html.HtmlPage.Row;
import dev.triagerules.html.HtmlPage.Segment;
import dev.triagerules.report.ReportFile;
import dev.triagerules.report.ReportHeader;
import dev.triagerules.report.ReportedIncident;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Turns a report read back from JSON (plus, optionally, ledger trends and a replay summary)
 * into the {@link HtmlPage} the template lays out. Pure: the same inputs give the same page,
 * whatever the clock, locale or time zone.
 */
final class HtmlPageBuilder {
    static final String MISSING = "\u2014";
    /** Bars per chart; the rest are summed into one last bar. */
    static final int MAX_BARS = 25;
    /**
     * Reports with more incidents carry their details as compressed data, not markup: measured
     * at 1.5 to 2.2 KB of markup per incident, 10,000 incidents' details alone would be 15 to 22 MB,
     * far over the page's 5 MB budget (see docs/html-report.md).
     */
    static final int INLINE_DETAILS_MAX = 2_000;

    private static final DateTimeFormatter UTC_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final BigInteger LATEST_MS = BigInteger.valueOf(Long.MAX_VALUE);

    private final ReportFile report;
    private final ReplayRecords replays;
    private final List<String> severities;

    private HtmlPageBuilder(ReportFile report, ReplayRecords replays) {
        this.report = report;
        this.replays = replays;
        this.severities = severityOrder(report);
    }

    static HtmlPage build(ReportFile report, HtmlTrends trends, ReplayRecords replays, String style, String script,
            String csp) {
        HtmlPageBuilder builder = new HtmlPageBuilder(report, replays);
        IncidentTable table = builder.table();
        String input = report.inputLogPath() == null ? "" : " in " + report.inputLogPath();
        String title = "Triage: " + count(report.incidents().size(), "incident") + input;
        return new HtmlPage(title, csp, style, script, builder.run(), builder.charts(), table,
                trends == null ? null : TrendsView.of(trends), builder.replayNote());
    }

    /** The policy's severity order (the report's severity_counts), then any other severity found, by name. */
    private static List<String> severityOrder(ReportFile report) {
        List<String> order = new ArrayList<>();
        Map<String, Long> counts = report.header().severityCounts();
        if (counts != null) {
            order.addAll(counts.keySet());
        }
        TreeSet<String> others = new TreeSet<>();
        for (ReportedIncident incident : report.incidents()) {
            if (incident.severity() != null && !order.contains(incident.severity())) {
                others.add(incident.severity());
            }
        }
        order.addAll(others);
        return order;
    }

    // ----- the run -----

    private List<Fact> run() {
        ReportHeader header = report.header();
        List<Fact> facts = new ArrayList<>();
        List<String> inputs = header.inputs() != null && !header.inputs().isEmpty() ? header.inputs()
                : report.inputLogPath() == null ? List.of() : List.of(report.inputLogPath());
        if (inputs.size() == 1) {
            facts.add(Fact.code("Input", inputs.get(0)));
        } else if (!inputs.isEmpty()) {
            facts.add(new Fact("Inputs", count(inputs.size(), "run"), inputs, true));
        }
        if (header.packetFilter() != null) {
            facts.add(Fact.code("Packet filter", header.packetFilter()));
        }
        facts.add(Fact.of("Entries", number(header.totalEntries())));
        facts.add(Fact.of("Failures", number(header.failedEntries())));
        facts.add(Fact.of("Incidents", String.valueOf(report.incidents().size())));
        if (header.escalatedIncidents() != null) {
            facts.add(Fact.of("Escalated", String.valueOf(header.escalatedIncidents())));
        }
        String kept = header.quarantinePath() == null ? "" : ", kept in " + header.quarantinePath();
        if (header.invalidLines() != null && header.invalidLines() > 0) {
            facts.add(Fact.of("Invalid lines skipped", header.invalidLines() + kept));
        }
        if (header.invalidReports() != null && header.invalidReports() > 0) {
            facts.add(Fact.of("Invalid JUnit XML reports skipped", header.invalidReports() + kept));
        }
        if (header.determinismCounts() != null) {
            facts.add(Fact.of("Verdicts", joinCounts(header.determinismCounts())
                    + (header.gatingExcludedIncidents() == null ? ""
                            : "; " + header.gatingExcludedIncidents() + " out of gating")));
        }
        if (header.resolvedIncidents() != null) {
            facts.add(new Fact("Resolved in this run", String.valueOf(header.resolvedIncidents().size()),
                    header.resolvedIncidents(), true));
        }
        facts.add(digest("Rules", header.rules()));
        facts.add(digest("Policy", header.policy()));
        facts.add(Fact.of("Tool version", orMissing(header.toolVersion())));
        facts.add(Fact.of("Generated (UTC)", time(header.generatedUnixMs())));
        return facts;
    }

    private static Fact digest(String label, FileSetDigest digest) {
        if (digest == null) {
            return Fact.of(label, MISSING);
        }
        List<String> files = digest.files().stream().map(f -> f.sha256() + "  " + f.path()).toList();
        return new Fact(label, orMissing(digest.path()) + " sha256 " + orMissing(digest.sha256()), files, true);
    }

    /**
     * What the summary adds, counting only this report's incidents; the summary's others
     * (of another report, or of incidents no longer failing) are said to be left off.
     */
    private String replayNote() {
        if (replays == null) {
            return null;
        }
        ReplayRecords.InReport in = replays.inReport(report);
        String counted = in.sharesNothing() ? "no incident of this report was replayed"
                : count(in.replayed(), "incident") + " replayed" + (in.skipped() == 0 ? "" : ", " + in.skipped()
                        + " skipped");
        String note = "Replays from " + replays.summary() + ": " + counted
                + (replays.complete() ? "." : "; the replay run was interrupted before it finished.");
        if (!in.hasOthers()) {
            return note;
        }
        List<String> others = new ArrayList<>();
        if (in.replayedElsewhere() > 0) {
            others.add(count(in.replayedElsewhere(), "replayed incident"));
        }
        if (in.skippedElsewhere() > 0) {
            others.add(count(in.skippedElsewhere(), "skipped incident"));
        }
        String be = in.replayedElsewhere() + in.skippedElsewhere() == 1 ? "is" : "are";
        return note + (in.sharesNothing()
                ? " Its " + String.join(" and ", others) + " " + be
                        + " not in this report: it may be the summary of another report."
                : " " + String.join(" and ", others) + " of the summary " + be + " not in this report and " + be
                        + " not shown.");
    }

    // ----- charts -----

    private List<Chart> charts() {
        return List.of(
                chart("by-class", "Incidents by class and severity", "class", ReportedIncident::crashClass),
                chart("by-owner", "Incidents by owner and severity", "owner", ReportedIncident::ownerHint));
    }

    private Chart chart(String id, String title, String filter, Function<ReportedIncident, String> key) {
        Map<String, long[]> perValue = new LinkedHashMap<>();
        for (ReportedIncident incident : report.incidents()) {
            long[] counts = perValue.computeIfAbsent(orMissing(key.apply(incident)),
                    k -> new long[severities.size() + 1]);
            counts[rankSlot(incident.severity())]++;
        }
        List<Map.Entry<String, long[]>> sorted = new ArrayList<>(perValue.entrySet());
        sorted.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -sum(e.getValue()))
                .thenComparing(Map.Entry::getKey));
        String rest = null;
        if (sorted.size() > MAX_BARS) {
            long[] others = new long[severities.size() + 1];
            List<Map.Entry<String, long[]>> tail = sorted.subList(MAX_BARS - 1, sorted.size());
            for (Map.Entry<String, long[]> entry : tail) {
                for (int i = 0; i < others.length; i++) {
                    others[i] += entry.getValue()[i];
                }
            }
            rest = count(tail.size(), "other");
            sorted = new ArrayList<>(sorted.subList(0, MAX_BARS - 1));
            sorted.add(Map.entry("", others));
        }
        long max = sorted.stream().mapToLong(e -> sum(e.getValue())).max().orElse(1);
        int labelWidth = 210;
        int barArea = 360;
        int rowHeight = 24;
        List<Bar> bars = new ArrayList<>();
        int y = 8;
        for (Map.Entry<String, long[]> entry : sorted) {
            long[] counts = entry.getValue();
            long total = sum(counts);
            boolean isRest = entry.getKey().isEmpty() && rest != null;
            String label = isRest ? rest : entry.getKey();
            List<Segment> segments = new ArrayList<>();
            long before = 0;
            for (int slot = 0; slot < counts.length; slot++) {
                if (counts[slot] == 0) {
                    continue;
                }
                // Cumulative rounding, so that segments meet exactly and bars are comparable.
                int x0 = labelWidth + (int) Math.round((double) before * barArea / max);
                before += counts[slot];
                int x1 = labelWidth + (int) Math.round((double) before * barArea / max);
                String severity = slot < severities.size() ? severities.get(slot) : MISSING;
                segments.add(new Segment(x0, Math.max(1, x1 - x0), slot < severities.size() ? slot : -1,
                        label + ": " + count(counts[slot], "incident") + " " + severity));
            }
            int end = labelWidth + (int) Math.round((double) total * barArea / max);
            bars.add(new Bar(isRest ? "" : entry.getKey(), shorten(label, 30), total, y, y + 13, end + 6, segments));
            y += rowHeight;
        }
        List<Legend> legend = new ArrayList<>();
        for (int rank = 0; rank < severities.size(); rank++) {
            legend.add(new Legend(severities.get(rank), rank));
        }
        return new Chart(id, title, filter, labelWidth + barArea + 60, Math.max(y, 30), bars, legend);
    }

    /** Index into per-severity counts; unknown severities share the last slot. */
    private int rankSlot(String severity) {
        int rank = severity == null ? -1 : severities.indexOf(severity);
        return rank < 0 ? severities.size() : rank;
    }

    private static long sum(long[] counts) {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        return total;
    }

    // ----- the incident table -----

    private IncidentTable table() {
        List<ReportedIncident> incidents = report.incidents();
        boolean verdicts = incidents.stream().anyMatch(i -> verdictOf(i) != null);
        boolean lifecycles = incidents.stream().anyMatch(i -> i.lifecycle() != null);
        boolean replayed = replays != null;
        List<Column> columns = new ArrayList<>(List.of(
                new Column("id", "Incident", false),
                new Column("class", "Class", false),
                new Column("severity", "Severity", false),
                new Column("owner", "Owner", false),
                new Column("scenario", "Scenario", false),
                new Column("reason", "Reason", false),
                new Column("occurrences", "Seen", true),
                new Column("last", "Last seen (UTC)", false)));
        if (verdicts) {
            columns.add(new Column("verdict", "Verdict", false));
        }
        if (lifecycles) {
            columns.add(new Column("status", "Status", false));
        }
        if (replayed) {
            columns.add(new Column("replay", "Replay", false));
        }
        List<Row> rows = new ArrayList<>(incidents.size());
        for (ReportedIncident incident : incidents) {
            List<String> cells = new ArrayList<>(columns.size());
            cells.add(orMissing(incident.incidentId()));
            cells.add(orMissing(incident.crashClass()));
            cells.add(orMissing(incident.severity()));
            cells.add(orMissing(incident.ownerHint()));
            cells.add(orMissing(incident.scenarioId()));
            cells.add(orMissing(incident.reasonCode()));
            cells.add(number(incident.occurrences()));
            cells.add(time(incident.lastSeenUnixMs()));
            if (verdicts) {
                cells.add(orMissing(verdictOf(incident)));
            }
            if (lifecycles) {
                cells.add(incident.lifecycle() == null ? MISSING : orMissing(incident.lifecycle().status()));
            }
            ReplayRecords.Replay replay = replayed ? replays.byIncident().get(incident.incidentId()) : null;
            if (replayed) {
                cells.add(replay == null ? MISSING : orMissing(replay.verdict()));
            }
            int rank = incident.severity() == null ? -1 : severities.indexOf(incident.severity());
            rows.add(new Row(incident.label(), cells, rank, detail(incident, replay)));
        }
        List<Filter> filters = new ArrayList<>();
        filters.add(filter("class", "Class", rows, columns, null));
        filters.add(filter("severity", "Severity", rows, columns, severities));
        filters.add(filter("owner", "Owner", rows, columns, null));
        if (verdicts) {
            filters.add(filter("verdict", "Verdict", rows, columns, null));
        }
        if (lifecycles) {
            filters.add(filter("status", "Status", rows, columns, null));
        }
        if (replayed) {
            filters.add(filter("replay", "Replay", rows, columns, null));
        }
        String detailsData = rows.size() > INLINE_DETAILS_MAX
                ? DetailsData.encode(rows.stream().map(Row::detail).toList()) : null;
        return new IncidentTable(columns, rows, filters, severities, detailsData);
    }

    private static String verdictOf(ReportedIncident incident) {
        if (incident.determinism() != null && incident.determinism().verdict() != null) {
            return incident.determinism().verdict();
        }
        return incident.determinismVerdict();
    }

    /** The values found in a column: in {@code order} first when given, the rest by name. */
    private static Filter filter(String key, String label, List<Row> rows, List<Column> columns, List<String> order) {
        int index = columns.indexOf(columns.stream().filter(c -> c.key().equals(key)).findFirst().orElseThrow());
        TreeSet<String> found = new TreeSet<>();
        rows.forEach(row -> found.add(row.cells().get(index)));
        List<String> values = new ArrayList<>();
        if (order != null) {
            order.stream().filter(found::remove).forEach(values::add);
        }
        values.addAll(found);
        return new Filter(key, label, values);
    }

    private Detail detail(ReportedIncident incident, ReplayRecords.Replay replay) {
        List<Fact> facts = new ArrayList<>();
        facts.add(Fact.code("Reason code", orMissing(incident.reasonCode())));
        if (incident.maskedReasonCode() != null) {
            facts.add(Fact.code("Masked reason code", incident.maskedReasonCode()));
        }
        facts.add(Fact.code("Packet", orMissing(incident.packetId())));
        facts.add(Fact.code("Suite", orMissing(incident.suiteId())));
        facts.add(Fact.code("Scenario", orMissing(incident.scenarioId())));
        facts.add(Fact.code("Mode", orMissing(incident.mode())));
        String firstSeen = incident.firstSeen(report.inputLogPath());
        if (firstSeen != null) {
            facts.add(Fact.code("First seen", firstSeen));
        }
        facts.add(Fact.code("Seed", orMissing(incident.seed())));
        facts.add(Fact.code("Env fingerprint", orMissing(incident.envFingerprint())));
        if (incident.rule() != null) {
            facts.add(Fact.code("Rule", incident.rule()));
        }
        if (incident.fixtureId() != null) {
            facts.add(Fact.code("Fixture", incident.fixtureId()));
        }
        List<String> artifacts = incident.artifactRefs() == null ? List.of() : incident.artifactRefs();
        facts.add(new Fact("Artifacts", artifacts.isEmpty() ? "none" : "", artifacts, true));
        ReportedIncident.Escalation escalation = incident.escalation();
        if (escalation != null) {
            List<String> says = new ArrayList<>();
            says.add(escalation.escalateImmediately() ? "escalate immediately" : "no immediate escalation");
            if (escalation.linkedBeadId() != null) {
                says.add("bead " + escalation.linkedBeadId());
            }
            if (escalation.replayTranscriptRequired()) {
                says.add("replay transcript required");
            }
            // The attached paths repeat the artifacts; name only what they add (the input log).
            List<String> attached = escalation.artifactPaths() == null ? List.of()
                    : escalation.artifactPaths().stream().filter(p -> !artifacts.contains(p)).toList();
            if (!attached.isEmpty()) {
                says.add("also attaches:");
            }
            facts.add(new Fact("Escalation", String.join("; ", says), attached, false));
        }
        if (!incident.problems().isEmpty()) {
            List<String> problems = incident.problems().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue().message()).toList();
            facts.add(new Fact("Not as expected", "keys of this incident that were left out:", problems, true));
        }
        return new Detail(facts, verdictFacts(incident), lifecycleFacts(incident.lifecycle()), replayView(replay),
                incident.replayCommand());
    }

    private static List<Fact> verdictFacts(ReportedIncident incident) {
        ReportedIncident.Determinism d = incident.determinism();
        if (d == null) {
            return incident.determinismVerdict() == null ? List.of()
                    : List.of(Fact.of("Verdict", incident.determinismVerdict()));
        }
        List<Fact> facts = new ArrayList<>();
        facts.add(Fact.of("Verdict", orMissing(d.verdict()) + (d.rule() == null ? "" : " (rule " + d.rule() + ")")));
        // A ledger run without --history counts no runs of its log (nulls): the ledger's counts stand instead.
        if (d.runs() != null || d.ledger() == null) {
            facts.add(Fact.of("Runs", number(d.runs()) + ": " + number(d.passingRuns()) + " passing, "
                    + number(d.failingRuns()) + " failing, " + number(d.mixedRuns()) + " mixed"
                    + (d.infraExcludedRuns() != null && d.infraExcludedRuns() > 0
                            ? "; " + d.infraExcludedRuns() + " left out as infrastructure-suspect" : "")));
            facts.add(Fact.of("Observations", number(d.passes()) + " passes, " + number(d.failures()) + " failures"
                    + (d.flakeRate() == null ? "" : "; flake rate " + d.flakeRate())
                    + (Boolean.TRUE.equals(d.sameSeedMixed()) ? "; the same seed both passed and failed" : "")));
        }
        if (d.ledger() != null) {
            ReportedIncident.LedgerCounts l = d.ledger();
            facts.add(Fact.of("Ledger runs", number(l.runs()) + " on its env fingerprint: " + number(l.passingRuns())
                    + " passing, " + number(l.failingRuns()) + " failing, " + number(l.mixedRuns()) + " mixed"));
        }
        if (d.replay() != null) {
            ReportedIncident.ReplayCounts r = d.replay();
            facts.add(Fact.of("Replays", number(r.attempts()) + " attempts: " + number(r.passes()) + " passed, "
                    + number(r.failures()) + " failed, " + number(r.hung()) + " hung"
                    + (r.verdicts() == null || r.verdicts().isEmpty() ? "" : " (" + String.join(", ", r.verdicts())
                            + ")")));
        }
        if (d.reasonCodes() != null && !d.reasonCodes().isEmpty()) {
            facts.add(new Fact("Reason codes", "", d.reasonCodes(), true));
        }
        if (d.evidence() != null && !d.evidence().isEmpty()) {
            facts.add(new Fact("Evidence", "", d.evidence(), false));
        }
        if (d.labels() != null && !d.labels().isEmpty()) {
            facts.add(Fact.code("Labels", String.join(", ", d.labels())));
        }
        if (Boolean.TRUE.equals(d.gatingExcluded())) {
            facts.add(Fact.of("Gating", "left out of CI gating: " + orMissing(d.gatingExclusionReason())));
        }
        return facts;
    }

    private static List<Fact> lifecycleFacts(ReportedIncident.Lifecycle lifecycle) {
        if (lifecycle == null) {
            return List.of();
        }
        List<Fact> facts = new ArrayList<>();
        facts.add(Fact.of("Status", orMissing(lifecycle.status())));
        facts.add(Fact.of("First seen (UTC)", time(lifecycle.firstSeenUnixMs())));
        facts.add(Fact.of("Last seen (UTC)", time(lifecycle.lastSeenUnixMs())));
        facts.add(Fact.of("Runs seen", number(lifecycle.runsSeen())));
        lifecycle.others().forEach((key, value) -> facts.add(Fact.code(key, value)));
        return facts;
    }

    private static ReplayView replayView(ReplayRecords.Replay replay) {
        if (replay == null) {
            return null;
        }
        List<AttemptView> attempts = new ArrayList<>();
        for (ReplayRecords.Attempt attempt : replay.attempts()) {
            String ended = attempt.timedOut() ? "timed out" : "exit " + number(attempt.exitCode());
            String title = "Attempt " + attempt.number() + ": " + ended
                    + (attempt.durationMs() == null ? "" : " after " + seconds(attempt.durationMs()));
            String note = attempt.problem() != null ? attempt.problem()
                    : attempt.omittedChars() > 0 ? "The first " + attempt.omittedChars()
                            + " characters of output are left out here; the transcript has them." : null;
            attempts.add(new AttemptView(title, attempt.transcript(), attempt.output(), note));
        }
        String summary = orMissing(replay.verdict()) + ": " + number(replay.failedAttempts()) + " of "
                + replay.attempts().size() + " attempts failed";
        return new ReplayView(summary, attempts);
    }

    // ----- formatting -----

    static String time(BigInteger unixMs) {
        if (unixMs == null) {
            return MISSING;
        }
        if (unixMs.compareTo(LATEST_MS) > 0) {
            return unixMs + " ms";
        }
        return UTC_TIME.format(Instant.ofEpochMilli(unixMs.longValueExact()));
    }

    static String time(long unixMs) {
        return time(BigInteger.valueOf(unixMs));
    }

    static String seconds(long ms) {
        return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    static String number(Object value) {
        return value == null ? MISSING : value.toString();
    }

    static String orMissing(String value) {
        return value == null || value.isEmpty() ? MISSING : value;
    }

    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String joinCounts(Map<String, Long> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((key, value) -> parts.add(value + " " + key));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    /** At most {@code max} characters (code points), ending in an ellipsis when cut. */
    static String shorten(String text, int max) {
        Objects.requireNonNull(text);
        if (text.codePointCount(0, text.length()) <= max) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, max - 1)) + "\u2026";
    }
}
