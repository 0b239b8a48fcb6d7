package dev.triagerules.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The secret that authenticates compiled-rules cache entries: 32 random bytes in a file
 * only the user can read. An entry is loaded only when its HMAC-SHA256 under this key
 * matches, so only someone who can read the key (the user) can make an entry this tool
 * will deserialize and run.
 */
final class CacheSigningKey {
    static final int LENGTH = 32;
    private static final int BLOCK = 64; // SHA-256's block size, which the key is padded to
    private static final byte INNER_PAD = 0x36;
    private static final byte OUTER_PAD = 0x5c;

    private final byte[] key;

    private CacheSigningKey(byte[] key) {
        this.key = key.clone();
    }

    /** Why a cache signed by this key file cannot be trusted. */
    static final class UntrustedException extends Exception {
        private static final long serialVersionUID = 1L;

        UntrustedException(String why) {
            super(why);
        }
    }

    /**
     * Reads the key, first creating it (and its folder) when there is none. Creation is
     * atomic: the key is written in full to a private temp file, then hard-linked to its
     * name, which fails if another run got there first; then both runs read the winner's.
     */
    static CacheSigningKey readOrCreate(Path file) throws IOException, UntrustedException {
        Path folder = file.toAbsolutePath().getParent();
        if (!Files.exists(file)) {
            OwnerOnly.createFolder(folder);
            refuseUntrusted(OwnerOnly.folderProblem(folder));
            create(file, folder);
        } else {
            refuseUntrusted(OwnerOnly.folderProblem(folder));
        }
        Supplier<String> fix = () -> "fix with rm " + OwnerOnly.shellQuoted(file)
                + " (the next run makes a new key and compiles anew)";
        refuseUntrusted(OwnerOnly.secretProblem(file, fix));
        // Looked at before it is read: a FIFO there blocked every run, and a 3 GB file ran it
        // out of memory instead of being refused as no key.
        if (!Files.isRegularFile(file)) {
            throw new UntrustedException(file + " is not a regular file: " + fix.get());
        }
        if (Files.size(file) != LENGTH) {
            throw new UntrustedException(file + " is not a key of " + LENGTH + " bytes: " + fix.get());
        }
        byte[] key = Files.readAllBytes(file);
        if (key.length != LENGTH) {
            throw new UntrustedException(file + " is not a key of " + LENGTH + " bytes: " + fix.get());
        }
        return new CacheSigningKey(key);
    }

    private static void create(Path file, Path folder) throws IOException {
        byte[] key = new byte[LENGTH];
        new SecureRandom().nextBytes(key);
        Path temp;
        try {
            temp = Files.createTempFile(folder, ".new-key.", ".tmp", OwnerOnly.PRIVATE_FILE);
        } catch (UnsupportedOperationException e) {
            temp = Files.createTempFile(folder, ".new-key.", ".tmp");
        }
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(key));
                channel.force(true); // never a named but empty key after a crash
            }
            try {
                Files.createLink(file, temp);
            } catch (FileAlreadyExistsException e) {
                // another run made it first: use theirs
            } catch (UnsupportedOperationException | FileSystemException e) { // no hard links here
                createWithoutLinks(file, key);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Where hard links are not supported: exclusive create, which a concurrent reader may see half-written. */
    private static void createWithoutLinks(Path file, byte[] key) throws IOException {
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), OwnerOnly.PRIVATE_FILE)) {
            channel.write(ByteBuffer.wrap(key));
            channel.force(true);
        } catch (FileAlreadyExistsException e) {
            // another run made it first: use theirs
        }
    }

    private static void refuseUntrusted(Optional<String> problem) throws UntrustedException {
        if (problem.isPresent()) {
            throw new UntrustedException(problem.get());
        }
    }

    /**
     * HMAC-SHA256 (RFC 2104) of {@code bytes[0, length)}. Written over MessageDigest rather
     * than javax.crypto.Mac because loading the JCE provider for a first Mac cost 60-90 ms
     * of CPU in a cold JVM here, this whole function about 1 ms; a test checks it against Mac.
     */
    byte[] tag(byte[] bytes, int length) {
        MessageDigest sha256 = sha256();
        byte[] pad = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            pad[i] = (byte) ((i < key.length ? key[i] : 0) ^ INNER_PAD);
        }
        sha256.update(pad);
        sha256.update(bytes, 0, length);
        byte[] inner = sha256.digest();
        for (int i = 0; i < BLOCK; i++) {
            pad[i] ^= INNER_PAD ^ OUTER_PAD;
        }
        sha256.update(pad);
        sha256.update(inner);
        return sha256.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
