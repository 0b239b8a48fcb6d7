package dev.triagerules.input.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A report many times larger than the heap reads in flat memory: a child JVM with a 48 MB heap reads 512 MiB. */
class JunitXmlReaderMemoryTest {

    @Test
    void aReportTenTimesTheHeapReadsInFlatMemory() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx48m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), BigReport.class.getName(), "512")
                .redirectErrorStream(true).start();
        assertThat(child.waitFor(300, TimeUnit.SECONDS)).as("finished in time").isTrue();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(child.exitValue()).as(out).isZero();
        String[] words = out.split(" ");
        assertThat(words[0]).as(out).isEqualTo(words[6]);
        assertThat(words[3]).as(out).isEqualTo(words[8]);
        assertThat(Long.parseLong(words[0])).isGreaterThan(100_000);
    }
}
