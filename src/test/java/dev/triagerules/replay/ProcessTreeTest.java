package dev.triagerules.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tree's command is held until the runner has registered its session with the
 * parent-death watch, so a JVM killed in between leaves nothing running.
 */
@Timeout(30)
class ProcessTreeTest {
    @TempDir
    Path workdir;

    private static final List<String> TOUCH = List.of("sh", "-c", "echo ran > marker; cat");
    private static final Map<String, String> ENV = Map.of("PATH", System.getenv("PATH"));

    @Test
    void theCommandWaitsForReleaseThenRunsWithStdinFromDevNull() throws Exception {
        ProcessTree tree = ProcessTree.start(TOUCH, workdir, ENV);
        assertThat(tree.ownSession()).as("setsid is installed on the build machines").isTrue();
        Thread.sleep(300);
        assertThat(workdir.resolve("marker")).as("nothing of the command runs before release").doesNotExist();

        tree.release();
        // `cat` reads /dev/null, not the runner's pipe: it ends at once.
        assertThat(tree.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(tree.process().exitValue()).isZero();
        assertThat(Files.readString(workdir.resolve("marker"))).isEqualTo("ran\n");
    }

    @Test
    void aRunnerThatDiesBeforeReleaseNeverStartsTheCommand() throws Exception {
        ProcessTree tree = ProcessTree.start(TOUCH, workdir, ENV);
        tree.process().getOutputStream().close(); // what the kernel does when the JVM dies

        assertThat(tree.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(tree.process().exitValue()).isEqualTo(125);
        assertThat(workdir.resolve("marker")).doesNotExist();
    }
}
