package dev.triagerules.triage;

import dev.triagerules.base.DistinctFiles;
import dev.triagerules.base.UserError;
import dev.triagerules.base.VisibleText;
import dev.triagerules.input.InputFiles;
import dev.triagerules.input.InputOpener;
import dev.triagerules.input.RunSource;
import dev.triagerules.input.junit.InputFormat;
import dev.triagerules.input.junit.JunitRunSource;
import dev.triagerules.input.junit.JunitSession;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The runs of {@code --input} values in either format, told apart by content unless
 * forced: a JUnit XML report, or a folder of them, is one run; everything else is read as
 * JSONL logs ({@link InputFiles}: a folder of logs is one run per log).
 */
final class RunSources {
    /** Where Linux shows what stdin is; elsewhere it is missing, and stdin is taken for a stream. */
    private static final Path STDIN_DESCRIPTOR = Path.of("/proc/self/fd/0");

    private RunSources() {
    }

    /** @param format {@code auto}, {@code jsonl} or {@code junit} */
    static List<RunSource> of(List<String> values, String format, JunitSession junit) {
        InputFormat forced = InputFormat.forced(format);
        List<RunSource> runs = new ArrayList<>();
        for (String value : values) {
            if (isJunit(value, forced)) {
                runs.add(new JunitRunSource(Path.of(value), junit));
            } else {
                runs.addAll(InputFiles.runs(List.of(value)));
            }
        }
        requireDistinctFiles(runs);
        return runs;
    }

    private static boolean isJunit(String value, InputFormat forced) {
        if (forced != null) {
            if (forced == InputFormat.JUNIT_XML && InputOpener.STDIN.equals(value)) {
                throw new UserError("--input -: JUnit XML is read from files or folders, not stdin");
            }
            return forced == InputFormat.JUNIT_XML;
        }
        if (InputOpener.STDIN.equals(value) || InputFiles.isGlob(value)) {
            return false; // stdin and globs are JSONL logs, as before
        }
        Path path = Path.of(value);
        try {
            if (Files.isDirectory(path)) {
                return InputFormat.ofFolder(path) == InputFormat.JUNIT_XML;
            }
            if (!Files.isRegularFile(path)) {
                return false; // the JSONL reader says it is missing
            }
            try (InputStream in = new BufferedInputStream(InputOpener.open(value))) {
                return InputFormat.sniff(in) == InputFormat.JUNIT_XML;
            } catch (IOException e) {
                // Its first bytes cannot be read (a gzip stream cut short): the JSONL reader
                // reports it as any broken input, with the line it reached.
                return false;
            }
        } catch (IOException e) {
            throw new UserError(VisibleText.inMessage(value) + ": cannot read: "
                    + VisibleText.inMessage(e.getMessage()), e);
        }
    }

    /**
     * A file reached twice would count as two runs and double its evidence: by two names, a
     * hard link, or as stdin redirected from a file also given by name. Stdin itself can be
     * read only once.
     */
    private static void requireDistinctFiles(List<RunSource> runs) {
        Map<Object, String> seen = new HashMap<>();
        boolean stdinSeen = false;
        for (RunSource run : runs) {
            Object identity;
            if (run.file().isPresent()) {
                identity = DistinctFiles.inputIdentity(run.file().get());
            } else if (InputOpener.STDIN.equals(run.name())) {
                if (stdinSeen) {
                    throw new UserError("--input -: given twice; standard input can be read only once");
                }
                stdinSeen = true;
                identity = DistinctFiles.inputIdentity(STDIN_DESCRIPTOR); // a file redirected with <
            } else {
                continue;
            }
            String earlier = identity == null ? null : seen.putIfAbsent(identity, run.name());
            if (earlier != null) {
                throw new UserError("--input " + VisibleText.inMessage(run.name()) + ": the same file as "
                        + VisibleText.inMessage(earlier) + ", already an input; each file is one run, so give it once");
            }
        }
    }
}
