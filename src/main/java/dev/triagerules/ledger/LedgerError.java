package dev.triagerules.ledger;

import dev.triagerules.base.UserError;

/**
 * The ledger could not be reached, migrated, read or written. The message names the
 * location with any password masked ({@link LedgerLocation#mask}) and the cause; nothing
 * of the failed run is left in the ledger. A subclass of {@link UserError} so that every
 * command prints it plainly; the main command can tell it apart to exit with its own code.
 */
public class LedgerError extends UserError {
    private static final long serialVersionUID = 1L;

    public LedgerError(String message) {
        super(LedgerLocation.mask(message));
    }

    public LedgerError(String message, Throwable cause) {
        super(LedgerLocation.mask(message), cause);
    }
}
