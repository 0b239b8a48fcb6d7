package dev.triagerules.input.junit;

/**
 * Where a test lives in the sources, for a CI annotation: its {@code file} (relative,
 * inside its folder) and {@code line} when the report gives them (pytest xunit1 and other
 * runners that write them).
 *
 * @param line 1-based; 0 when unknown
 */
public record TestLocation(String file, int line) {

    /** The test case's location; null when its report names no usable file. */
    public static TestLocation of(TestCaseResult result) {
        String file = JunitMapper.containedPath(result.file());
        if (file == null) {
            return null;
        }
        int line = 0;
        try {
            line = Math.max(0, Integer.parseInt(result.sourceLine().strip()));
        } catch (NumberFormatException e) {
            // no line, or not a number: the file alone
        }
        return new TestLocation(file, line);
    }
}
