package dev.triagerules.tickets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triagerules.base.VisibleText;
import dev.triagerules.report.MarkdownText;
import dev.triagerules.report.ReportedIncident;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one run does to the store, incident by incident in report order, and the store
 * change that carries it out.
 *
 * @param actions one per report incident
 * @param change  the records to rewrite and append
 * @param maxNew  the cap this plan was made with
 * @param withLedger the plan was made with an incident ledger (which can close tickets)
 */
public record TicketPlan(List<Action> actions, BeadsStore.Change change, int maxNew, boolean withLedger) {

    public TicketPlan(List<Action> actions, BeadsStore.Change change, int maxNew) {
        this(actions, change, maxNew, false);
    }

    public enum Kind {
        CREATE, UPDATE, REOPEN, CLOSE, UNCHANGED, HELD_BACK;

        /** As printed: {@code create}, {@code held-back}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * @param incident the report's incident; for a close, the ledger's (not in the report)
     * @param beadId the ticket's id; null for incidents held back by the cap
     * @param record the ticket as it will be written; null when nothing is written
     * @param detail why / what changed, for people
     */
    public record Action(Kind kind, ReportedIncident incident, String beadId, ObjectNode record, String detail) {

        /**
         * {@code create     tr-269b823b  critical  owner  triage64:...  detail}, one line for a
         * terminal: report values may hold control characters (escape sequences), so none pass.
         */
        public String describe() {
            return VisibleText.noWorkflowCommands(MarkdownText.plainLine(String.format(Locale.ROOT,
                    "%-10s %-12s %-9s %s %s  %s", kind.label(),
                    beadId == null ? "-" : beadId, incident.severity(), incident.incidentId(),
                    incident.ownerHint(), detail)));
        }
    }

    public List<Action> of(Kind kind) {
        return actions.stream().filter(a -> a.kind() == kind).toList();
    }

    /** {@code 3 created, 1 updated, ...} in a fixed order. */
    public String summary() {
        Map<Kind, String> words = new LinkedHashMap<>();
        words.put(Kind.CREATE, "created");
        words.put(Kind.UPDATE, "updated");
        words.put(Kind.REOPEN, "reopened");
        if (withLedger) {
            words.put(Kind.CLOSE, "closed");
        }
        words.put(Kind.UNCHANGED, "unchanged");
        words.put(Kind.HELD_BACK, "held back by the cap of " + maxNew + " new per run");
        StringBuilder out = new StringBuilder();
        words.forEach((kind, word) -> {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(of(kind).size()).append(' ').append(word);
        });
        return out.toString();
    }
}
