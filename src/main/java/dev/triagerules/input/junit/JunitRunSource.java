package dev.triagerules.input.junit;

import dev.triagerules.input.EntryHandler;
import dev.triagerules.input.EntryOutcome;
import dev.triagerules.input.InvalidLine;
import dev.triagerules.input.LogEntry;
import dev.triagerules.input.ReadOptions;
import dev.triagerules.input.RunSource;
import dev.triagerules.input.Selection;
import dev.triagerules.input.junit.JunitXmlReader.JunitXmlException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One run of JUnit XML for the triage service: a report, a folder of them from one job, or
 * the reports a glob matched (one job's reports kept in many folders, as a multi-module
 * build writes them). Entries are test cases (skipped ones are none); their line is the {@code <testcase>}'s
 * line in its report. A report that is not well-formed stops the run, or with invalid
 * lines quarantined goes to the quarantine as one record naming the report and the place.
 */
public final class JunitRunSource implements RunSource {
    private static final int QUARANTINED_HEAD_BYTES = 4096;

    private final String name;
    /** The report or folder given; null for a glob's reports. */
    private final Path input;
    /** The reports a glob matched; null for a report or folder (a folder is listed when asked). */
    private final List<Path> matched;
    private final JunitSession session;

    /** The run of one report, or of a folder's reports. */
    public JunitRunSource(Path input, JunitSession session) {
        this(input.toString(), input, null, session);
    }

    private JunitRunSource(String name, Path input, List<Path> matched, JunitSession session) {
        this.name = name;
        this.input = input;
        this.matched = matched;
        this.session = session;
    }

    /**
     * The run of the reports a glob matched, in the order given, named by the glob as given
     * (as a folder's run is named by the folder, not by its reports).
     */
    public static JunitRunSource ofReports(String glob, List<Path> reports, JunitSession session) {
        if (reports.isEmpty()) {
            throw new IllegalArgumentException("a run needs at least one report: " + glob);
        }
        return new JunitRunSource(glob, null, List.copyOf(reports), session);
    }

    @Override
    public String name() {
        return name;
    }

    /** The report or folder given; empty for a glob's reports, which are no one file ({@link #files()}). */
    @Override
    public Optional<Path> file() {
        return Optional.ofNullable(input);
    }

    /** A folder's reports, as {@link JunitRun#reportFiles} picks them, or the glob's. */
    @Override
    public List<Path> files() {
        return matched != null ? matched : JunitRun.reportFiles(input);
    }

    @Override
    public long sizeHint() {
        return 0; // a progress bar over several reports would say little
    }

    @Override
    public long read(Selection selection, ReadOptions options, EntryHandler entries,
            Consumer<EntryOutcome> outcomes) {
        String packet = selection.packetFilter();
        Consumer<InvalidLine> quarantine = options.invalidLines();
        JunitRun run = new JunitRun(session.mapper(), quarantine != null);
        JunitRun.Counts counts = run.read(files(), new JunitRun.Sink() {
            @Override
            public void failure(LogEntry entry, TestCaseResult testCase) {
                if (packet == null || packet.equals(entry.packetId())) {
                    session.failure(entry, testCase);
                    entries.accept(entry, testCase.report(), testCase.line());
                }
            }

            @Override
            public void outcome(EntryOutcome outcome) {
                if (outcomes != null && selection.outcomes() && (packet == null || outcome.failed() == null
                        || packet.equals(outcome.failed().packetId()))) {
                    outcomes.accept(outcome);
                }
            }

            @Override
            public void passing(LogEntry entry) {
                if (!selection.failuresOnly() && (packet == null || packet.equals(entry.packetId()))) {
                    entries.accept(entry, 0);
                }
            }

            @Override
            public void reruns(LogEntry entry, int failedAttempts, int passedAttempts) {
                if (packet == null || packet.equals(entry.packetId())) {
                    session.reruns(entry, failedAttempts, passedAttempts);
                }
            }

            @Override
            public void invalidReport(Path report, JunitXmlException error) {
                quarantine.accept(quarantined(report, error));
            }
        });
        return counts.entries();
    }

    private static InvalidLine quarantined(Path report, JunitXmlException error) {
        byte[] head = new byte[0];
        long size = 0;
        try (InputStream in = Files.newInputStream(report)) {
            head = in.readNBytes(QUARANTINED_HEAD_BYTES);
            size = Files.size(report);
        } catch (IOException e) {
            head = ("(cannot read: " + e.getMessage() + ")").getBytes(StandardCharsets.UTF_8);
        }
        // Its source is the report, not the run: a folder or glob names no file the line is in.
        return InvalidLine.ofFile(report.toString(), error.line(), error.column(), report + ": " + error.problem(),
                head, size, size > head.length);
    }

    @Override
    public String toString() {
        return name();
    }
}
