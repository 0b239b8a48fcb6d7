package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triagerules.report.ReportFixtures;
import dev.triagerules.report.SeverityGate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate and {@code --baseline} read a report larger than the heap: a child JVM with a 32 MB
 * heap gates a report of about 50 MB and takes its incident ids. Read whole into one tree, as
 * before, the report ran it out of memory (and a report of 2,500,000 incidents kept a 6 GB heap
 * in garbage collection for minutes).
 */
class ReportStreamMemoryTest {
    private static final int INCIDENTS = 20_000;

    @TempDir
    Path tmp;

    @Test
    void aReportLargerThanTheHeapIsGatedAndItsIdsTaken() throws Exception {
        // Complete incidents (none critical: no replay to look for), each with a 2,000-character reason.
        String reason = "r".repeat(2_000);
        Path report = ReportFixtures.write(tmp.resolve("triage.json"), INCIDENTS,
                n -> ReportFixtures.incident(n, "high", "team-a", 1, 0).put("reason_code", reason + n), true);
        assertThat(Files.size(report)).isGreaterThan(45_000_000L);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx32m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), ReadReport.class.getName(), report.toString(),
                tmp.resolve("no-transcripts").toString())
                .redirectErrorStream(true).start();
        assertThat(child.waitFor(300, TimeUnit.SECONDS)).as("finished in time").isTrue();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(child.exitValue()).as(out).isZero();
        assertThat(out).isEqualTo(INCIDENTS + " ids\ngate: ok: " + INCIDENTS
                + " incident(s), 0 critical with a reproduced replay\ngate exit 0");
    }

    /** Takes the ids of the report {@code args[0]} as --baseline does, then gates it against the transcripts {@code args[1]}. */
    static final class ReadReport {
        private ReadReport() {
        }

        public static void main(String[] args) {
            System.out.println(SeverityGate.incidentIds(Path.of(args[0])).size() + " ids");
            String[] gate = {"gate", "--report", args[0], "--transcripts", args[1]};
            int exit = Main.commandLine(gate).execute(gate);
            System.out.flush();
            System.err.flush();
            System.out.println("gate exit " + exit);
        }
    }
}
