package dev.triagerules.base;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;

/**
 * One thing wrong with a user's file, located as precisely as we know it.
 * Printed as {@code file:line:column: severity: message}, the form editors and CI
 * annotators understand.
 */
public record Problem(Path file, int line, int column, Severity severity, String message) {

    public enum Severity { ERROR, WARNING }

    /** The problems of one file in the order of their places in it (unknown places first). */
    public static final Comparator<Problem> IN_FILE_ORDER = Comparator.comparingInt(Problem::line)
            .thenComparingInt(Problem::column);

    public static Problem error(Path file, int line, int column, String message) {
        return new Problem(file, line, column, Severity.ERROR, message);
    }

    public static Problem warning(Path file, int line, int column, String message) {
        return new Problem(file, line, column, Severity.WARNING, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code file:line:column: error: message}; line and column are left out when unknown (0). */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(String.valueOf(file));
        if (line > 0) {
            out.append(':').append(line);
            if (column > 0) {
                out.append(':').append(column);
            }
        }
        return out.append(": ").append(severity.name().toLowerCase(Locale.ROOT))
                .append(": ").append(message).toString();
    }
}
