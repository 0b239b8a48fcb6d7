package dev.triagerules.input;

/**
 * A line that is not a valid entry, kept (with {@code --on-invalid skip}) so that nothing
 * the user logged is dropped silently.
 *
 * @param raw       the line's bytes; only its head when {@code truncated}
 * @param rawLength the line's full length in bytes
 */
public record InvalidLine(long lineNumber, int column, String message, byte[] raw, long rawLength,
        boolean truncated) {
}
