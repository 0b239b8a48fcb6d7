package dev.triagerules.base;


/**
 * {@code SOURCE_DATE_EPOCH} (whole seconds since 1970), which pins the timestamps we write
 * so that reproducible builds get reproducible reports and ticket stores.
 */
public final class SourceDateEpoch {
    private SourceDateEpoch() {
    }

    /** The pinned time in seconds; null when the variable is unset or blank. */
    public static Long seconds() {
        String epoch = System.getenv("SOURCE_DATE_EPOCH");
        if (epoch == null || epoch.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(epoch.strip());
        } catch (NumberFormatException e) {
            throw new UserError("SOURCE_DATE_EPOCH must be whole seconds since 1970, got \"" + epoch + "\"");
        }
    }
}
