package dev.triagerules.ledger;

import dev.triagerules.base.Await;
import dev.triagerules.base.UserError;
import dev.triagerules.input.InputOpener;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * SHA-256 of each input log as stored (the bytes of the file, compressed or not, as
 * {@code sha256sum} prints it), computed in the background while the run reads the logs.
 * Only a regular file can be read twice: stdin ({@code -}), a FIFO or a device is recorded
 * without a digest (reading it here would take its bytes from the triage).
 *
 * <p>Why a second read, and why {@code openssl}: measured on the 370 MB bench log (2 cores,
 * JDK 17, CPU time = user + system), the JDK's SHA-256 costs 4.1 s of CPU under the
 * launcher's C1-only JIT (the SHA intrinsics are C2's; with C2 it is 0.35 s, but the
 * launcher stays on C1 because the whole run is faster so), {@code openssl dgst -sha256}
 * 0.4 s, its second read of the file coming from the page cache. Hashing the bytes the
 * reader already reads would save that read but run the JDK's SHA-256 in this process at
 * C1 speed, ten times the cost. So {@code openssl} is used when it is on the PATH, the JDK
 * otherwise (same digest, slower).
 */
public final class InputDigests {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private final CompletableFuture<List<RunFacts.InputFile>> digests;

    private InputDigests(CompletableFuture<List<RunFacts.InputFile>> digests) {
        this.digests = digests;
    }

    /** Starts digesting the inputs on a background thread. */
    public static InputDigests start(List<String> inputs) {
        List<String> copy = List.copyOf(inputs);
        CompletableFuture<List<RunFacts.InputFile>> future = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                List<RunFacts.InputFile> files = new ArrayList<>();
                for (String input : copy) {
                    boolean rereadable = !InputOpener.STDIN.equals(input) && Files.isRegularFile(Path.of(input));
                    files.add(new RunFacts.InputFile(input, rereadable ? sha256(Path.of(input)) : null));
                }
                future.complete(files);
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        }, "triage-rules-input-digests");
        thread.setDaemon(true);
        thread.start();
        return new InputDigests(future);
    }

    /** No inputs to digest: for a run judged against the ledger and not recorded. */
    public static InputDigests none() {
        return new InputDigests(CompletableFuture.completedFuture(List.of()));
    }

    /** Waits for the digests. */
    public List<RunFacts.InputFile> await() {
        return Await.result(digests, "the input digests");
    }

    /** Lowercase hex SHA-256 of a file's bytes. */
    static String sha256(Path file) {
        String digest = opensslSha256(file);
        return digest != null ? digest : jdkSha256(file);
    }

    /** Null when openssl is not there or says something unexpected. */
    static String opensslSha256(Path file) {
        try {
            Process process = new ProcessBuilder("openssl", "dgst", "-sha256", "-r")
                    .redirectInput(file.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                return null;
            }
            String text = new String(out, StandardCharsets.US_ASCII);
            String hex = text.length() >= 64 ? text.substring(0, 64) : "";
            return HEX64.matcher(hex).matches() ? hex : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static String jdkSha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UserError(file + ": cannot read for its digest: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
