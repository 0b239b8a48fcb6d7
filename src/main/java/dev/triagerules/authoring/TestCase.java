package dev.triagerules.authoring;

import java.nio.file.Path;

/** One case of a rule test table: a made-up failure and what the pack must make of it. */
public record TestCase(Path file, int line, String name, FailureFields fields, Expectation expect) {

    /** {@code file:line}, where messages about this case point. */
    public String location() {
        return line > 0 ? file + ":" + line : String.valueOf(file);
    }
}
