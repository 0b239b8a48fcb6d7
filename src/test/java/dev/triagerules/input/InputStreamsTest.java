package dev.triagerules.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triagerules.base.UserError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any readable stream is a log: files, FIFOs, gzip (one member or several) over either;
 * a broken stream says what is wrong and the line it had reached.
 */
class InputStreamsTest {
    private static final String PASSING = JsonlReaderTest.ENTRY.replace("\"outcome\":\"fail\"", "\"outcome\":\"pass\"");

    @TempDir
    Path tmp;

    /** {@code lines} log lines: every tenth fails, with its line number as its seed. */
    private static String log(int lines) {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= lines; i++) {
            String line = i % 10 == 0 ? JsonlReaderTest.ENTRY : PASSING;
            text.append(line.replace("\"seed\":7", "\"seed\":" + i)).append('\n');
        }
        return text.toString();
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    /** The seeds of the failures read from {@code input}, through the same opener the CLI uses. */
    private static List<Long> failedSeeds(String input) {
        List<Long> seeds = new ArrayList<>();
        new JsonlRun(input).read(Selection.failures(null), ReadOptions.DEFAULT, (e, line) -> seeds.add(e.seed()),
                null);
        return seeds;
    }

    private static List<Long> expectedSeeds(int lines) {
        List<Long> seeds = new ArrayList<>();
        for (long i = 10; i <= lines; i += 10) {
            seeds.add(i);
        }
        return seeds;
    }

    private static String readError(String input) {
        return assertThatThrownBy(() -> failedSeeds(input)).isInstanceOf(UserError.class).actual().getMessage();
    }

    @Test
    void concatenatedGzipMembersAreOneLog() throws IOException {
        String first = log(30);
        String second = log(50).substring(first.length());
        Path file = tmp.resolve("log.jsonl.gz");
        Files.write(file, concat(gzip(first), gzip(second)));
        assertThat(failedSeeds(file.toString())).isEqualTo(expectedSeeds(50));
    }

    @Test
    void trailingZeroPaddingAfterTheLastMemberIsIgnoredAsGzipDoes() throws IOException {
        Path file = Files.write(tmp.resolve("log.jsonl.gz"), concat(gzip(log(20)), new byte[512]));
        assertThat(failedSeeds(file.toString())).isEqualTo(expectedSeeds(20));
    }

    /**
     * A FIFO: once "Illegal seek". The second gzip member arrives after a pause, when the pipe
     * is empty: a reader that asks available() whether another member follows loses it.
     */
    @Test
    void aFifoIsReadAsItIsWrittenGzipMembersAndAll() throws Exception {
        Path fifo = mkfifo("log.fifo");
        String first = log(30);
        String second = log(60).substring(first.length());
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                out.write(gzip(first));
                out.flush();
                Thread.sleep(300);
                out.write(gzip(second));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(failedSeeds(fifo.toString())).isEqualTo(expectedSeeds(60));
        writer.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aPlainLogThroughAFifo() throws Exception {
        Path fifo = mkfifo("plain.fifo");
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                byte[] text = log(2000).getBytes(StandardCharsets.UTF_8);
                for (int at = 0; at < text.length; at += 4096) {
                    out.write(text, at, Math.min(4096, text.length - at)); // in pieces, as a producer would
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(failedSeeds(fifo.toString())).isEqualTo(expectedSeeds(2000));
        writer.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aTruncatedGzipNamesTheLineItReached() throws IOException {
        String text = log(3000);
        byte[] whole = gzip(text);
        Path file = Files.write(tmp.resolve("cut.jsonl.gz"), Arrays.copyOf(whole, whole.length / 2));
        String message = readError(file.toString());
        assertThat(message).matches("\\Q" + file + "\\E:(\\d+): truncated gzip stream: it ends inside member 1, "
                + "after \\d+ compressed bytes; the log was read up to line \\1 \\(\\d+ bytes\\)");
        long line = Long.parseLong(message.substring(file.toString().length() + 1, message.indexOf(": trunc")));
        long bytes = Long.parseLong(message.substring(message.lastIndexOf('(') + 1, message.lastIndexOf(" bytes)")));
        // The line named is the one the reader was in: the lines before it were all read.
        byte[] plain = text.getBytes(StandardCharsets.UTF_8);
        assertThat(bytes).isBetween(1L, (long) plain.length - 1);
        assertThat(line).isEqualTo(1 + new String(plain, 0, (int) bytes, StandardCharsets.UTF_8).chars()
                .filter(c -> c == '\n').count());
    }

    @Test
    void aTruncatedHeaderOfALaterMemberIsNotTakenForTheEnd() throws IOException {
        byte[] second = gzip(log(5));
        Path file = Files.write(tmp.resolve("cut.jsonl.gz"), concat(gzip(log(20)), Arrays.copyOf(second, 5)));
        assertThat(readError(file.toString())).isEqualTo(file + ":21: truncated gzip stream: it ends inside member 2,"
                + " after " + Files.size(file) + " compressed bytes; the log was read up to line 21 ("
                + log(20).length() + " bytes)");
    }

    @Test
    void anInvalidLineBeforeTheBreakIsReportedFirst() throws IOException {
        String text = log(50).replace("\"seed\":25,", "\"seed\":-25,");
        byte[] whole = gzip(text);
        Path file = Files.write(tmp.resolve("cut.jsonl.gz"), Arrays.copyOf(whole, whole.length - 3));
        assertThat(readError(file.toString())).startsWith(file + ":25:").contains("field \"seed\"");
    }

    @Test
    void corruptGzipSaysWhatIsWrong() throws IOException {
        byte[] good = gzip(log(40));
        byte[] badMethod = good.clone();
        badMethod[2] = 9;
        assertThat(readError(write("method.gz", badMethod)))
                .startsWith(tmp.resolve("method.gz") + ":1: not a valid gzip stream: member 1 uses compression"
                        + " method 9, not deflate (8); the log was read up to line 1 (0 bytes)");

        byte[] badCrc = good.clone();
        badCrc[badCrc.length - 6] ^= 0x55;
        assertThat(readError(write("crc.gz", badCrc)))
                .isEqualTo(tmp.resolve("crc.gz") + ":41: not a valid gzip stream: member 1 fails its CRC-32 check"
                        + " (corrupt data); the log was read up to line 41 (" + log(40).length() + " bytes)");

        byte[] badData = good.clone();
        for (int i = 10; i < 30; i++) {
            badData[i] = (byte) 0xff;
        }
        assertThat(readError(write("data.gz", badData)))
                .startsWith(tmp.resolve("data.gz") + ":1: not a valid gzip stream: corrupt data in member 1 (");

        assertThat(readError(write("garbage.gz", concat(good, "garbage\n".getBytes(StandardCharsets.UTF_8)))))
                .isEqualTo(tmp.resolve("garbage.gz") + ":41: not a valid gzip stream: unexpected data after member 1"
                        + " at byte " + good.length + " (not a gzip header); the log was read up to line 41 ("
                        + log(40).length() + " bytes)");
    }

    @Test
    void aFolderOrAMissingFileIsAClearError() throws IOException {
        assertThat(readError(tmp.toString())).startsWith(tmp + ": is a folder");
        assertThat(readError(tmp.resolve("nope.jsonl").toString())).isEqualTo(tmp.resolve("nope.jsonl")
                + ": no such file");
    }

    private String write(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes).toString();
    }

    private Path mkfifo(String name) throws IOException, InterruptedException {
        Path fifo = tmp.resolve(name);
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).as("mkfifo").isZero();
        return fifo;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
