package dev.triagerules.tickets;

import dev.triagerules.report.ReportedIncident;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * Files a report's incidents into a beads store: lock, read, plan, write, unlock. A dry run
 * reads and plans only; it takes no lock and creates no file, not even the lock file.
 */
public final class TicketSync {
    private final String idPrefix;
    private final int maxNew;
    private final List<String> severityOrder;
    private final Clock clock;
    private final LedgerStatuses ledger;
    private final boolean closeResolved;
    private final Set<String> policyOwners;

    /** @param severityOrder the policy's severities, most severe first: ticket priorities follow it */
    public TicketSync(String idPrefix, int maxNew, List<String> severityOrder, Clock clock) {
        this(idPrefix, maxNew, severityOrder, clock, null, false);
    }

    /**
     * With an incident ledger: its lifecycle reopens tickets, and closes them when
     * {@code closeResolved} (see {@link TicketPlanner}).
     *
     * @param ledger null: none
     */
    public TicketSync(String idPrefix, int maxNew, List<String> severityOrder, Clock clock, LedgerStatuses ledger,
            boolean closeResolved) {
        this(idPrefix, maxNew, severityOrder, clock, ledger, closeResolved, Set.of());
    }

    /** @param policyOwners the owners the policy names: descriptions keep their mentions */
    public TicketSync(String idPrefix, int maxNew, List<String> severityOrder, Clock clock, LedgerStatuses ledger,
            boolean closeResolved, Set<String> policyOwners) {
        this.idPrefix = idPrefix;
        this.maxNew = maxNew;
        this.severityOrder = severityOrder;
        this.clock = clock;
        this.ledger = ledger;
        this.closeResolved = closeResolved;
        this.policyOwners = Set.copyOf(policyOwners);
    }

    public TicketPlan sync(Path store, List<ReportedIncident> incidents, boolean dryRun) {
        if (dryRun) {
            return plan(store, incidents);
        }
        try (BeadsStore.Lock lock = BeadsStore.lock(store)) {
            // Read under the lock: whatever another run wrote before us is in what we rewrite.
            List<BeadsStore.Line> lines = BeadsStore.read(store);
            TicketPlan plan = planner().plan(lines, incidents);
            BeadsStore.write(store, lines, plan.change());
            return plan;
        }
    }

    private TicketPlanner planner() {
        return new TicketPlanner(idPrefix, maxNew, severityOrder, clock.instant(), ledger, closeResolved,
                policyOwners);
    }

    private TicketPlan plan(Path store, List<ReportedIncident> incidents) {
        return planner().plan(BeadsStore.read(store), incidents);
    }
}
