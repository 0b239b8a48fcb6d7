package dev.triagerules.input;

/**
 * A line that is not a valid entry, kept (with {@code --on-invalid skip}) so that nothing
 * the user logged is dropped silently; or a whole report that could not be read, placed
 * at its error.
 *
 * @param raw        the line's bytes; only its head when {@code truncated}
 * @param rawLength  the line's full length in bytes
 * @param wholeFile  whether this stands for a whole file skipped (a JUnit XML report), not one line
 * @param file       the file the line is in, as read (a report of a JUnit folder or glob); null: the run's own
 *                   file, which its name says
 */
public record InvalidLine(long lineNumber, int column, String message, byte[] raw, long rawLength,
        boolean truncated, boolean wholeFile, String file) {

    /** An invalid line of a log. */
    public InvalidLine(long lineNumber, int column, String message, byte[] raw, long rawLength, boolean truncated) {
        this(lineNumber, column, message, raw, rawLength, truncated, false, null);
    }

    /** A whole file skipped: a report that could not be read, placed at its error. */
    public static InvalidLine ofFile(String file, long lineNumber, int column, String message, byte[] raw,
            long rawLength, boolean truncated) {
        return new InvalidLine(lineNumber, column, message, raw, rawLength, truncated, true, file);
    }

    /** Where the line is, as the quarantine names its source: {@link #file()}, else the run's name. */
    public String source(String runName) {
        return file != null ? file : runName;
    }
}
