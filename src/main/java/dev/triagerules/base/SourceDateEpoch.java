package dev.triagerules.base;


/**
 * {@code SOURCE_DATE_EPOCH} (whole seconds since 1970), which pins the timestamps we write
 * so that reproducible builds get reproducible reports and ticket stores.
 */
public final class SourceDateEpoch {
    private SourceDateEpoch() {
    }

    /** The latest second it may name: the end of year 9999, which every date format here can write. */
    static final long MAX_SECONDS = 253_402_300_799L;

    /** The pinned time in seconds; null when the variable is unset or blank. */
    public static Long seconds() {
        String epoch = System.getenv("SOURCE_DATE_EPOCH");
        if (epoch == null || epoch.isBlank()) {
            return null;
        }
        long seconds;
        try {
            seconds = Long.parseLong(epoch.strip());
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        // 9223372036854775807 became generated_unix_ms -1000 (the milliseconds overflowed), -1 was taken as is.
        if (seconds < 0 || seconds > MAX_SECONDS) {
            throw new UserError("SOURCE_DATE_EPOCH must be whole seconds since 1970, from 0 to " + MAX_SECONDS
                    + " (the end of year 9999), got \"" + VisibleText.inMessage(epoch) + "\"");
        }
        return seconds;
    }
}
