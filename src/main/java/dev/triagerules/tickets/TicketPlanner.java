package dev.triagerules.tickets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triagerules.ledger.LedgerView;
import dev.triagerules.report.MarkdownText;
import dev.triagerules.report.ReportedIncident;
import dev.triagerules.tickets.TicketPlan.Action;
import dev.triagerules.tickets.TicketPlan.Kind;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides, for each incident of a report, what happens to its ticket in a beads store.
 * Pure: it reads the store's lines and returns a plan; {@link TicketSync} writes it.
 *
 * <ul>
 *   <li>No ticket with {@code external_ref} = incident id: create one, while the per-run
 *       cap allows; the rest are held back (listed, and created by a later run).</li>
 *   <li>An open (or in_progress, blocked, ...) ticket: refresh what triage-rules owns
 *       (description, our labels, {@code updated_at}). Status, assignee and title stay as
 *       people set them; priority is only ever raised. A report whose sighting is older than
 *       the ticket's changes nothing, so replaying an old report cannot roll numbers back.</li>
 *   <li>A closed ticket: reopened, labelled {@code regression}, when the incident was seen
 *       after the last sighting the ticket records. The same report run again after closing
 *       leaves it closed: that is not a recurrence.</li>
 *   <li>A tombstoned (deleted) ticket is left alone: someone decided against it.</li>
 * </ul>
 *
 * <p>With an incident ledger ({@link LedgerStatuses}) the lifecycle decides instead of the
 * sightings: a closed ticket is reopened when the ledger opened the incident again (it
 * regressed) after the opening the ticket records, and, when {@code closeResolved}, an open
 * ticket of an incident the ledger has closed (and this report did not see) is closed with
 * a comment of the evidence. Descriptions then record the incident's lifecycle.
 */
public final class TicketPlanner {
    public static final String OUR_LABEL = "triage-rules";
    public static final String REGRESSION_LABEL = "regression";
    /** Labels we own and rewrite; any other label (a person's) is kept. */
    private static final List<String> MANAGED_PREFIXES = List.of("class:", "severity:", "packet:", "mode:", "flake:");
    /** beads' lowest priority (0 is the highest): for severities past it or not in the policy's order. */
    static final int LOWEST_PRIORITY = 4;

    private final String idPrefix;
    private final int maxNew;
    private final List<String> severityOrder;
    private final String now;
    private final LedgerStatuses ledger;
    private final boolean closeResolved;
    private final Set<String> policyOwners;

    /** @param severityOrder the policy's severities, most severe first: the first is priority 0 */
    public TicketPlanner(String idPrefix, int maxNew, List<String> severityOrder, Instant now) {
        this(idPrefix, maxNew, severityOrder, now, null, false);
    }

    /**
     * @param ledger        the incident ledger's statuses; null: none, sightings decide
     * @param closeResolved with a ledger, close the tickets of incidents it closed
     */
    public TicketPlanner(String idPrefix, int maxNew, List<String> severityOrder, Instant now,
            LedgerStatuses ledger, boolean closeResolved) {
        this(idPrefix, maxNew, severityOrder, now, ledger, closeResolved, Set.of());
    }

    /** @param policyOwners the owners the policy names: descriptions keep their mentions ({@link MarkdownText#owner}) */
    public TicketPlanner(String idPrefix, int maxNew, List<String> severityOrder, Instant now,
            LedgerStatuses ledger, boolean closeResolved, Set<String> policyOwners) {
        this.idPrefix = idPrefix;
        this.maxNew = maxNew;
        this.severityOrder = List.copyOf(severityOrder);
        this.now = timestamp(now);
        this.ledger = ledger;
        this.closeResolved = closeResolved;
        this.policyOwners = Set.copyOf(policyOwners);
    }

    /** RFC 3339 UTC to the second, the form beads writes. */
    static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    public TicketPlan plan(List<BeadsStore.Line> lines, List<ReportedIncident> incidents) {
        Map<String, List<Integer>> byRef = new HashMap<>();
        Set<String> takenIds = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            BeadsStore.Line line = lines.get(i);
            if (line.externalRef() != null) {
                byRef.computeIfAbsent(line.externalRef(), k -> new ArrayList<>()).add(i);
            }
            if (line.id() != null) {
                takenIds.add(line.id());
            }
        }
        List<Action> actions = new ArrayList<>();
        Map<Integer, ObjectNode> replaced = new LinkedHashMap<>();
        List<ObjectNode> appended = new ArrayList<>();
        for (ReportedIncident incident : incidents) {
            Integer index = ticketFor(lines, byRef.getOrDefault(incident.incidentId(), List.of()));
            Action action;
            if (index == null) {
                if (appended.size() >= maxNew) {
                    action = new Action(Kind.HELD_BACK, incident, null, null, IncidentText.title(incident));
                } else {
                    String id = BeadId.of(idPrefix, incident.incidentId(), takenIds);
                    takenIds.add(id);
                    ObjectNode record = newTicket(id, incident);
                    appended.add(record);
                    action = new Action(Kind.CREATE, incident, id, record, IncidentText.title(incident));
                }
            } else {
                action = existing(lines.get(index).record(), incident);
                if (action.record() != null) {
                    replaced.put(index, action.record());
                }
            }
            actions.add(action);
        }
        if (ledger != null && closeResolved) {
            Set<String> inReport = new HashSet<>();
            incidents.forEach(incident -> inReport.add(incident.incidentId()));
            for (LedgerView.Incident closed : ledger.closed()) {
                Integer index = inReport.contains(closed.incidentId()) ? null
                        : ticketFor(lines, byRef.getOrDefault(closed.incidentId(), List.of()));
                String status = index == null ? null : lines.get(index).status();
                if (index != null && !"closed".equals(status) && !"tombstone".equals(status)) {
                    Action action = close(lines.get(index).record(), closed);
                    replaced.put(index, action.record());
                    actions.add(action);
                }
            }
        }
        return new TicketPlan(List.copyOf(actions), new BeadsStore.Change(replaced, appended), maxNew,
                ledger != null);
    }

    /** Closes the open ticket of an incident the ledger closed, with the evidence as a comment. */
    private Action close(ObjectNode ticket, LedgerView.Incident incident) {
        String id = BeadsStore.textOrNull(ticket.get("id"));
        ObjectNode closed = ticket.deepCopy();
        String description = BeadsStore.textOrNull(ticket.get("description"));
        if (description != null) {
            closed.put("description", IncidentText.withLifecycle(description, incident,
                    ledger.openingRun(incident.incidentId())));
        }
        String reason = ledger.reason(incident.incidentId());
        closed.put("status", "closed");
        closed.put("closed_at", now);
        closed.put("close_reason", "the incident ledger has it " + MarkdownText.plainLine(incident.status())
                + (reason == null ? "" : ": " + reason));
        closed.put("updated_at", now);
        // beads' comment records: a numeric id (the next in this ticket), issue, author, text, time.
        JsonNode existing = closed.get("comments");
        ArrayNode comments = existing instanceof ArrayNode array ? array : closed.putArray("comments");
        long next = 1;
        for (JsonNode comment : comments) {
            if (comment.path("id").canConvertToLong()) {
                next = Math.max(next, comment.path("id").asLong() + 1);
            }
        }
        ObjectNode comment = comments.addObject();
        comment.put("id", next);
        comment.put("issue_id", id);
        comment.put("author", OUR_LABEL);
        // Markdown, as the description is: the commit and the rule's reason come from CI variables and rules.
        comment.put("text", String.join("\n", ledger.evidence(incident.incidentId()).stream()
                .map(MarkdownText::inline).toList()));
        comment.put("created_at", now);
        return new Action(Kind.CLOSE, LedgerStatuses.asReported(incident), id, closed,
                "the ledger has it " + incident.status());
    }

    /**
     * Which of the records for an incident is its ticket: the first that is not closed or
     * deleted; else the last closed one (the latest attempt); else a deleted one.
     */
    private static Integer ticketFor(List<BeadsStore.Line> lines, List<Integer> candidates) {
        Integer closed = null;
        Integer deleted = null;
        for (int index : candidates) {
            String status = lines.get(index).status();
            if ("closed".equals(status)) {
                closed = index;
            } else if ("tombstone".equals(status)) {
                deleted = deleted == null ? index : deleted;
            } else {
                return index;
            }
        }
        return closed != null ? closed : deleted;
    }

    private Action existing(ObjectNode ticket, ReportedIncident incident) {
        String id = BeadsStore.textOrNull(ticket.get("id"));
        String status = BeadsStore.textOrNull(ticket.get("status"));
        String description = BeadsStore.textOrNull(ticket.get("description"));
        BigInteger recordedLastSeen = IncidentText.lastSeenIn(description);
        boolean newer = recordedLastSeen == null || incident.lastSeenUnixMs().compareTo(recordedLastSeen) > 0;
        LedgerView.Incident lifecycle = ledger == null ? null : ledger.of(incident.incidentId());
        Long recordedOpening = IncidentText.openedIn(description);
        if ("tombstone".equals(status)) {
            return new Action(Kind.UNCHANGED, incident, id, null, "deleted in the tracker; left alone");
        }
        if ("closed".equals(status)) {
            // With a ledger that knows the incident and a ticket that records an opening, the
            // lifecycle decides: reopened only when the ledger opened it again since (regressed).
            boolean lifecycleDecides = lifecycle != null && recordedOpening != null;
            Long opening = lifecycleDecides ? ledger.openingRun(incident.incidentId()) : null;
            boolean reopen = lifecycleDecides ? lifecycle.open() && opening != null && opening > recordedOpening
                    : newer;
            if (!reopen) {
                return new Action(Kind.UNCHANGED, incident, id, null, lifecycleDecides
                        ? "closed; the ledger has not opened it again (" + lifecycle.status() + ")"
                        : "closed; not seen since");
            }
            ObjectNode reopened = refreshed(ticket, incident);
            reopened.put("status", "open");
            reopened.remove("closed_at");
            reopened.remove("close_reason");
            addLabel(reopened, REGRESSION_LABEL);
            if (text(reopened, "assignee").isEmpty()) {
                reopened.put("assignee", MarkdownText.plainLine(incident.ownerHint()));
            }
            reopened.put("updated_at", now);
            return new Action(Kind.REOPEN, incident, id, reopened, lifecycleDecides
                    ? "the ledger opened it again (" + lifecycle.status() + ") " + change(ticket, incident)
                    : "seen again " + change(ticket, incident));
        }
        if (recordedLastSeen != null && incident.lastSeenUnixMs().compareTo(recordedLastSeen) < 0) {
            return new Action(Kind.UNCHANGED, incident, id, null, "the ticket has a later sighting than this report");
        }
        ObjectNode updated = refreshed(ticket, incident);
        if (updated.equals(ticket)) {
            return new Action(Kind.UNCHANGED, incident, id, null, "up to date");
        }
        updated.put("updated_at", now);
        return new Action(Kind.UPDATE, incident, id, updated, change(ticket, incident));
    }

    /** A copy of the ticket with our description, our labels and a raised priority if due. */
    private ObjectNode refreshed(ObjectNode ticket, ReportedIncident incident) {
        ObjectNode copy = ticket.deepCopy();
        copy.put("description", IncidentText.description(incident, ledger, policyOwners));
        JsonNode priority = copy.get("priority");
        int ours = priority(incident.severity());
        if (priority == null || !priority.canConvertToInt() || priority.asInt() > ours) {
            copy.put("priority", ours);
        }
        // Labels keep their places, so an unchanged incident gives an unchanged record:
        // stale labels of ours drop out, missing ones go at the end.
        List<String> wanted = labelsFor(incident);
        ArrayNode labels = JsonNodeFactory.instance.arrayNode();
        JsonNode old = copy.get("labels");
        if (old != null && old.isArray()) {
            old.forEach(label -> {
                boolean managed = label.isTextual() && MANAGED_PREFIXES.stream().anyMatch(label.asText()::startsWith);
                if (!managed || wanted.contains(label.asText())) {
                    labels.add(label);
                }
            });
        }
        copy.set("labels", labels);
        wanted.forEach(label -> addLabel(copy, label));
        return copy;
    }

    private ObjectNode newTicket(String id, ReportedIncident incident) {
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.put("id", id);
        record.put("title", IncidentText.title(incident));
        record.put("description", IncidentText.description(incident, ledger, policyOwners));
        record.put("status", "open");
        record.put("priority", priority(incident.severity()));
        record.put("issue_type", "bug");
        record.put("assignee", MarkdownText.plainLine(incident.ownerHint()));
        record.put("created_at", now);
        record.put("updated_at", now);
        record.put("external_ref", incident.incidentId());
        ArrayNode labels = record.putArray("labels");
        labelsFor(incident).forEach(labels::add);
        return record;
    }

    /** Our labels; values come from the report, so control characters are stripped (beads prints labels). */
    static List<String> labelsFor(ReportedIncident incident) {
        List<String> labels = new ArrayList<>();
        labels.add(OUR_LABEL);
        labels.add("class:" + MarkdownText.plainLine(incident.crashClass()));
        labels.add("severity:" + MarkdownText.plainLine(incident.severity()));
        if (incident.packetId() != null) {
            labels.add("packet:" + MarkdownText.plainLine(incident.packetId()));
        }
        if (incident.mode() != null) {
            labels.add("mode:" + MarkdownText.plainLine(incident.mode()));
        }
        if (incident.determinismVerdict() != null) {
            labels.add("flake:" + MarkdownText.plainLine(incident.determinismVerdict()));
        }
        return labels;
    }

    int priority(String severity) {
        int rank = severityOrder.indexOf(severity);
        return rank < 0 ? LOWEST_PRIORITY : Math.min(rank, LOWEST_PRIORITY);
    }

    private static void addLabel(ObjectNode record, String label) {
        JsonNode labels = record.get("labels");
        ArrayNode array = labels instanceof ArrayNode a ? a : record.putArray("labels");
        for (JsonNode existing : array) {
            if (label.equals(existing.asText())) {
                return;
            }
        }
        array.add(label);
    }

    /** {@code occurrences 3 -> 5, last seen 17... -> 17...} for what differs. */
    private static String change(ObjectNode ticket, ReportedIncident incident) {
        String description = BeadsStore.textOrNull(ticket.get("description"));
        BigInteger lastSeen = IncidentText.lastSeenIn(description);
        String occurrences = occurrencesIn(description);
        List<String> parts = new ArrayList<>();
        if (!String.valueOf(incident.occurrences()).equals(occurrences)) {
            parts.add("occurrences " + (occurrences == null ? "?" : occurrences) + " -> " + incident.occurrences());
        }
        if (!incident.lastSeenUnixMs().equals(lastSeen)) {
            parts.add("last seen " + (lastSeen == null ? "?" : lastSeen) + " -> " + incident.lastSeenUnixMs());
        }
        return parts.isEmpty() ? "(labels or details)" : "(" + String.join(", ", parts) + ")";
    }

    private static String occurrencesIn(String description) {
        if (description == null) {
            return null;
        }
        var m = Pattern.compile("(?m)^- Occurrences: (\\d+)$").matcher(description);
        return m.find() ? m.group(1) : null;
    }

    private static String text(ObjectNode record, String field) {
        String value = BeadsStore.textOrNull(record.get(field));
        return value == null ? "" : value.strip();
    }
}
