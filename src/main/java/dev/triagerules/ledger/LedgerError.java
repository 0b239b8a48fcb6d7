package dev.triagerules.ledger;

import dev.triagerules.base.UserError;

/**
 * The ledger could not be reached, migrated, read or written. The message names the
 * location with any password masked ({@link LedgerLocation#mask}) and the cause, on one
 * line ({@link #headline}); a {@link #hint} of what to do may follow on a second line,
 * {@code "  hint: ..."}. Nothing of the failed run is left in the ledger. A subclass of
 * {@link UserError} so that every command prints it plainly; the main command can tell it
 * apart to exit with its own code.
 */
public class LedgerError extends UserError {
    private static final long serialVersionUID = 1L;

    private final String headline;
    private final String hint;

    public LedgerError(String message) {
        this(message, null, null);
    }

    public LedgerError(String message, Throwable cause) {
        this(message, null, cause);
    }

    /** {@code hint}: what to do about it, or null. */
    public LedgerError(String message, String hint, Throwable cause) {
        super(LedgerLocation.mask(message) + (hint == null ? "" : "\n  hint: " + LedgerLocation.mask(hint)), cause);
        this.headline = LedgerLocation.mask(message);
        this.hint = hint == null ? null : LedgerLocation.mask(hint);
    }

    /** The message's first line: the location and what went wrong. */
    public String headline() {
        return headline;
    }

    /** What to do about it, or null. */
    public String hint() {
        return hint;
    }
}
