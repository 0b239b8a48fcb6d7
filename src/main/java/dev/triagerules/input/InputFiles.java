package dev.triagerules.input;

import dev.triagerules.base.DistinctFiles;
import dev.triagerules.base.UserError;
import dev.triagerules.base.VisibleText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * Expands the {@code --input} values into the runs to read, in order: a file (or
 * {@code -}) is itself; a directory is every {@code *.jsonl} / {@code *.jsonl.gz} file in
 * it (not in subfolders), sorted by name; a value with a glob character ({@code * ? [})
 * that names nothing that exists is a glob matched in the folder before its first glob
 * character (e.g.
 * {@code runs/2024-*.jsonl}, {@code runs/**}{@code /e2e.jsonl}), sorted by path. Values keep
 * the order they were given in. A file reached twice (say by a glob and by name) is an
 * error: read twice, it would count as two runs of the matrix and double its evidence.
 */
public final class InputFiles {
    private InputFiles() {
    }

    /** The runs of the {@code --input} values: every file {@link #expand} finds, as a JSONL log. */
    public static List<RunSource> runs(List<String> values) {
        return expand(values).stream().<RunSource>map(JsonlRun::new).toList();
    }

    public static List<String> expand(List<String> values) {
        List<String> inputs = new ArrayList<>();
        for (String value : values) {
            if (InputOpener.STDIN.equals(value)) {
                inputs.add(value);
            } else if (isGlob(value)) {
                inputs.addAll(glob(value));
            } else if (Files.isDirectory(Path.of(value))) {
                inputs.addAll(directory(value));
            } else {
                inputs.add(value); // a missing file is reported when it is opened
            }
        }
        if (inputs.stream().filter(InputOpener.STDIN::equals).count() > 1) {
            throw new UserError("--input -: stdin can be read only once");
        }
        requireDistinctFiles(inputs);
        return inputs;
    }

    private static void requireDistinctFiles(List<String> inputs) {
        Map<Object, String> seen = new HashMap<>();
        for (String input : inputs) {
            if (InputOpener.STDIN.equals(input)) {
                continue;
            }
            Object file = DistinctFiles.inputIdentity(Path.of(input)); // hard links are one file
            if (file == null) {
                continue; // a missing file is reported when it is opened
            }
            String earlier = seen.putIfAbsent(file, input);
            if (earlier != null) {
                throw new UserError("--input " + VisibleText.inMessage(input) + ": the same file as "
                        + VisibleText.inMessage(earlier) + ", already an input; each file is one run, so give it once");
            }
        }
    }

    /**
     * Whether {@code value} is a pattern: it has a glob character and names nothing that
     * exists, so that a file called {@code run[1].jsonl} is read as that file.
     */
    public static boolean isGlob(String value) {
        return hasGlobCharacter(value) && !Files.exists(Path.of(value));
    }

    private static boolean hasGlobCharacter(String value) {
        return value.chars().anyMatch(c -> c == '*' || c == '?' || c == '[');
    }

    private static List<String> directory(String value) {
        Path dir = Path.of(value);
        try (Stream<Path> listing = Files.list(dir)) {
            List<String> logs = listing
                    .filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".jsonl")
                            || p.getFileName().toString().endsWith(".jsonl.gz"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .map(p -> openable(value, dir, p))
                    .map(Path::toString)
                    .toList();
            if (logs.isEmpty()) {
                throw new UserError(VisibleText.inMessage(value) + ": folder has no *.jsonl or *.jsonl.gz logs");
            }
            return logs;
        } catch (IOException e) {
            throw new UserError(VisibleText.inMessage(value) + ": cannot list folder: "
                    + VisibleText.inMessage(e.getMessage()), e);
        }
    }

    /**
     * A listed file whose name can open it later, when the run reads it by that name as text.
     * The JVM decodes file names with its file name encoding (UTF-8 under the launcher's
     * locale), each byte that is not UTF-8 becoming U+FFFD, and that text names no file: say
     * so here, rather than "no such file" for a file just listed.
     *
     * @param value the {@code --input} value, named in the error
     * @param folder the folder {@code file} was listed in
     */
    public static Path openable(String value, Path folder, Path file) {
        // A listed Path keeps its name's bytes; one made from its text has the text's.
        if (!Path.of(file.toString()).equals(file)) {
            throw new UserError(VisibleText.inMessage(value) + ": cannot read "
                    + VisibleText.inMessage(folder.relativize(file).toString()).replace("\uFFFD", "\\ufffd")
                    + ": its file name is not " + System.getProperty("sun.jnu.encoding", "UTF-8")
                    + " text (\\ufffd marks each byte that is not), so it cannot be opened; rename the file");
        }
        return file;
    }

    /**
     * The files a glob matches, sorted by path, with no check that they are distinct files:
     * for a caller that checks them in its own terms (a glob of JUnit reports is one run, not
     * one run per file).
     */
    public static List<String> matches(String glob) {
        return glob(glob);
    }

    private static List<String> glob(String value) {
        int firstGlob = 0;
        while (!hasGlobCharacter(value.substring(firstGlob, firstGlob + 1))) {
            firstGlob++;
        }
        int slash = value.lastIndexOf('/', firstGlob);
        Path base = slash < 0 ? Path.of(".") : Path.of(slash == 0 ? "/" : value.substring(0, slash));
        String pattern = value.substring(slash + 1);
        if (!Files.isDirectory(base)) {
            throw new UserError(VisibleText.inMessage(value) + ": no such folder "
                    + VisibleText.inMessage(base.toString()));
        }
        PathMatcher matcher;
        try {
            matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        } catch (PatternSyntaxException e) {
            // Its message repeats the pattern on lines of their own: the description and index say it all.
            throw new UserError(VisibleText.inMessage(value) + ": bad glob: " + e.getDescription() + " near index "
                    + e.getIndex());
        } catch (IllegalArgumentException e) {
            throw new UserError(VisibleText.inMessage(value) + ": bad glob: " + VisibleText.inMessage(e.getMessage()));
        }
        int depth = pattern.contains("**") ? Integer.MAX_VALUE : pattern.split("/", -1).length;
        try (Stream<Path> walk = Files.walk(base, depth)) {
            List<String> matches = walk
                    .filter(Files::isRegularFile)
                    .filter(p -> matcher.matches(base.relativize(p)))
                    .map(p -> openable(value, base, p))
                    .map(p -> slash < 0 ? base.relativize(p).toString() : p.toString())
                    .sorted()
                    .toList();
            if (matches.isEmpty()) {
                throw new UserError(VisibleText.inMessage(value) + ": no file matches");
            }
            return matches;
        } catch (IOException | UncheckedIOException e) {
            throw new UserError(VisibleText.inMessage(value) + ": cannot list " + VisibleText.inMessage(base.toString())
                    + ": " + VisibleText.inMessage(e.getMessage()), e);
        }
    }
}
