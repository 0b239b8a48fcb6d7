package dev.triagerules.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triagerules.base.FileTypes;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reading a replay.json from a transcripts folder that may come from elsewhere. */
class IncidentReplayTest {
    private static final String VERDICT = """
            {"schema_version": "triage-rules-replay-verdict-v1", "incident_id": "triage64:c1",
             "replay_command": "exit 1", "seed": 7, "verdict": "reproduced", "failed_attempts": 0,
             "attempts": []}
            """;

    @TempDir
    Path dir;

    /** Before: read whole, whatever it was: a FIFO blocked the reader until a writer came, a link was followed. */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFifoOrALinkIsNotOpened() throws Exception {
        Path fifo = FileTypes.mkfifo(dir.resolve("replay.json"));

        assertThatThrownBy(() -> IncidentReplay.read(fifo, 1 << 20)).isInstanceOf(IOException.class)
                .hasMessage("not a regular file, which replay never writes: not read");

        Path real = Files.writeString(dir.resolve("elsewhere.json"), VERDICT);
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), real);
        assertThatThrownBy(() -> IncidentReplay.read(link, 1 << 20)).isInstanceOf(IOException.class)
                .hasMessage("a symbolic link, which replay never writes: not read");
        assertThat(IncidentReplay.read(real, 1 << 20).incidentId()).isEqualTo("triage64:c1");
    }

    /** Before: read whole; a sparse file of 4 GiB ended the reader in an OutOfMemoryError. */
    @Test
    void aFileLargerThanTheBoundIsNotRead() throws Exception {
        Path verdict = Files.writeString(dir.resolve("replay.json"), VERDICT);
        long bound = Files.size(verdict);
        assertThat(IncidentReplay.read(verdict, bound).seed()).isEqualTo("7");

        for (long size : new long[] {bound + 1, 4L << 30}) {
            try (RandomAccessFile file = new RandomAccessFile(verdict.toFile(), "rw")) {
                file.setLength(size); // sparse
            }
            assertThatThrownBy(() -> IncidentReplay.read(verdict, bound)).isInstanceOf(IOException.class)
                    .hasMessage(size + " bytes, more than replay writes for the replay.json of this incident (at most "
                            + bound + "): not read");
        }
    }
}
