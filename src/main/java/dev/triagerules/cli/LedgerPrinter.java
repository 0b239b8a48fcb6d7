package dev.triagerules.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.triagerules.base.TextLimit;
import dev.triagerules.base.VisibleText;
import dev.triagerules.ledger.LedgerView;
import dev.triagerules.ledger.LifecycleStatus;
import dev.triagerules.ledger.RunFacts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Tables for people, JSON for machines; every text from logs shown through {@link VisibleText}. */
final class LedgerPrinter {
    private static final JsonFactory JSON = new JsonFactory();
    /** The widest cell a table pads its column to: longer than any id, class or owner of the bundled packs. */
    private static final int WIDEST_PADDED = 64;

    private LedgerPrinter() {
    }

    static String time(long unixMs) {
        return Instant.ofEpochMilli(unixMs).toString();
    }

    static void incidentsTable(List<LedgerView.Incident> incidents, PrintWriter out) {
        if (incidents.isEmpty()) {
            out.println("no incidents");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("incident", "status", "class", "severity", "owner", "runs", "first seen", "last seen"));
        // Times are runs' times, shared by many incidents: each formatted once.
        Map<Long, String> times = new HashMap<>();
        for (LedgerView.Incident i : incidents) {
            rows.add(List.of(VisibleText.of(i.incidentId()), VisibleText.of(i.status()),
                    VisibleText.of(i.crashClass()), VisibleText.of(i.severity()), VisibleText.of(i.ownerHint()),
                    Integer.toString(i.runsSeen()), times.computeIfAbsent(i.firstSeenUnixMs(), LedgerPrinter::time),
                    times.computeIfAbsent(i.lastSeenUnixMs(), LedgerPrinter::time)));
        }
        table(rows, out);
    }

    static void incidentsJson(List<LedgerView.Incident> incidents, PrintWriter out) {
        jsonArray(out, incidents, LedgerPrinter::writeIncident);
    }

    private static void writeIncident(LedgerView.Incident i, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("incident_id", i.incidentId());
        g.writeStringField("status", i.status());
        g.writeStringField("previous_status", i.previousStatus());
        g.writeStringField("class", i.crashClass());
        g.writeStringField("severity", i.severity());
        g.writeStringField("owner_hint", i.ownerHint());
        g.writeStringField("packet_id", i.packetId());
        g.writeStringField("suite_id", i.suiteId());
        g.writeStringField("scenario_id", i.scenarioId());
        g.writeStringField("mode", i.mode());
        g.writeStringField("env_fingerprint", i.envFingerprint());
        g.writeStringField("reason_code", i.reasonCode());
        g.writeNumberField("first_seen_unix_ms", i.firstSeenUnixMs());
        g.writeNumberField("last_seen_unix_ms", i.lastSeenUnixMs());
        g.writeNumberField("status_changed_unix_ms", i.statusChangedUnixMs());
        g.writeNumberField("runs_seen", i.runsSeen());
        g.writeNumberField("occurrences", i.occurrences());
        g.writeNumberField("regressions", i.regressions());
        g.writeStringField("last_verdict", i.lastVerdict());
        g.writeEndObject();
    }

    static void timelineText(LedgerView.Timeline timeline, PrintWriter out) {
        LedgerView.Incident i = timeline.incident();
        out.printf("%s  %s since %s%s%n", VisibleText.of(i.incidentId()), VisibleText.of(i.status()),
                time(i.statusChangedUnixMs()),
                i.previousStatus() == null ? "" : " (was " + VisibleText.of(i.previousStatus()) + ")");
        out.printf("  class %s, severity %s, owner %s%n", VisibleText.of(i.crashClass()),
                VisibleText.of(i.severity()), VisibleText.of(i.ownerHint()));
        out.printf("  scenario %s %s %s %s, reason %s, env %s%n", VisibleText.of(i.packetId()),
                VisibleText.of(i.suiteId()), VisibleText.of(i.scenarioId()), VisibleText.of(i.mode()),
                VisibleText.of(i.reasonCode()), VisibleText.of(i.envFingerprint()));
        out.printf("  seen in %d run%s, %d failure%s; first %s, last %s%n", i.runsSeen(),
                i.runsSeen() == 1 ? "" : "s", i.occurrences(), i.occurrences() == 1 ? "" : "s",
                time(i.firstSeenUnixMs()), time(i.lastSeenUnixMs()));
        out.printf("  regressed %d time%s, last verdict %s%n", i.regressions(), i.regressions() == 1 ? "" : "s",
                i.lastVerdict() == null ? "-" : VisibleText.of(i.lastVerdict()));
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("run", "recorded", "commit", "seen", "failures", "scenario pass/fail", "replays",
                "status"));
        for (LedgerView.TimelineEntry run : timeline.runs()) {
            rows.add(List.of(Long.toString(run.runId()), time(run.recordedUnixMs()), shortCommit(run.commit()),
                    run.seen() ? "yes" : "no", run.seen() ? Long.toString(run.occurrences()) : "-",
                    run.passes() == null ? "not run" : run.passes() + "/" + run.failures(),
                    run.replay() == null ? "-" : run.replay().passes() + " passed, " + run.replay().failures()
                            + " failed, " + run.replay().hung() + " hung",
                    run.status() == null ? "" : VisibleText.of(run.status()) + ": " + VisibleText.of(run.reason())));
        }
        out.println();
        table(rows, out);
    }

    static void timelineJson(LedgerView.Timeline timeline, PrintWriter out) {
        json(out, g -> {
            g.writeStartObject();
            g.writeFieldName("incident");
            writeIncident(timeline.incident(), g);
            g.writeArrayFieldStart("runs");
            for (LedgerView.TimelineEntry run : timeline.runs()) {
                g.writeStartObject();
                g.writeNumberField("run_id", run.runId());
                g.writeNumberField("recorded_unix_ms", run.recordedUnixMs());
                g.writeStringField("commit", run.commit());
                g.writeBooleanField("seen", run.seen());
                g.writeNumberField("occurrences", run.occurrences());
                writeNullableNumber("scenario_passes", run.passes(), g);
                writeNullableNumber("scenario_failures", run.failures(), g);
                g.writeStringField("status", run.status());
                g.writeStringField("previous_status", run.previousStatus());
                g.writeStringField("rule", run.rule());
                g.writeStringField("reason", run.reason());
                g.writeFieldName("replay");
                if (run.replay() == null) {
                    g.writeNull();
                } else {
                    g.writeStartObject();
                    g.writeNumberField("attempts", run.replay().attempts());
                    g.writeNumberField("passes", run.replay().passes());
                    g.writeNumberField("failures", run.replay().failures());
                    g.writeNumberField("hung", run.replay().hung());
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    static void runsTable(List<LedgerView.Run> runs, PrintWriter out) {
        if (runs.isEmpty()) {
            out.println("no runs");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("run", "recorded", "entries", "failed", "incidents"));
        header.addAll(LifecycleStatus.ALL);
        header.addAll(List.of("commit", "branch", "inputs"));
        rows.add(header);
        for (LedgerView.Run run : runs) {
            List<String> row = new ArrayList<>(List.of(Long.toString(run.runId()), time(run.recordedUnixMs()),
                    Long.toString(run.totalEntries()), Long.toString(run.failedEntries()),
                    Integer.toString(run.incidentsSeen())));
            LifecycleStatus.ALL.forEach(status -> row.add(Integer.toString(shownCount(run, status))));
            row.add(shortCommit(run.ci().commit()));
            row.add(run.ci().branch() == null ? "-" : VisibleText.of(run.ci().branch()));
            row.add(String.join(" ", run.inputs().stream().map(f -> VisibleText.of(f.path())
                    + (Boolean.TRUE.equals(f.infraSuspect()) ? " (infrastructure-suspect)" : "")).toList()));
            rows.add(row);
        }
        table(rows, out);
    }

    /**
     * A run's count of a status as its own summary gave it: the incidents that entered the
     * status in the run, except {@code recurring}, which the summary counts for every incident
     * seen again (entering it only on the second sighting): there, the incidents the run saw
     * that entered neither {@code new} nor {@code regressed}. {@code --json} keeps {@code entered}.
     */
    private static int shownCount(LedgerView.Run run, String status) {
        if (!"recurring".equals(status)) {
            return run.entered().get(status);
        }
        return Math.max(0, run.incidentsSeen() - run.entered().getOrDefault("new", 0)
                - run.entered().getOrDefault("regressed", 0));
    }

    static void runsJson(List<LedgerView.Run> runs, PrintWriter out) {
        jsonArray(out, runs, LedgerPrinter::writeRun);
    }

    private static void writeRun(LedgerView.Run run, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("run_id", run.runId());
        g.writeNumberField("recorded_unix_ms", run.recordedUnixMs());
        g.writeStringField("tool_version", run.toolVersion());
        g.writeStringField("rules_sha256", run.rulesSha256());
        g.writeStringField("policy_sha256", run.policySha256());
        g.writeStringField("packet_filter", run.packetFilter());
        g.writeObjectFieldStart("ci");
        g.writeStringField("commit", run.ci().commit());
        g.writeStringField("branch", run.ci().branch());
        g.writeStringField("job_url", run.ci().jobUrl());
        g.writeEndObject();
        g.writeNumberField("total_entries", run.totalEntries());
        g.writeNumberField("failed_entries", run.failedEntries());
        g.writeNumberField("incidents_seen", run.incidentsSeen());
        g.writeArrayFieldStart("inputs");
        for (RunFacts.InputFile input : run.inputs()) {
            g.writeStartObject();
            g.writeStringField("path", input.path());
            g.writeStringField("sha256", input.sha256());
            g.writeFieldName("infra_suspect"); // null: recorded before the ledger kept it
            if (input.infraSuspect() == null) {
                g.writeNull();
            } else {
                g.writeBoolean(input.infraSuspect());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("entered");
        for (Map.Entry<String, Integer> count : run.entered().entrySet()) {
            g.writeNumberField(count.getKey(), count.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /** One run and the status changes it made: its facts, then a table of the changes. */
    static void runText(LedgerView.RunChanges changes, PrintWriter out) {
        LedgerView.Run run = changes.run();
        StringBuilder text = new StringBuilder();
        text.append(String.format("run %d  recorded %s  commit %s  branch %s%n", run.runId(),
                time(run.recordedUnixMs()), run.ci().commit() == null ? "-" : VisibleText.of(run.ci().commit()),
                run.ci().branch() == null ? "-" : VisibleText.of(run.ci().branch())));
        if (run.ci().jobUrl() != null) {
            text.append(String.format("  job %s%n", VisibleText.of(run.ci().jobUrl())));
        }
        text.append(String.format("  entries %d, failed %d, incidents seen %d%s%n", run.totalEntries(),
                run.failedEntries(), run.incidentsSeen(), run.packetFilter() == null ? ""
                        : ", packet filter " + VisibleText.of(run.packetFilter())));
        for (RunFacts.InputFile input : run.inputs()) {
            text.append(String.format("  input %s  sha256 %s%s%n", VisibleText.of(input.path()),
                    input.sha256() == null ? "- (not a regular file)" : VisibleText.of(input.sha256()),
                    Boolean.TRUE.equals(input.infraSuspect())
                            ? "  infrastructure-suspect: left out of the flake history" : ""));
        }
        text.append(String.format("  rules  sha256 %s%n  policy sha256 %s%n  recorded by triage-rules %s%n",
                VisibleText.of(run.rulesSha256()), VisibleText.of(run.policySha256()),
                VisibleText.of(run.toolVersion())));
        List<String> counts = new ArrayList<>();
        LifecycleStatus.ALL.forEach(status -> counts.add(run.entered().get(status) + " " + status));
        text.append(String.format("status changes: %s%n", String.join(", ", counts)));
        out.print(text);
        if (changes.changes().isEmpty()) {
            out.flush();
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("incident", "status", "was", "class", "severity", "owner", "scenario", "why"));
        for (LedgerView.StatusChange change : changes.changes()) {
            rows.add(List.of(VisibleText.of(change.incidentId()), VisibleText.of(change.status()),
                    change.previousStatus() == null ? "-" : VisibleText.of(change.previousStatus()),
                    VisibleText.of(change.crashClass()), VisibleText.of(change.severity()),
                    VisibleText.of(change.ownerHint()), VisibleText.of(change.packetId()) + " "
                            + VisibleText.of(change.suiteId()) + " " + VisibleText.of(change.scenarioId()) + " "
                            + VisibleText.of(change.mode()), VisibleText.of(change.reason())));
        }
        table(rows, out);
    }

    static void runJson(LedgerView.RunChanges changes, PrintWriter out) {
        json(out, g -> {
            g.writeStartObject();
            g.writeFieldName("run");
            writeRun(changes.run(), g);
            g.writeArrayFieldStart("status_changes");
            for (LedgerView.StatusChange change : changes.changes()) {
                g.writeStartObject();
                g.writeStringField("incident_id", change.incidentId());
                g.writeStringField("status", change.status());
                g.writeStringField("previous_status", change.previousStatus());
                g.writeStringField("class", change.crashClass());
                g.writeStringField("severity", change.severity());
                g.writeStringField("owner_hint", change.ownerHint());
                g.writeStringField("packet_id", change.packetId());
                g.writeStringField("suite_id", change.suiteId());
                g.writeStringField("scenario_id", change.scenarioId());
                g.writeStringField("mode", change.mode());
                g.writeStringField("rule", change.rule());
                g.writeStringField("reason", change.reason());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    static String shortCommit(String commit) {
        if (commit == null) {
            return "-";
        }
        String visible = VisibleText.of(commit);
        return TextLimit.cut(visible, 12);
    }

    private static void writeNullableNumber(String field, Long value, JsonGenerator g) throws IOException {
        g.writeFieldName(field);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeNumber(value);
        }
    }

    /**
     * Columns padded to their widest cell up to {@link #WIDEST_PADDED} characters, two spaces
     * apart, no trailing spaces. A longer cell is shown whole and pushes the rest of its row
     * right: padding every row to it would multiply one long text from the ledger (50 MB
     * in an owner hint printed 2 GB of spaces) and push every row's next columns off screen.
     */
    private static void table(List<List<String>> rows, PrintWriter out) {
        int[] widths = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                int width = row.get(c).codePointCount(0, row.get(c).length());
                if (width <= WIDEST_PADDED) {
                    widths[c] = Math.max(widths[c], width);
                }
            }
        }
        // One print for the table: picocli's writer flushes at every println, a write(2) per
        // row (5,765 rows of `ledger incidents` on the bench's worst-case ledger).
        StringBuilder table = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.size(); c++) {
                String cell = row.get(c);
                line.append(cell);
                if (c < row.size() - 1) {
                    line.append(" ".repeat(Math.max(widths[c] - cell.codePointCount(0, cell.length()), 0) + 2));
                }
            }
            table.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        out.print(table);
        out.flush();
    }

    private interface JsonWriting {
        void write(JsonGenerator g) throws IOException;
    }

    private interface ItemWriting<T> {
        void write(T item, JsonGenerator g) throws IOException;
    }

    /** A JSON array of the items, each written by {@code writing}. */
    private static <T> void jsonArray(PrintWriter out, List<T> items, ItemWriting<T> writing) {
        json(out, g -> {
            g.writeStartArray();
            for (T item : items) {
                writing.write(item, g);
            }
            g.writeEndArray();
        });
    }

    private static void json(PrintWriter out, JsonWriting writing) {
        try {
            JsonGenerator g = JSON.createGenerator(out);
            g.setPrettyPrinter(new DefaultPrettyPrinter());
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            writing.write(g);
            g.flush();
            out.println();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
