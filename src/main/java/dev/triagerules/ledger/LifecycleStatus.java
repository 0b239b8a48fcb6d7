package dev.triagerules.ledger;

import java.util.List;
import java.util.Set;

/**
 * The words a lifecycle rule may set, in display order, and which of them are closed. This
 * is vocabulary, not decisions: when an incident takes which status is decided by the
 * rules ({@code rules/lifecycle.drl}). A rule that sets any other word is refused with an
 * error naming the rule: the ledger never stores a status it cannot show or count.
 *
 * <p>A closed status ends the incident's tracking until it is seen again: the rules see a
 * closed incident only in a run that sees it. Every other status is open: the rules see
 * the incident in every run, seen or not.
 */
public final class LifecycleStatus {
    /** Every status, in the order counts and summaries show them. */
    public static final List<String> ALL = List.of("new", "recurring", "regressed", "resolved");
    /** The closed statuses. */
    public static final Set<String> CLOSED = Set.of("resolved");

    private LifecycleStatus() {
    }

    public static boolean known(String status) {
        return status != null && ALL.contains(status);
    }

    public static boolean open(String status) {
        return !CLOSED.contains(status);
    }
}
