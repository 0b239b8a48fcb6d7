package dev.triagerules.input;

/**
 * A line that is not a valid entry, kept (with {@code --on-invalid skip}) so that nothing
 * the user logged is dropped silently; or a whole report that could not be read, placed
 * at its error.
 *
 * @param raw        the line's bytes; only its head when {@code truncated}
 * @param rawLength  the line's full length in bytes
 * @param wholeFile  whether this stands for a whole file skipped (a JUnit XML report), not one line
 */
public record InvalidLine(long lineNumber, int column, String message, byte[] raw, long rawLength,
        boolean truncated, boolean wholeFile) {

    /** An invalid line of a log. */
    public InvalidLine(long lineNumber, int column, String message, byte[] raw, long rawLength, boolean truncated) {
        this(lineNumber, column, message, raw, rawLength, truncated, false);
    }
}
