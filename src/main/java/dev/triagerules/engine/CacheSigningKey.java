package dev.triagerules.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret that authenticates compiled-rules cache entries: 32 random bytes in a file
 * only the user can read. An entry is loaded only when its HMAC-SHA256 under this key
 * matches, so only someone who can read the key (the user) can make an entry this tool
 * will deserialize and run.
 */
final class CacheSigningKey {
    static final int LENGTH = 32;
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    private CacheSigningKey(byte[] key) {
        this.key = new SecretKeySpec(key, ALGORITHM);
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
        String fix = "fix with rm " + OwnerOnly.shellQuoted(file) + " (the next run makes a new key and compiles anew)";
        refuseUntrusted(OwnerOnly.secretProblem(file, fix));
        byte[] key = Files.readAllBytes(file);
        if (key.length != LENGTH) {
            throw new UntrustedException(file + " is not a key of " + LENGTH + " bytes: " + fix);
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

    /** HMAC-SHA256 of {@code bytes[0, length)}. */
    byte[] tag(byte[] bytes, int length) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(bytes, 0, length);
            return mac.doFinal();
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JDK has " + ALGORITHM, e);
        }
    }
}
