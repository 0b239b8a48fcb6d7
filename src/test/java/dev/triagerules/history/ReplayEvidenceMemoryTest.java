package dev.triagerules.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A summary larger than the heap reads in memory that grows with its incidents, not its
 * size: a child JVM with a 32 MB heap reads a summary of about 40 MB. Read whole, as
 * before, it ran out of memory (a 134 MB summary needed more than 256 MB of heap).
 */
class ReplayEvidenceMemoryTest {
    private static final int INCIDENTS = 20_000;

    @TempDir
    Path tmp;

    @Test
    void aSummaryLargerThanTheHeapIsRead() throws Exception {
        Path summary = tmp.resolve("replay-summary.json");
        writeSummary(summary);
        assertThat(Files.size(summary)).isGreaterThan(40_000_000L);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx32m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), ReadSummary.class.getName(), summary.toString())
                .redirectErrorStream(true).start();
        assertThat(child.waitFor(300, TimeUnit.SECONDS)).as("finished in time").isTrue();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(child.exitValue()).as(out).isZero();
        assertThat(out).isEqualTo(INCIDENTS + " incidents, " + 2 * INCIDENTS + " attempts, " + INCIDENTS
                + " passes, " + INCIDENTS + " failures, " + INCIDENTS + " verdicts");
    }

    /**
     * Incidents of two attempts (one passed, one failed) with long transcript paths, and one
     * incident with a class name of 16 M characters: fields the evidence does not need.
     */
    private static void writeSummary(Path summary) throws IOException {
        String longPath = "replay-transcripts/" + "d/".repeat(300);
        try (BufferedWriter out = Files.newBufferedWriter(summary)) {
            out.write("{\"schema_version\": \"triage-rules-replay-summary-v1\", \"complete\": true, \"incidents\": [\n");
            for (int i = 0; i < INCIDENTS; i++) {
                out.write(i == 0 ? "" : ",\n");
                out.write("{\"incident_id\": \"triage64:" + i + "\", \"class\": \"");
                out.write(i == INCIDENTS / 2 ? "c".repeat(16_000_000) : "some_class");
                out.write("\", \"verdict\": \"flaky\", \"attempts\": [");
                for (int attempt = 1; attempt <= 2; attempt++) {
                    out.write((attempt == 1 ? "" : ", ") + "{\"attempt\": " + attempt + ", \"exit_code\": "
                            + (attempt - 1) + ", \"timed_out\": false, \"transcript\": \"" + longPath + "attempt-"
                            + attempt + ".json\"}");
                }
                out.write("]}");
            }
            out.write("]}\n");
        }
    }

    /** Reads the summary named by {@code args[0]} and prints what it counted over all incidents. */
    static final class ReadSummary {
        private ReadSummary() {
        }

        public static void main(String[] args) {
            ReplayEvidence evidence = ReplayEvidence.read(List.of(Path.of(args[0])));
            long incidents = 0;
            long attempts = 0;
            long passes = 0;
            long failures = 0;
            long verdicts = 0;
            for (int i = 0; i < INCIDENTS; i++) {
                ReplayEvidence.Counts counts = evidence.of("triage64:" + i);
                if (counts != null) {
                    incidents++;
                    attempts += counts.attempts();
                    passes += counts.passes();
                    failures += counts.failures();
                    verdicts += counts.verdicts().size();
                }
            }
            System.out.println(incidents + " incidents, " + attempts + " attempts, " + passes + " passes, "
                    + failures + " failures, " + verdicts + " verdicts");
        }
    }
}
