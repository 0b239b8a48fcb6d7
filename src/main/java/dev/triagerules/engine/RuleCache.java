package dev.triagerules.engine;

import dev.triagerules.base.AtomicOutput;
import dev.triagerules.base.UserError;
import dev.triagerules.policy.StoredPolicy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.drools.base.common.DroolsObjectInputStream;
import org.drools.base.common.DroolsObjectOutputStream;
import org.kie.api.definition.KiePackage;

/**
 * Compiled rule packages on disk, so a run whose rules and policy are unchanged skips the
 * DRL compiler (most of the start-up cost), and with them the policy loaded from YAML
 * ({@link StoredPolicy}), so such a run reads no YAML either. One file per key; the key digests every rule
 * and policy file, the rules path, the Java version, the tool version and the tool's own
 * code ({@link ToolCodeDigest}), so any edit or rebuild misses.
 *
 * <p>Loading an entry runs the code compiled into it, so an entry is trusted only if it
 * was written by this user: its HMAC-SHA256 under the user's {@link CacheSigningKey}
 * (over the header, which names the key, and the payload) must match before anything is
 * deserialized, and deserialization then admits only Drools, KIE, MVEL, JDK and our own
 * classes. An entry that fails (corrupt, partial, made for other rules or under another
 * key) is a miss and is rebuilt and overwritten.
 *
 * <p>A cache folder that others can write, or a key that others can read, is not used at
 * all: the run compiles its rules and says once, on the warnings sink, why and how to fix
 * it. Entries are written to a temp file and renamed, so concurrent runs never see a
 * half-written one.
 */
public final class RuleCache {
    private static final byte[] MAGIC = "triage-rules compiled rules v5\n".getBytes(StandardCharsets.US_ASCII);
    private static final int KEY_LENGTH = 64; // a hex SHA-256
    private static final int HEADER_LENGTH = MAGIC.length + KEY_LENGTH + Long.BYTES;
    private static final int TAG_LENGTH = 32;
    /**
     * Entries the folder keeps: every rule or policy edit (and every tool build) stores one,
     * and nothing else removes them. Storing one removes the least recently stored beyond
     * this; a run that needs one of those again compiles and stores it anew.
     */
    static final int KEPT_ENTRIES = 32;
    private static final Pattern ENTRY_NAME = Pattern.compile("[0-9a-f]{64}\\.kpkg");
    /**
     * Larger entries are misses, not read: the bundled pack's entry is about 175 KB, and a
     * planted 3 GB file ran every run out of memory.
     */
    static final long MAX_ENTRY_BYTES = 64L << 20;
    private static final ObjectInputFilter ALLOWED = ObjectInputFilter.Config.createFilter(
            "java.**;javax.**;jdk.**;org.drools.**;org.kie.**;org.mvel2.**;dev.triagerules.**;!*");

    private final Path dir;
    private final Path signingKeyFile;
    private final Consumer<String> warnings;
    private final boolean readOnly;
    private CacheSigningKey signingKey;
    private boolean refused;

    /**
     * A cache in {@code dir} whose entries are authenticated with the key in
     * {@code signingKeyFile} (created when missing); why the cache cannot be used, if so,
     * goes once to {@code warnings} as one line.
     */
    public RuleCache(Path dir, Path signingKeyFile, Consumer<String> warnings) {
        this(dir, signingKeyFile, warnings, false);
    }

    private RuleCache(Path dir, Path signingKeyFile, Consumer<String> warnings, boolean readOnly) {
        this.dir = dir;
        this.signingKeyFile = signingKeyFile;
        this.warnings = warnings;
        this.readOnly = readOnly;
    }

    /**
     * A cache that only reads entries: it creates no signing key (no key, no entry) and
     * says nothing when it cannot be used. For {@link RulePack.Preload}, whose run may yet
     * stop on a usage error before any cache is meant to be touched.
     */
    static RuleCache readOnly(Path dir, Path signingKeyFile) {
        return new RuleCache(dir, signingKeyFile, why -> { }, true);
    }

    /** The default cache folder with the user's signing key. */
    public static RuleCache inUserCache(Consumer<String> warnings) {
        return new RuleCache(defaultDir(), defaultSigningKeyFile(), warnings);
    }

    /** {@code $XDG_CACHE_HOME/triage-rules}, else {@code ~/.cache/triage-rules}. */
    public static Path defaultDir() {
        return xdgFolder("XDG_CACHE_HOME", ".cache").resolve("triage-rules");
    }

    /** {@code $XDG_CONFIG_HOME/triage-rules/rule-cache.key}, else under {@code ~/.config}. */
    public static Path defaultSigningKeyFile() {
        return xdgFolder("XDG_CONFIG_HOME", ".config").resolve("triage-rules").resolve("rule-cache.key");
    }

    /**
     * An XDG base folder; the spec says a relative value is invalid and is ignored. Its
     * default is under {@code $HOME}, as the spec says, and under the JVM's {@code user.home}
     * only without one: that is the password file's home, which in a CI container running
     * as an arbitrary user is often {@code /} or {@code /nonexistent} while {@code $HOME} is
     * set (every run there warned that it cannot create the cache key, and compiled the rules).
     */
    private static Path xdgFolder(String variable, String underHome) {
        String value = System.getenv(variable);
        if (value != null && !value.isBlank() && Path.of(value).isAbsolute()) {
            return Path.of(value);
        }
        String home = System.getenv("HOME");
        return Path.of(home != null && !home.isBlank() && Path.of(home).isAbsolute() ? home
                : System.getProperty("user.home"), underHome);
    }

    public Path dir() {
        return dir;
    }

    public Path signingKeyFile() {
        return signingKeyFile;
    }

    public Path entry(String key) {
        return dir.resolve(key + ".kpkg");
    }

    /**
     * What an entry holds: the summary of its rules (null in an entry stored without one),
     * the policy loaded with them (null in an entry stored without one), its compiled
     * packages, and the packages of each session kind that leaves rules out (see
     * {@link SessionKinds}), each deserialized only when asked for: a run needs them for a
     * KIE base only, most runs only the classification one, and a log without failures none.
     * The entry was authenticated as a whole before anything of it was deserialized.
     */
    public static final class Entry {
        private final Path file;
        private final RulesSummary summary;
        private final StoredPolicy policy;
        private final byte[] packages;
        private final Map<String, byte[]> sessions;

        Entry(Path file, RulesSummary summary, StoredPolicy policy, byte[] packages, Map<String, byte[]> sessions) {
            this.file = file;
            this.summary = summary;
            this.policy = policy;
            this.packages = packages;
            this.sessions = sessions;
        }

        RulesSummary summary() {
            return summary;
        }

        public StoredPolicy policy() {
            return policy;
        }

        /** The compiled packages; an entry that authenticates but cannot be read is an error naming it. */
        public Collection<KiePackage> packages() {
            return read(packages);
        }

        /** The packages of each session kind (by class name) that has its own, to read when needed. */
        Map<String, Callable<Collection<KiePackage>>> sessionPackages() {
            Map<String, Callable<Collection<KiePackage>>> readers = new LinkedHashMap<>();
            sessions.forEach((kind, bytes) -> readers.put(kind, () -> read(bytes)));
            return readers;
        }

        /**
         * A section, read when needed. An entry that authenticates but cannot be read (only
         * someone with the key could make one: {@link #store} keeps no entry it could not read
         * back) is removed, so that the next run rebuilds it, and is the user's error to see.
         */
        @SuppressWarnings("unchecked")
        private Collection<KiePackage> read(byte[] section) {
            try (DroolsObjectInputStream objects = objects(section)) {
                return (Collection<KiePackage>) objects.readObject();
            } catch (IOException | ClassNotFoundException | RuntimeException e) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException | RuntimeException ignored) {
                    // the message still says what to do
                }
                throw new UserError(file + ": a compiled-rules cache entry that cannot be read (" + e
                        + "); it was removed: run again", e);
            }
        }
    }

    /** The cached packages for this key, or empty when there is no entry this user wrote for it. */
    public Optional<Collection<KiePackage>> load(String key) {
        try {
            return loadEntry(key).map(Entry::packages);
        } catch (UserError e) {
            return Optional.empty(); // unusable: the caller rebuilds and overwrites it
        }
    }

    /**
     * The cached entry for this key, or empty when there is no entry this user wrote for
     * it; its summary and policy are read, its packages when asked for.
     */
    public Optional<Entry> loadEntry(String key) {
        Path file = entry(key);
        try {
            // Not through a link, not a FIFO (it would block), not a planted giant.
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > MAX_ENTRY_BYTES) {
                return Optional.empty();
            }
            Optional<CacheSigningKey> signing = trustedSigningKey();
            if (signing.isEmpty()) {
                return Optional.empty();
            }
            byte[] bytes = Files.readAllBytes(file);
            Optional<byte[]> payload = authenticPayload(bytes, key, signing.get());
            if (payload.isEmpty()) {
                return Optional.empty();
            }
            ByteBuffer sections = ByteBuffer.wrap(payload.get());
            byte[] summaryBytes = section(sections);
            byte[] packages = section(sections);
            int sessionCount = sections.getInt();
            Map<String, byte[]> sessions = new LinkedHashMap<>();
            for (int i = 0; i < sessionCount; i++) {
                sessions.put(new String(section(sections), StandardCharsets.UTF_8), section(sections));
            }
            Entry entry;
            try (DroolsObjectInputStream objects = objects(summaryBytes)) {
                entry = new Entry(file, (RulesSummary) objects.readObject(), (StoredPolicy) objects.readObject(),
                        packages, sessions);
            }
            markUsed(file);
            return Optional.of(entry);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            return Optional.empty(); // unusable: the caller rebuilds and overwrites it
        }
    }

    /** The next length-prefixed section of a payload; one that overruns it is a malformed entry. */
    private static byte[] section(ByteBuffer payload) {
        int length = payload.getInt();
        if (length < 0 || length > payload.remaining()) {
            throw new IllegalArgumentException("section overruns the entry");
        }
        byte[] bytes = new byte[length];
        payload.get(bytes);
        return bytes;
    }

    /** A stream of an authenticated section that admits only JDK, Drools, KIE, MVEL and our classes. */
    private static DroolsObjectInputStream objects(byte[] section) throws IOException {
        DroolsObjectInputStream objects = new DroolsObjectInputStream(new ByteArrayInputStream(section),
                RuleCache.class.getClassLoader());
        objects.setObjectInputFilter(ALLOWED);
        return objects;
    }

    /**
     * The payload of an entry, if it is one for {@code key} and its tag is the HMAC of
     * everything before it under the user's key. Nothing is deserialized before this.
     */
    private static Optional<byte[]> authenticPayload(byte[] entry, String key, CacheSigningKey signing) {
        if (entry.length < HEADER_LENGTH + TAG_LENGTH) {
            return Optional.empty();
        }
        ByteBuffer in = ByteBuffer.wrap(entry);
        byte[] magic = new byte[MAGIC.length];
        byte[] storedKey = new byte[KEY_LENGTH];
        in.get(magic).get(storedKey);
        long payloadLength = in.getLong();
        int signedLength = entry.length - TAG_LENGTH;
        if (!Arrays.equals(magic, MAGIC) || !key.equals(new String(storedKey, StandardCharsets.US_ASCII))
                || payloadLength != signedLength - HEADER_LENGTH) {
            return Optional.empty();
        }
        byte[] tag = Arrays.copyOfRange(entry, signedLength, entry.length);
        if (!MessageDigest.isEqual(tag, signing.tag(entry, signedLength))) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOfRange(entry, HEADER_LENGTH, signedLength));
    }

    /** Stores packages under a key; a cache that cannot be written is not an error. */
    public boolean store(String key, Collection<KiePackage> packages) {
        return store(key, packages, Map.of(), null, null);
    }

    /**
     * Stores packages, the packages of each session kind that leaves rules out (by class
     * name), the summary of their rules and the policy loaded with them (either may be null)
     * under a key; false when it cannot. Each goes in a section of its own, the summary and
     * policy first, so that a load reads them alone and deserializes a section when asked.
     */
    public boolean store(String key, Collection<KiePackage> packages, Map<String, Collection<KiePackage>> sessions,
            RulesSummary summary, StoredPolicy policy) {
        if (readOnly) {
            return false;
        }
        try {
            OwnerOnly.createFolder(dir);
            Optional<CacheSigningKey> signing = trustedSigningKey();
            if (signing.isEmpty()) {
                return false;
            }
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            try (DroolsObjectOutputStream objects = new DroolsObjectOutputStream(first)) {
                objects.writeObject(summary);
                objects.writeObject(policy);
            }
            List<byte[]> objectSections = new ArrayList<>(List.of(first.toByteArray(), serialized(packages)));
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            writeSection(payload, objectSections.get(0));
            writeSection(payload, objectSections.get(1));
            payload.write(ByteBuffer.allocate(Integer.BYTES).putInt(sessions.size()).array());
            for (Map.Entry<String, Collection<KiePackage>> session : sessions.entrySet()) {
                byte[] section = serialized(session.getValue());
                objectSections.add(section);
                writeSection(payload, session.getKey().getBytes(StandardCharsets.UTF_8));
                writeSection(payload, section);
            }
            if (!readsBack(objectSections)) {
                return false;
            }
            byte[] body = payload.toByteArray();
            ByteBuffer out = ByteBuffer.allocate(HEADER_LENGTH + body.length + TAG_LENGTH);
            out.put(MAGIC).put(key.getBytes(StandardCharsets.US_ASCII)).putLong(body.length).put(body);
            out.put(signing.get().tag(out.array(), out.position()));
            // Owner-only like the key: entries are authenticated, but their rule code is nobody else's to read.
            // The entry's name is replaced, never followed: a link planted there (a cache folder
            // restored from elsewhere) had the entry written over its target, anywhere; a FIFO
            // there blocked the run.
            Path file = entry(key);
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(file);
            }
            AtomicOutput.writePrivate(file, stream -> stream.write(out.array()));
            removeOldEntries(entry(key));
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether every section reads back through the filter a load applies. Rules may name
     * classes the filter does not admit (a global of a logging or JSON type): such packages
     * are not stored, or every later run would fail on the entry.
     */
    private boolean readsBack(List<byte[]> sections) {
        for (byte[] section : sections) {
            try (DroolsObjectInputStream objects = objects(section)) {
                while (true) {
                    objects.readObject();
                }
            } catch (java.io.EOFException end) {
                // the whole section was read
            } catch (IOException | ClassNotFoundException | RuntimeException e) {
                warnings.accept("compiled rules not cached: they hold classes a cache entry may not load ("
                        + e.getMessage() + "); every run compiles them");
                return false;
            }
        }
        return true;
    }

    private static byte[] serialized(Collection<KiePackage> packages) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DroolsObjectOutputStream objects = new DroolsObjectOutputStream(bytes)) {
            objects.writeObject(new ArrayList<>(packages));
        }
        return bytes.toByteArray();
    }

    private static void writeSection(ByteArrayOutputStream payload, byte[] section) throws IOException {
        payload.write(ByteBuffer.allocate(Integer.BYTES).putInt(section.length).array());
        payload.write(section);
    }

    /**
     * Dates an entry that served a run to now, so that eviction keeps the entries in use:
     * the main pack's entry, stored once, would otherwise be the first to go after 32 rule
     * edits elsewhere. Best effort: a cache on a read-only folder keeps its dates.
     */
    private void markUsed(Path file) {
        if (readOnly) {
            return;
        }
        try {
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException | RuntimeException e) {
            // a date that cannot be set only makes this entry an earlier candidate for eviction
        }
    }

    /**
     * Keeps the {@link #KEPT_ENTRIES} most recently used entries (stored or loaded),
     * {@code stored} among them; best effort.
     */
    private void removeOldEntries(Path stored) {
        record Stored(Path file, long modified) {
        }
        List<Stored> others = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (!file.equals(stored) && ENTRY_NAME.matcher(file.getFileName().toString()).matches()) {
                    try {
                        others.add(new Stored(file, Files.getLastModifiedTime(file).toMillis()));
                    } catch (IOException e) {
                        // gone meanwhile (another run removed it): nothing to do
                    }
                }
            }
            if (others.size() < KEPT_ENTRIES) {
                return;
            }
            others.sort(Comparator.comparingLong(Stored::modified).reversed()
                    .thenComparing(Stored::file));
            for (Stored old : others.subList(KEPT_ENTRIES - 1, others.size())) {
                Files.deleteIfExists(old.file());
            }
        } catch (IOException | RuntimeException e) {
            // a folder that cannot be listed or cleaned only keeps more entries than it would
        }
    }

    /**
     * The user's signing key once the cache folder and the key passed their checks; empty
     * (after one warning) when they did not, for the rest of this cache's life.
     */
    private synchronized Optional<CacheSigningKey> trustedSigningKey() {
        if (signingKey != null || refused) {
            return Optional.ofNullable(signingKey);
        }
        try {
            Optional<String> folderProblem = OwnerOnly.folderProblem(dir);
            if (folderProblem.isPresent()) {
                return refuse(folderProblem.get());
            }
            if (readOnly && !Files.exists(signingKeyFile)) {
                return refuse("no signing key yet");
            }
            signingKey = CacheSigningKey.readOrCreate(signingKeyFile);
            return Optional.of(signingKey);
        } catch (CacheSigningKey.UntrustedException e) {
            return refuse(e.getMessage());
        } catch (IOException | RuntimeException e) {
            return refuse("cannot read or create its key " + signingKeyFile + ": " + e.getMessage());
        }
    }

    private Optional<CacheSigningKey> refuse(String why) {
        refused = true;
        warnings.accept("triage-rules: warning: compiled-rules cache not used (rules are compiled): " + why);
        return Optional.empty();
    }

    /** The cache key of a rules/policy pair for this tool version and code. */
    public static String key(String toolVersion, String toolCode, Path rulesDir, FileSetDigest rules,
            FileSetDigest policy) {
        List<String> parts = List.of("triage-rules " + toolVersion, "code " + toolCode,
                "java " + System.getProperty("java.version"), "rules " + rulesDir, rules.sha256(), policy.sha256());
        return FileSetDigest.sha256Hex(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
    }
}
