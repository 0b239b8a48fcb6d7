package dev.triagerules.tickets;

import dev.triagerules.history.ReplayEvidence;
import dev.triagerules.ledger.Ledger;
import dev.triagerules.ledger.LedgerView;
import dev.triagerules.ledger.LifecycleStatus;
import dev.triagerules.report.MarkdownText;
import dev.triagerules.report.ReportedIncident;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What an incident ledger says of incidents, for their tickets: whether each is open, when
 * it was last opened (first sighting, or seen again after it was closed), and for a closed
 * one the evidence that closed it. Which status opens or closes is the lifecycle rules'
 * decision, read here only as the ledger's {@code open} flag: Java needs no status words.
 */
public final class LedgerStatuses {
    private final Map<String, LedgerView.Incident> byId;
    private final Function<String, LedgerView.Timeline> timelines;
    private final Map<String, Optional<LedgerView.Timeline>> read = new HashMap<>();

    LedgerStatuses(Map<String, LedgerView.Incident> byId, Function<String, LedgerView.Timeline> timelines) {
        this.byId = byId;
        this.timelines = id -> read.computeIfAbsent(id, key -> Optional.ofNullable(timelines.apply(key))).orElse(null);
    }

    /**
     * The ledger run that last opened the incident (its first sighting, or the run that saw
     * it again after it was closed); null when unknown or pruned. A run id, not a time: runs
     * under one SOURCE_DATE_EPOCH share their time.
     */
    Long openingRun(String incidentId) {
        LedgerView.Timeline timeline = timelines.apply(incidentId);
        Long opening = null;
        if (timeline != null) {
            for (LedgerView.TimelineEntry run : timeline.runs()) {
                if (run.status() != null && LifecycleStatus.open(run.status())
                        && (run.previousStatus() == null || !LifecycleStatus.open(run.previousStatus()))) {
                    opening = run.runId();
                }
            }
        }
        return opening;
    }

    /** Every incident of {@code ledger}; evidence is read from it when asked, so keep it open while filing. */
    public static LedgerStatuses of(Ledger ledger) {
        Map<String, LedgerView.Incident> byId = new LinkedHashMap<>();
        ledger.incidents(LedgerView.IncidentFilter.ALL).forEach(incident -> byId.put(incident.incidentId(), incident));
        return new LedgerStatuses(byId, ledger::timeline);
    }

    /** The ledger's incident; null when the ledger does not know it. */
    public LedgerView.Incident of(String incidentId) {
        return byId.get(incidentId);
    }

    /** The closed incidents, by id. */
    public List<LedgerView.Incident> closed() {
        return byId.values().stream().filter(incident -> !incident.open())
                .sorted(Comparator.comparing(LedgerView.Incident::incidentId)).toList();
    }

    /** A closed incident as a report incident, for lines that describe an action on its ticket. */
    static ReportedIncident asReported(LedgerView.Incident incident) {
        return new ReportedIncident(-1, incident.incidentId(), incident.crashClass(), incident.severity(),
                incident.ownerHint(), incident.packetId(), incident.suiteId(), incident.scenarioId(), incident.mode(),
                incident.reasonCode(), null, List.of(), null, incident.envFingerprint(),
                BigInteger.valueOf(incident.occurrences()), BigInteger.valueOf(incident.lastSeenUnixMs()), null, null,
                null, null, null, Map.of());
    }

    /** The lifecycle rule's reason for the incident's current status, one plain line; null if unrecorded. */
    String reason(String incidentId) {
        LedgerView.TimelineEntry closing = closingRun(timelines.apply(incidentId));
        return closing == null || closing.reason() == null ? null : MarkdownText.plainLine(closing.reason());
    }

    /**
     * Why the ledger closed the incident, as plain lines for a comment: the run that closed
     * it (time, commit) and the rule's reason, the runs since its last sighting in which its
     * scenario ran and passed, and the replays given to the closing run.
     */
    public List<String> evidence(String incidentId) {
        LedgerView.Timeline timeline = timelines.apply(incidentId);
        List<String> lines = new ArrayList<>();
        LedgerView.TimelineEntry closing = closingRun(timeline);
        LedgerView.Incident incident = timeline == null ? byId.get(incidentId) : timeline.incident();
        if (closing == null) {
            lines.add("The incident ledger has it " + incident.status() + " since "
                    + time(incident.statusChangedUnixMs()) + ".");
            return plain(lines);
        }
        lines.add("The incident ledger marked it " + closing.status() + " in ledger run " + closing.runId() + " ("
                + time(closing.recordedUnixMs()) + (closing.commit() == null ? "" : ", commit " + closing.commit())
                + ")" + (closing.reason() == null ? "." : ": " + closing.reason() + "."));
        List<String> passing = new ArrayList<>();
        // A pruned ledger may have lost the run of the last sighting: every run it kept is after it.
        boolean afterLastSighting = timeline.runs().stream().noneMatch(LedgerView.TimelineEntry::seen);
        for (LedgerView.TimelineEntry run : timeline.runs()) {
            if (run.seen()) {
                passing.clear();
                afterLastSighting = true;
            } else if (afterLastSighting && run.passes() != null && run.failures() != null && run.failures() == 0
                    && run.passes() > 0 && run.runId() <= closing.runId()) {
                passing.add(Long.toString(run.runId()));
            }
        }
        if (!passing.isEmpty()) {
            lines.add("Ledger runs since its last sighting in which its scenario ran and passed: "
                    + String.join(", ", passing) + ".");
        }
        ReplayEvidence.Counts replay = closing.replay();
        if (replay != null) {
            lines.add("Replays given to that run: " + replay.attempts() + " attempts, " + replay.passes()
                    + " passed, " + replay.failures() + " failed, " + replay.hung() + " hung.");
        }
        return plain(lines);
    }

    /** The latest run in which the incident took its current status. */
    private static LedgerView.TimelineEntry closingRun(LedgerView.Timeline timeline) {
        if (timeline == null) {
            return null;
        }
        LedgerView.TimelineEntry closing = null;
        for (LedgerView.TimelineEntry run : timeline.runs()) {
            if (run.status() != null && run.status().equals(timeline.incident().status())) {
                closing = run;
            }
        }
        return closing;
    }

    /** Commit and reasons come from CI variables and rules: no control characters reach a terminal. */
    private static List<String> plain(List<String> lines) {
        return lines.stream().map(MarkdownText::plainLine).toList();
    }

    static String time(long unixMs) {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(unixMs));
    }
}
