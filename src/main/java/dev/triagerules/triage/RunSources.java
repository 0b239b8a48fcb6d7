package dev.triagerules.triage;

import dev.triagerules.base.DistinctFiles;
import dev.triagerules.base.UserError;
import dev.triagerules.base.VisibleText;
import dev.triagerules.input.InputFiles;
import dev.triagerules.input.InputOpener;
import dev.triagerules.input.JsonlRun;
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
import java.util.Optional;

/**
 * The runs of {@code --input} values in either format, told apart by content unless
 * forced: a JUnit XML report, a folder of them, or the reports a glob matches, is one run;
 * everything else is read as JSONL logs ({@link InputFiles}: a folder or glob of logs is
 * one run per log).
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
            if (forced != InputFormat.JSONL && InputFiles.isGlob(value)) {
                runs.addAll(globbed(value, forced, junit));
            } else if (isJunit(value, forced)) {
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
        if (InputOpener.STDIN.equals(value)) {
            return false; // stdin is a JSONL log, as before
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
     * The runs of a glob's matches: JUnit XML reports are one run of them all, named by the
     * glob, as a folder's reports are (one job's reports kept in many folders); JSONL logs
     * one run each. Unforced, each match is told by its content, and a glob matching both
     * kinds is an error rather than a guess; a match whose content tells nothing (empty,
     * unreadable) goes with the others, whose reader then says what is wrong with it.
     */
    private static List<RunSource> globbed(String glob, InputFormat forced, JunitSession junit) {
        // Not expand: it checks the matches as JSONL logs, one run each; requireDistinctFiles
        // checks them once the format is known, in its words.
        List<String> matches = InputFiles.matches(glob);
        if (forced == InputFormat.JUNIT_XML || formatOfMatches(glob, matches) == InputFormat.JUNIT_XML) {
            return List.of(JunitRunSource.ofReports(glob, matches.stream().map(Path::of).toList(), junit));
        }
        return matches.stream().<RunSource>map(JsonlRun::new).toList();
    }

    private static InputFormat formatOfMatches(String glob, List<String> matches) {
        String report = null;
        String log = null;
        for (String match : matches) {
            InputFormat format = contentFormat(match).orElse(null);
            if (format == InputFormat.JUNIT_XML && report == null) {
                report = match;
            } else if (format == InputFormat.JSONL && log == null) {
                log = match;
            }
            if (report != null && log != null) {
                throw new UserError(VisibleText.inMessage(glob) + ": matches both JUnit XML reports (such as "
                        + VisibleText.inMessage(report) + ") and JSONL logs (such as " + VisibleText.inMessage(log)
                        + "); give --input-format junit or jsonl, or a glob for each");
            }
        }
        return report != null ? InputFormat.JUNIT_XML : InputFormat.JSONL;
    }

    /**
     * What a file's first bytes say it is; empty when they say nothing or cannot be read (its
     * reader reports that in its turn, as it did before globs were looked into).
     */
    private static Optional<InputFormat> contentFormat(String file) {
        try (InputStream in = new BufferedInputStream(InputOpener.open(file))) {
            return InputFormat.sniffContent(in);
        } catch (IOException | UserError e) {
            return Optional.empty();
        }
    }

    /**
     * A file reached twice would have its evidence counted twice: by two names, a hard link,
     * as stdin redirected from a file also given by name, or a JUnit report reached through
     * two of its folder, a glob and its own name. Stdin itself can be read only once.
     */
    private static void requireDistinctFiles(List<RunSource> runs) {
        Map<Object, ReadFile> seen = new HashMap<>();
        boolean stdinSeen = false;
        for (RunSource run : runs) {
            List<Path> files = run.files();
            if (files.isEmpty() && InputOpener.STDIN.equals(run.name())) {
                if (stdinSeen) {
                    throw new UserError("--input -: given twice; standard input can be read only once");
                }
                stdinSeen = true;
                files = List.of(STDIN_DESCRIPTOR); // a file redirected with <
            }
            for (Path file : files) {
                ReadFile read = new ReadFile(run, file);
                Object identity = DistinctFiles.inputIdentity(file);
                ReadFile earlier = identity == null ? null : seen.putIfAbsent(identity, read);
                if (earlier != null) {
                    throw new UserError(read.sameAs(earlier));
                }
            }
        }
    }

    /** A file a run reads: the run's own file, or one of the reports of its folder or glob. */
    private record ReadFile(RunSource run, Path file) {
        boolean isReportOfTheRun() {
            return !run.file().equals(Optional.of(file)) && !file.equals(STDIN_DESCRIPTOR);
        }

        String named() {
            return isReportOfTheRun() ? "the report " + VisibleText.inMessage(file.toString()) + " of "
                    + VisibleText.inMessage(run.name()) : VisibleText.inMessage(run.name());
        }

        /** The error for this file being {@code earlier}'s file again. */
        String sameAs(ReadFile earlier) {
            if (earlier.run == run && isReportOfTheRun() && earlier.isReportOfTheRun()) {
                // Two reports of one folder or glob: a hard link, not a second input.
                return "--input " + VisibleText.inMessage(run.name()) + ": its report "
                        + VisibleText.inMessage(file.toString()) + " is the same file as its report "
                        + VisibleText.inMessage(earlier.file.toString())
                        + ": the same report given twice in one run; a report is read once, so give it once";
            }
            String itself = isReportOfTheRun() ? "its report " + VisibleText.inMessage(file.toString()) + " is " : "";
            // A log is a run of its own; a report is one of its run's.
            String why = isReportOfTheRun() || earlier.isReportOfTheRun()
                    ? "a report is read in one run only, so give it once" : "each file is one run, so give it once";
            return "--input " + VisibleText.inMessage(run.name()) + ": " + itself + "the same file as " + earlier.named()
                    + ", already an input; " + why;
        }
    }
}
