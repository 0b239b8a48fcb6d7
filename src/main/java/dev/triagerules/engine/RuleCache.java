package dev.triagerules.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.drools.base.common.DroolsObjectInputStream;
import org.drools.base.common.DroolsObjectOutputStream;
import org.kie.api.definition.KiePackage;

/**
 * Compiled rule packages on disk, so a run whose rules and policy are unchanged skips the
 * DRL compiler (most of the start-up cost). One file per key; the key digests every rule
 * and policy file, the rules path, the Java version, the tool version and the tool's own
 * code ({@link ToolCodeDigest}), so any edit or rebuild misses.
 *
 * <p>An entry is trusted only if its header names the expected key and the SHA-256 of
 * its payload matches; deserialization accepts only Drools, KIE, MVEL, JDK and our own
 * classes. Anything else (corrupt, partial, foreign, from another version) is a miss and
 * is rebuilt. Entries are written to a temp file and renamed, so concurrent runs never see
 * a half-written entry.
 */
public final class RuleCache {
    private static final byte[] MAGIC = "triage-rules compiled rules v1\n".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectInputFilter ALLOWED = ObjectInputFilter.Config.createFilter(
            "java.**;javax.**;jdk.**;org.drools.**;org.kie.**;org.mvel2.**;dev.triagerules.**;!*");

    private final Path dir;

    public RuleCache(Path dir) {
        this.dir = dir;
    }

    /** {@code $XDG_CACHE_HOME/triage-rules}, else {@code ~/.cache/triage-rules}. */
    public static RuleCache inUserCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".cache");
        return new RuleCache(base.resolve("triage-rules"));
    }

    public Path dir() {
        return dir;
    }

    public Path entry(String key) {
        return dir.resolve(key + ".kpkg");
    }

    /** The cached packages for this key, or empty when there is no trustworthy entry. */
    @SuppressWarnings("unchecked")
    public Optional<Collection<KiePackage>> load(String key) {
        Path file = entry(key);
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            byte[] bytes = Files.readAllBytes(file);
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte[] magic = new byte[MAGIC.length];
            byte[] storedKey = new byte[64];
            byte[] storedSha = new byte[32];
            if (bytes.length < MAGIC.length + 64 + 32 + 4) {
                return Optional.empty();
            }
            in.get(magic).get(storedKey).get(storedSha);
            int length = in.getInt();
            if (!Arrays.equals(magic, MAGIC) || !key.equals(new String(storedKey, StandardCharsets.US_ASCII))
                    || length != in.remaining()) {
                return Optional.empty();
            }
            byte[] payload = Arrays.copyOfRange(bytes, in.position(), bytes.length);
            if (!Arrays.equals(storedSha, sha256(payload))) {
                return Optional.empty();
            }
            try (DroolsObjectInputStream objects = new DroolsObjectInputStream(
                    new ByteArrayInputStream(payload), RuleCache.class.getClassLoader())) {
                objects.setObjectInputFilter(ALLOWED);
                return Optional.of((Collection<KiePackage>) objects.readObject());
            }
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            return Optional.empty(); // untrustworthy: the caller rebuilds and overwrites it
        }
    }

    /** Stores packages under a key; a cache that cannot be written is not an error. */
    public boolean store(String key, Collection<KiePackage> packages) {
        try {
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            try (DroolsObjectOutputStream objects = new DroolsObjectOutputStream(payload)) {
                objects.writeObject(new ArrayList<>(packages));
            }
            byte[] body = payload.toByteArray();
            ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 64 + 32 + 4 + body.length);
            out.put(MAGIC).put(key.getBytes(StandardCharsets.US_ASCII)).put(sha256(body)).putInt(body.length)
                    .put(body);
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, key + ".", ".tmp");
            try {
                Files.write(temp, out.array());
                try {
                    Files.move(temp, entry(key), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, entry(key), StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The cache key of a rules/policy pair for this tool version and code. */
    public static String key(String toolVersion, String toolCode, Path rulesDir, FileSetDigest rules,
            FileSetDigest policy) {
        List<String> parts = List.of("triage-rules " + toolVersion, "code " + toolCode,
                "java " + System.getProperty("java.version"), "rules " + rulesDir, rules.sha256(), policy.sha256());
        return FileSetDigest.sha256Hex(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
