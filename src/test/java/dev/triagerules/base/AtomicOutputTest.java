package dev.triagerules.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicOutputTest {
    @TempDir
    Path tmp;

    private static void write(Path target, String text) {
        AtomicOutput.write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    private long filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void writtenFilesGetTheModeOfAnyNewFileNotOwnerOnly() throws IOException {
        Path report = tmp.resolve("out/triage.json");
        write(report, "{}");
        Path plain = Files.createFile(tmp.resolve("out/plain.txt"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(report));
        assertEquals("{}", Files.readString(report));
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTempFile() throws IOException {
        Path report = Files.writeString(tmp.resolve("triage.json"), "old");
        UserError error = assertThrows(UserError.class, () -> AtomicOutput.write(report, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals(report + ": cannot write: disk full", error.getMessage());
        assertEquals("old", Files.readString(report));
        assertEquals(1, filesIn(tmp), "no temp file left behind");
    }

    @Test
    void devNullIsWrittenInPlaceAndStaysACharacterDevice() throws Exception {
        FileTypes.withDevNull(() -> {
            write(Path.of("/dev/null"), "a report nobody keeps");
            try (AtomicOutput.Pending pending = AtomicOutput.open(Path.of("/dev/null"))) {
                pending.stream().write("a quarantine".getBytes());
                pending.commit();
            }
            AtomicOutput.append(Path.of("/dev/null"), "a summary".getBytes());
        });
        assertThat(FileTypes.isCharDevice(Path.of("/dev/null"))).isTrue();
    }

    @Test
    void aFifoIsWrittenInPlace() throws Exception {
        Path fifo = FileTypes.mkfifo(tmp.resolve("report.fifo"));
        CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllBytes(fifo); // blocks until the writer opens and closes it
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        write(fifo, "through the pipe");
        assertThat(new String(reader.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8)).isEqualTo("through the pipe");
        assertThat(FileTypes.isFifo(fifo)).isTrue();
        assertThat(filesIn(tmp)).as("no temp file beside a FIFO").isEqualTo(1);
    }

    @Test
    void aSymlinkIsFollowedItsTargetReplacedAndTheLinkKept() throws IOException {
        Path real = Files.writeString(tmp.resolve("real.md"), "old");
        Path link = Files.createSymbolicLink(tmp.resolve("summary.md"), real.getFileName());
        write(link, "new");
        assertThat(link).isSymbolicLink();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(real.getFileName());
        assertThat(real).isRegularFile().hasContent("new");

        try (AtomicOutput.Pending pending = AtomicOutput.open(link)) {
            pending.stream().write("streamed".getBytes());
            pending.commit();
        }
        assertThat(link).isSymbolicLink();
        assertThat(real).hasContent("streamed");
    }

    @Test
    void aChainOfRelativeLinksEndingNowhereCreatesItsTarget() throws IOException {
        Files.createDirectories(tmp.resolve("a"));
        Files.createDirectories(tmp.resolve("b"));
        Path first = Files.createSymbolicLink(tmp.resolve("a/report.json"), Path.of("../b/next.json"));
        Path second = Files.createSymbolicLink(tmp.resolve("b/next.json"), Path.of("../c/final.json"));
        write(first, "{}");
        assertThat(first).isSymbolicLink();
        assertThat(second).isSymbolicLink();
        assertThat(tmp.resolve("c/final.json")).isRegularFile().hasContent("{}");
    }

    @Test
    void aLoopOfLinksIsAClearError() throws IOException {
        Path one = Files.createSymbolicLink(tmp.resolve("one"), Path.of("two"));
        Files.createSymbolicLink(tmp.resolve("two"), Path.of("one"));
        assertThatThrownBy(() -> write(one, "x"))
                .hasMessage(one + ": cannot write: too many levels of symbolic links");
    }

    @Test
    void aDirectoryIsRefusedAndLeftAlone() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("triage.json"));
        Path link = Files.createSymbolicLink(tmp.resolve("to-dir"), dir);
        assertThatThrownBy(() -> write(dir, "x")).isInstanceOf(UserError.class)
                .hasMessage(dir + ": cannot write: is a directory");
        assertThatThrownBy(() -> write(link, "x")).hasMessage(link + ": cannot write: is a directory");
        assertThatThrownBy(() -> AtomicOutput.append(dir, "x".getBytes()))
                .hasMessage(dir + ": cannot write: is a directory");
        assertThatThrownBy(() -> AtomicOutput.check(dir)).hasMessage(dir + ": cannot write: is a directory");
        assertThat(dir).isEmptyDirectory();
        assertThat(filesIn(tmp)).isEqualTo(2);
    }

    @Test
    void aSocketIsRefused() throws IOException {
        Path socket = tmp.resolve("daemon.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            assertThatThrownBy(() -> write(socket, "x")).hasMessage(socket + ": cannot write: is a socket");
        }
    }

    @Test
    void aBlockDeviceIsRefusedWithoutOpeningIt() throws IOException {
        Path device = FileTypes.someBlockDevice().orElse(null);
        assumeTrue(device != null, "this machine has no block device under /dev");
        assertThatThrownBy(() -> write(device, "x")).hasMessage(device + ": cannot write: is a block device");
    }

    @Test
    void aReplacedFileKeepsItsMode() throws IOException {
        Path report = Files.writeString(tmp.resolve("triage.json"), "old");
        Files.setPosixFilePermissions(report, PosixFilePermissions.fromString("rw-r-----"));
        write(report, "new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(report))).isEqualTo("rw-r-----");
        assertThat(report).hasContent("new");
    }

    @Test
    void aPrivateFileIsOwnerOnlyEvenWhenItReplacesAReadableOne() throws IOException {
        Path entry = Files.writeString(tmp.resolve("entry.bin"), "old");
        Files.setPosixFilePermissions(entry, PosixFilePermissions.fromString("rw-r--r--"));
        AtomicOutput.writePrivate(entry, out -> out.write("secret".getBytes()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(entry))).isEqualTo("rw-------");
        Path fresh = tmp.resolve("fresh.bin");
        AtomicOutput.writePrivate(fresh, out -> out.write("secret".getBytes()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rw-------");
    }

    @Test
    void staleTempFilesOfAKilledRunAreRemovedByTheNextWrite() throws IOException {
        FileTime twoDaysAgo = FileTime.from(Instant.now().minus(Duration.ofDays(2)));
        Path stale = Files.writeString(tmp.resolve(".triage.json.3w5e11264sgsf.tmp"), "{\"half");
        Files.setLastModifiedTime(stale, twoDaysAgo);
        Path running = Files.writeString(tmp.resolve(".triage.json.1b2c3d.tmp"), "another run, writing now");
        Path otherTarget = Files.writeString(tmp.resolve(".other.json.3w5e11264sgsf.tmp"), "old, not ours to judge");
        Files.setLastModifiedTime(otherTarget, twoDaysAgo);
        Path lookalike = Files.writeString(tmp.resolve(".triage.json.NOT-OURS.tmp"), "a user's file");
        Files.setLastModifiedTime(lookalike, twoDaysAgo);

        write(tmp.resolve("triage.json"), "{}");

        assertThat(stale).doesNotExist();
        assertThat(running).exists();
        assertThat(otherTarget).exists();
        assertThat(lookalike).exists();
    }

    @Test
    void aFullDeviceIsAClearError() throws IOException {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.exists(full), "this machine has no /dev/full");
        assertThatThrownBy(() -> write(full, "x".repeat(100_000)))
                .isInstanceOf(UserError.class).hasMessage("/dev/full: cannot write: No space left on device");
        assertThatThrownBy(() -> AtomicOutput.append(full, "x".getBytes()))
                .isInstanceOf(UserError.class).hasMessage("/dev/full: cannot append: No space left on device");
        assertThat(FileTypes.isCharDevice(full)).isTrue();
    }

    @Test
    void appendAddsToAFileThroughItsLink() throws IOException {
        Path real = Files.writeString(tmp.resolve("step-summary.md"), "earlier step\n");
        Path link = Files.createSymbolicLink(tmp.resolve("summary"), real.getFileName());
        AtomicOutput.append(link, "this step\n".getBytes());
        AtomicOutput.append(tmp.resolve("new/created.md"), "first\n".getBytes());
        assertThat(link).isSymbolicLink();
        assertThat(real).hasContent("earlier step\nthis step\n");
        assertThat(tmp.resolve("new/created.md")).hasContent("first\n");
    }

    @Test
    void anAppendThatFillsTheDiskIsRolledBack() throws Exception {
        assumeTrue(FileTypes.isRoot(), "mounting a small tmpfs needs root");
        Path disk = Files.createDirectories(tmp.resolve("small"));
        FileTypes.run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", disk.toString());
        try {
            byte[] earlier = new byte[10_000];
            Arrays.fill(earlier, (byte) 'e');
            Path summary = Files.write(disk.resolve("summary.md"), earlier);
            byte[] tooMuch = new byte[200_000];
            Arrays.fill(tooMuch, (byte) 'x');

            assertThatThrownBy(() -> AtomicOutput.append(summary, tooMuch)).isInstanceOf(UserError.class)
                    .hasMessage(summary + ": cannot append: No space left on device; nothing was appended"
                            + " (the file is back to its previous 10000 bytes)");
            assertThat(Files.readAllBytes(summary)).isEqualTo(earlier);

            Path created = disk.resolve("new.md");
            assertThatThrownBy(() -> AtomicOutput.append(created, tooMuch))
                    .hasMessage(created + ": cannot append: No space left on device; nothing was appended"
                            + " (the file it had created is removed)");
            assertThat(created).doesNotExist();

            assertThatThrownBy(() -> write(disk.resolve("report.json"), new String(tooMuch)))
                    .hasMessageStartingWith(disk.resolve("report.json") + ": cannot write: No space left on device");
            assertThat(filesIn(disk)).as("only the summary: no temp file, no half report").isEqualTo(1);
        } finally {
            FileTypes.run("umount", disk.toString());
        }
    }
}
