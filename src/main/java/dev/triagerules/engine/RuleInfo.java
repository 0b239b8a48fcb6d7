package dev.triagerules.engine;

import java.nio.file.Path;

/**
 * A compiled rule as authors see it.
 *
 * @param crashClass the class its {@code @class} annotation assigns, or null for rules that do
 *                   not classify (e.g. the routing rule)
 * @param salience   its precedence: higher fires first
 * @param line       the line of its {@code rule} keyword, or 0 if unknown
 */
public record RuleInfo(String name, String crashClass, int salience, Path file, int line) {

    public boolean classifies() {
        return crashClass != null;
    }

    public String location() {
        return line > 0 ? file + ":" + line : String.valueOf(file);
    }
}
