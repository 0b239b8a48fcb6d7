package dev.triagerules.input.junit;

import dev.triagerules.base.UserError;
import dev.triagerules.base.VisibleText;
import dev.triagerules.input.EntryOutcome;
import dev.triagerules.input.InputFiles;
import dev.triagerules.input.InputOpener;
import dev.triagerules.input.LogEntry;
import dev.triagerules.input.junit.JunitXmlReader.JunitXmlException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads one run of JUnit XML: a report file, or a folder of them from one job (a Surefire
 * {@code target/surefire-reports}: its {@code TEST-*.xml}, else every {@code *.xml}), in
 * file-name order. Each test case goes through the mapping to the sink: a failure to be
 * classified, every outcome for run history, and the runner's reruns as evidence.
 *
 * <p>A report that is not well-formed stops the run with its located error; in skip mode
 * it is handed to {@link Sink#invalidReport} instead and the next report is read (the test
 * cases before the error have been handed over, as the lines before a bad JSONL line are).
 */
public final class JunitRun {
    private final JunitMapper mapper;
    private final boolean skipInvalid;

    /** Where a run's test cases go. */
    public interface Sink {
        /**
         * A failed entry (a failed test case, or the first failure of a flaky one) and the
         * test case it came from ({@link TestCaseResult#line()} is its line in its report;
         * {@link TestLocation#of} its place in the sources, for annotations).
         */
        void failure(LogEntry entry, TestCaseResult testCase);

        /**
         * Every entry's outcome, for run history; a flaky test case gives a failing one, then a
         * passing one marked {@link EntryOutcome#rerun()} (one entry, two attempts).
         */
        default void outcome(EntryOutcome outcome) {
        }

        /** A passing entry (for selections of every entry). */
        default void passing(LogEntry entry) {
        }

        /** A test case the runner reran: failed and passed attempts (the first run included). */
        default void reruns(LogEntry entry, int failedAttempts, int passedAttempts) {
        }

        /** A report that could not be read, in skip mode. */
        default void invalidReport(Path report, JunitXmlException error) {
        }
    }

    /**
     * What one run held.
     *
     * @param testCases test cases read (skipped ones included)
     * @param entries   entries made (skipped test cases make none)
     * @param skipped   skipped test cases
     * @param failed    failed entries (flaky test cases included)
     * @param flaky     test cases that passed on a rerun after failing
     * @param reports   report files read
     * @param invalid   reports skipped as invalid
     */
    public record Counts(long testCases, long entries, long skipped, long failed, long flaky, int reports,
            int invalid) {
    }

    public JunitRun(JunitMapper mapper, boolean skipInvalid) {
        this.mapper = mapper;
        this.skipInvalid = skipInvalid;
    }

    /** The report files of an input: the file itself, or a folder's reports in name order. */
    public static List<Path> reportFiles(Path input) {
        if (!Files.isDirectory(input)) {
            return List.of(input);
        }
        try (Stream<Path> listing = Files.list(input)) {
            List<Path> xml = listing.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".xml")
                            || p.getFileName().toString().endsWith(".xml.gz"))
                    .sorted().toList();
            // Surefire also writes testng-results.xml and the like beside its TEST-*.xml.
            List<Path> surefire = xml.stream().filter(p -> p.getFileName().toString().startsWith("TEST-")).toList();
            List<Path> reports = surefire.isEmpty() ? xml : surefire;
            if (reports.isEmpty()) {
                throw new UserError(VisibleText.inMessage(input.toString())
                        + ": no JUnit XML reports (*.xml) in this folder");
            }
            reports.forEach(report -> InputFiles.openable(input.toString(), input, report)); // opened by name
            return reports;
        } catch (IOException e) {
            throw new UserError(VisibleText.inMessage(input.toString()) + ": cannot list: "
                    + VisibleText.inMessage(e.getMessage()), e);
        }
    }

    /** Reads the run {@code input} names (file or folder). */
    public Counts read(Path input, Sink sink) {
        return read(reportFiles(input), sink);
    }

    /** Reads one run made of these reports, in this order. */
    public Counts read(List<Path> reports, Sink sink) {
        long[] totals = new long[5];
        int invalid = 0;
        for (Path report : reports) {
            try (InputStream in = InputOpener.open(report.toString())) {
                new JunitXmlReader(report.toString(), in).read(result -> accept(result, sink, totals));
            } catch (JunitXmlException e) {
                if (!skipInvalid) {
                    throw e;
                }
                invalid++;
                sink.invalidReport(report, e);
            } catch (IOException e) {
                throw new UserError(VisibleText.inMessage(report.toString()) + ": cannot read: "
                        + VisibleText.inMessage(e.getMessage()), e);
            }
        }
        return new Counts(totals[0], totals[1], totals[2], totals[3], totals[4], reports.size(), invalid);
    }

    private void accept(TestCaseResult result, JunitRun.Sink sink, long[] totals) {
        totals[0]++;
        LogEntry entry = mapper.entry(result);
        if (entry == null) {
            totals[2]++;
            return;
        }
        totals[1]++;
        boolean seeded = mapper.hasSeed(result);
        sink.outcome(outcome(entry, entry.failed(), seeded));
        if (entry.failed()) {
            totals[3]++;
            sink.failure(entry, result);
        } else {
            sink.passing(entry);
        }
        if (result.passedOnRerun()) {
            totals[4]++;
            sink.outcome(rerunPassed(entry, seeded));
            sink.reruns(entry, result.flakyCount(), 1);
        } else if (result.failed() && result.rerunCount() > 0) {
            sink.reruns(entry, 1 + result.rerunCount(), 0);
        }
    }

    private static EntryOutcome outcome(LogEntry entry, boolean failed, boolean seeded) {
        return new EntryOutcome(keyHash(entry), entry.seed(), EntryOutcome.textHash(entry.envFingerprint()),
                failed ? entry : null, seeded);
    }

    /** The passing attempt of a flaky test case: history for its key, but no second entry of the run. */
    private static EntryOutcome rerunPassed(LogEntry entry, boolean seeded) {
        return new EntryOutcome(keyHash(entry), entry.seed(), EntryOutcome.textHash(entry.envFingerprint()), null,
                seeded, true);
    }

    private static long keyHash(LogEntry entry) {
        return EntryOutcome.keyHash(entry.packetId(), entry.suiteId(), entry.scenarioId(), entry.mode());
    }
}
