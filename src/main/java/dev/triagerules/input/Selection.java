package dev.triagerules.input;

/**
 * Which entries of a run are handed over.
 *
 * @param failuresOnly only failed entries ({@link LogEntry#failed()}); else every entry
 * @param packetFilter only entries of this packet; null for all (every entry is still counted)
 * @param outcomes     also hand every valid entry (of the packet, with a filter), passing or
 *                     not, to the outcome handler as a lightweight {@link EntryOutcome}
 */
public record Selection(boolean failuresOnly, String packetFilter, boolean outcomes) {
    /** Every entry. */
    public static final Selection ALL = new Selection(false, null, false);

    /** Failed entries, of one packet when the filter is not null. */
    public static Selection failures(String packetFilter) {
        return new Selection(true, packetFilter, false);
    }

    /** Failed entries as {@link #failures}, and an outcome record of every entry (for run history). */
    public static Selection failuresWithOutcomes(String packetFilter) {
        return new Selection(true, packetFilter, true);
    }
}
