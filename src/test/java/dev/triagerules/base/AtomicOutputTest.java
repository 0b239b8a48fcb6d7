package dev.triagerules.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicOutputTest {
    @TempDir
    Path tmp;

    @Test
    void writtenFilesGetTheModeOfAnyNewFileNotOwnerOnly() throws IOException {
        Path report = tmp.resolve("out/triage.json");
        AtomicOutput.write(report, out -> out.write("{}".getBytes()));
        Path plain = Files.createFile(tmp.resolve("out/plain.txt"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(report));
        assertEquals("{}", Files.readString(report));
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTempFile() throws IOException {
        Path report = Files.writeString(tmp.resolve("triage.json"), "old");
        dev.triagerules.base.UserError error = assertThrows(dev.triagerules.base.UserError.class,
                () -> AtomicOutput.write(report, out -> {
                    out.write("half".getBytes());
                    throw new IOException("disk full");
                }));
        assertEquals(report + ": cannot write: disk full", error.getMessage());
        assertEquals("old", Files.readString(report));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(1, files.count(), "no temp file left behind");
        }
    }
}
