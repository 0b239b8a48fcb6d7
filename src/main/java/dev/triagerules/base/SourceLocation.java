package dev.triagerules.base;

import java.nio.file.Path;

/** A place in a user's file; line and column are 1-based, 0 when unknown. */
public record SourceLocation(Path file, int line, int column) {

    public Problem error(String message) {
        return Problem.error(file, line, column, message);
    }

    public Problem warning(String message) {
        return Problem.warning(file, line, column, message);
    }

    @Override
    public String toString() {
        if (line == 0) {
            return String.valueOf(file);
        }
        return column == 0 ? file + ":" + line : file + ":" + line + ":" + column;
    }
}
