package dev.triagerules.engine;

import dev.triagerules.base.FileTrees;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.triagerules.base.Problem;
import dev.triagerules.base.ToolVersion;
import dev.triagerules.base.UserError;
import dev.triagerules.cli.CliRunner;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kie.api.definition.KiePackage;

/**
 * The compiled-rules cache: any edit misses, nothing untrustworthy is loaded, only entries
 * this user wrote run, results never differ.
 */
class RuleCacheTest {
    @TempDir
    Path tmp;

    Path rules;
    Path policy;
    Path cacheDir;
    Path keyFile;
    List<String> warnings = new CopyOnWriteArrayList<>();
    RuleCache cache;

    @BeforeEach
    void copyPack() throws IOException {
        rules = FileTrees.copy(Path.of("rules"), tmp.resolve("rules"));
        policy = FileTrees.copy(Path.of("policy"), tmp.resolve("policy"));
        cacheDir = tmp.resolve("cache");
        keyFile = tmp.resolve("config").resolve("triage-rules").resolve("rule-cache.key");
        cache = newCache();
    }

    @Test
    void secondLoadComesFromTheCache() {
        assertFalse(load().rules().fromCache());
        assertTrue(load().rules().fromCache());
        assertThat(warnings).isEmpty();
    }

    @Test
    void storingAnEntryRemovesTheLeastRecentlyStoredBeyondTheKeptNumber() throws IOException {
        Files.createDirectories(cacheDir);
        List<Path> earlier = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < RuleCache.KEPT_ENTRIES + 5; i++) { // earlier entries, oldest first
            Path entry = cacheDir.resolve(String.format("%064x", i) + ".kpkg");
            Files.writeString(entry, "an entry of earlier rules");
            Files.setLastModifiedTime(entry, java.nio.file.attribute.FileTime.fromMillis(now - 3_600_000L + i * 1000L));
            earlier.add(entry);
        }
        Path notAnEntry = Files.writeString(cacheDir.resolve("notes.txt"), "not the cache's");

        assertFalse(load().rules().fromCache()); // compiles and stores
        assertTrue(load().rules().fromCache(), "the entry just stored is kept");
        try (Stream<Path> files = Files.list(cacheDir)) {
            List<Path> kept = files.filter(file -> file.toString().endsWith(".kpkg")).toList();
            assertThat(kept).hasSize(RuleCache.KEPT_ENTRIES)
                    .containsAll(earlier.subList(earlier.size() - (RuleCache.KEPT_ENTRIES - 1), earlier.size()))
                    .doesNotContainAnyElementsOf(earlier.subList(0, earlier.size() - (RuleCache.KEPT_ENTRIES - 1)));
        }
        assertThat(notAnEntry).exists();
    }

    @Test
    void anEntryThatServesRunsIsKeptThoughStoredBeforeTheOthers() throws IOException {
        assertFalse(load().rules().fromCache()); // stores the pack's entry
        Path inUse;
        try (Stream<Path> files = Files.list(cacheDir)) {
            inUse = files.filter(file -> file.toString().endsWith(".kpkg")).findFirst().orElseThrow();
        }
        long now = System.currentTimeMillis();
        Files.setLastModifiedTime(inUse, java.nio.file.attribute.FileTime.fromMillis(now - 7_200_000L));
        for (int i = 0; i < RuleCache.KEPT_ENTRIES + 5; i++) { // stored after it, by other packs
            Path entry = cacheDir.resolve(String.format("%064x", i) + ".kpkg");
            Files.writeString(entry, "an entry of other rules");
            Files.setLastModifiedTime(entry, java.nio.file.attribute.FileTime.fromMillis(now - 3_600_000L + i * 1000L));
        }

        assertTrue(load().rules().fromCache(), "served from the cache, which dates it to now");
        append(rules.resolve("tensor-meta-state.drl"), "\n// an edit: one more entry stored, the oldest go\n");
        assertFalse(load().rules().fromCache());

        assertThat(inUse).exists();
    }

    @Test
    void editingAnyRuleFileMisses() throws IOException {
        load();
        append(rules.resolve("tensor-meta-state.drl"), "\n// a comment is an edit too\n");
        assertFalse(load().rules().fromCache());
        assertTrue(load().rules().fromCache());
    }

    @Test
    void editingAnyPolicyFileMisses() throws IOException {
        load();
        append(policy.resolve("classes.yaml"), "\n# reviewed\n");
        assertFalse(load().rules().fromCache());
    }

    @Test
    void anotherBuildOfTheToolMisses() {
        String before = key("code digest of one build");
        String after = key("code digest of the next build");
        assertThat(before).isNotEqualTo(after);
        assertTrue(cache.store(before, compiledPackages(rules)));
        assertTrue(newCache().load(before).isPresent());
        assertFalse(newCache().load(after).isPresent());
    }

    @Test
    void anEditIsSeenByTheRunsThatFollow() throws IOException {
        assertEquals("unclassified", classify(load(), "hook_trace_mismatch"));
        writeRulesClassifyingHookTrace(rules);
        assertEquals("autograd_state", classify(load(), "hook_trace_mismatch"));
        assertEquals("autograd_state", classify(load(), "hook_trace_mismatch"), "and from the cache");
    }

    @Test
    void corruptTruncatedOrForeignEntriesAreRebuilt() throws IOException {
        load();
        Path entry = onlyEntry();
        byte[] good = Files.readAllBytes(entry);
        for (byte[] bad : List.of(new byte[0], "garbage".getBytes(), java.util.Arrays.copyOf(good, good.length / 2),
                flipped(good, good.length - 10), flipped(good, 40), flipped(good, 200))) {
            Files.write(entry, bad);
            RulePack pack = load();
            assertFalse(pack.rules().fromCache(), "an untrustworthy entry is not used");
            assertEquals("dispatch_routing", classify(pack, "keyset_conflict"));
            assertTrue(load().rules().fromCache(), "and it was rewritten");
        }
        assertThat(warnings).isEmpty();
    }

    /**
     * The attack of issue 13: rules compiled elsewhere, put under the clean rules' key by
     * someone who can write the cache folder but not read the user's key.
     */
    @Test
    void anEntryMadeUnderAnotherKeyIsNotRun() throws IOException {
        String cleanKey = cleanKey();
        Path otherRules = FileTrees.copy(rules, tmp.resolve("other-rules"));
        writeRulesClassifyingHookTrace(otherRules);
        RuleCache attacker = new RuleCache(tmp.resolve("attacker-cache"), tmp.resolve("attacker.key"), warnings::add);
        assertTrue(attacker.store(cleanKey, compiledPackages(otherRules)));
        assertTrue(attacker.load(cleanKey).isPresent(), "a well-formed entry, valid under the attacker's key");
        Files.copy(attacker.entry(cleanKey), cache.entry(cleanKey), StandardCopyOption.REPLACE_EXISTING);

        RulePack pack = load();
        assertFalse(pack.rules().fromCache());
        assertEquals("unclassified", classify(pack, "hook_trace_mismatch"), "the clean rules ran");
        assertTrue(load().rules().fromCache(), "and the entry was rebuilt");
        assertEquals("unclassified", classify(load(), "hook_trace_mismatch"));
        assertThat(warnings).isEmpty();
    }

    @Test
    void anEntryThisUserMadeForOtherRulesIsNotRunUnderTheCleanKey() throws IOException {
        String cleanKey = cleanKey();
        Path otherRules = FileTrees.copy(rules, tmp.resolve("other-rules"));
        writeRulesClassifyingHookTrace(otherRules);
        assertFalse(RulePack.load(otherRules, policy, newCache()).rules().fromCache());
        Path otherEntry;
        try (Stream<Path> files = Files.list(cacheDir)) {
            otherEntry = files.filter(file -> !file.equals(cache.entry(cleanKey))).findFirst().orElseThrow();
        }
        Files.copy(otherEntry, cache.entry(cleanKey), StandardCopyOption.REPLACE_EXISTING);

        RulePack pack = load();
        assertFalse(pack.rules().fromCache());
        assertEquals("unclassified", classify(pack, "hook_trace_mismatch"));
    }

    /** Serializable, with a side effect on deserialization: shows whether an entry was deserialized. */
    static final class Tripwire implements Serializable {
        private static final long serialVersionUID = 1L;
        static final AtomicBoolean TRIPPED = new AtomicBoolean();

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            TRIPPED.set(true);
        }
    }

    @Test
    void nothingIsDeserializedBeforeTheEntryIsAuthenticated() throws IOException {
        String cleanKey = cleanKey();
        RuleCache attacker = new RuleCache(tmp.resolve("attacker-cache"), tmp.resolve("attacker.key"), warnings::add);
        assertTrue(attacker.store(cleanKey, tripwires()));
        Files.copy(attacker.entry(cleanKey), cache.entry(cleanKey), StandardCopyOption.REPLACE_EXISTING);
        Tripwire.TRIPPED.set(false);
        assertFalse(cache.load(cleanKey).isPresent());
        assertFalse(Tripwire.TRIPPED.get(), "the foreign entry was not deserialized");

        assertTrue(newCache().store(cleanKey, tripwires()));
        newCache().load(cleanKey);
        assertTrue(Tripwire.TRIPPED.get(), "the same entry under the user's key is (so the tripwire works)");
        Tripwire.TRIPPED.set(false);
    }

    @Test
    void anEntrysPackagesAreDeserializedOnlyWhenAskedFor() throws IOException {
        String cleanKey = cleanKey();
        RulesSummary summary = new RulesSummary(java.util.Set.of("autograd_state"), false,
                java.util.Set.of(Failure.class.getName()));
        assertTrue(newCache().store(cleanKey, tripwires(), Map.of(), summary, null));
        Tripwire.TRIPPED.set(false);

        RuleCache.Entry entry = newCache().loadEntry(cleanKey).orElseThrow();
        assertThat(entry.summary()).isEqualTo(summary);
        assertFalse(Tripwire.TRIPPED.get(), "a run that needs no KIE base reads no package");
        entry.packages();
        assertTrue(Tripwire.TRIPPED.get(), "the packages, when asked for");
        Tripwire.TRIPPED.set(false);
    }

    /**
     * Authentic (written with the user's key) but not readable: only someone with the key, or
     * a bug, could make one. It reads back while stored and breaks afterwards.
     */
    static final class Unreadable implements Serializable {
        private static final long serialVersionUID = 1L;
        static final AtomicBoolean BROKEN = new AtomicBoolean();

        private void readObject(ObjectInputStream in) throws IOException {
            if (BROKEN.get()) {
                throw new java.io.InvalidObjectException("cannot be read");
            }
        }
    }

    @Test
    void packagesThatCannotBeReadAreAnErrorNamingTheEntryWhichIsRemoved() throws IOException {
        String cleanKey = cleanKey();
        assertTrue(newCache().store(cleanKey, (Collection) List.of(new Unreadable()), Map.of(),
                new RulesSummary(java.util.Set.of(), false, java.util.Set.of()), null));
        Unreadable.BROKEN.set(true);
        try {
            RuleCache.Entry entry = newCache().loadEntry(cleanKey).orElseThrow();
            org.assertj.core.api.Assertions.assertThatThrownBy(entry::packages).isInstanceOf(UserError.class)
                    .hasMessageContaining(cache.entry(cleanKey) + ": a compiled-rules cache entry that cannot be read")
                    .hasMessageEndingWith("it was removed: run again");
            assertThat(cache.entry(cleanKey)).as("the next run rebuilds it").doesNotExist();
        } finally {
            Unreadable.BROKEN.set(false);
        }
    }

    @Test
    void packagesTheCacheCouldNotLoadAreNotStored() throws IOException {
        // A global of a type the load filter does not admit: stored, every later run failed on it.
        Path drl = rules.resolve("autograd-state.drl");
        Files.writeString(drl, Files.readString(drl).replace("import dev.triagerules.engine.Failure;",
                "import dev.triagerules.engine.Failure;\nimport org.slf4j.Logger;\nglobal Logger logger;"));
        for (int run = 0; run < 2; run++) {
            RulePack pack = load();
            assertFalse(pack.rules().fromCache(), "run " + run);
            assertEquals("dispatch_routing", classify(pack, "keyset_conflict"));
        }
        assertThat(warnings).hasSize(2).allSatisfy(warning -> assertThat(warning).startsWith(
                "compiled rules not cached: they hold classes a cache entry may not load (").endsWith(
                "); every run compiles them"));
        try (Stream<Path> entries = Files.list(cacheDir)) {
            assertThat(entries.filter(file -> file.toString().endsWith(".kpkg"))).isEmpty();
        }
    }

    @Test
    void aLinkAFifoOrAGiantAtAnEntrysNameIsReplacedNeverFollowedOrRead() throws Exception {
        load();
        Path entry = onlyEntry();
        Path outside = Files.writeString(tmp.resolve("notes.txt"), "important");

        Files.delete(entry);
        Files.createSymbolicLink(entry, outside);
        assertFalse(load().rules().fromCache(), "a link is no entry");
        assertThat(outside).hasContent("important");
        assertTrue(Files.isRegularFile(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the link was replaced");

        Files.delete(entry);
        Files.createSymbolicLink(entry, tmp.resolve("new").resolve("created.bin"));
        load();
        assertThat(tmp.resolve("new")).doesNotExist();

        Files.delete(entry);
        assertEquals(0, new ProcessBuilder("mkfifo", entry.toString()).start().waitFor());
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
            assertFalse(load().rules().fromCache(), "a FIFO is neither read nor written");
        });
        assertTrue(Files.isRegularFile(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS));

        try (java.io.RandomAccessFile giant = new java.io.RandomAccessFile(entry.toFile(), "rw")) {
            giant.setLength(RuleCache.MAX_ENTRY_BYTES + 1); // sparse: no disk used
        }
        assertFalse(load().rules().fromCache(), "a giant is a miss, not read");
        assertThat(Files.size(entry)).isLessThan(RuleCache.MAX_ENTRY_BYTES);
        assertTrue(load().rules().fromCache());
        assertThat(warnings).isEmpty();
    }

    @Test
    void aKeyThatIsAFifoOrAGiantIsRefusedUnread() throws Exception {
        load();
        Files.delete(keyFile);
        assertEquals(0, new ProcessBuilder("mkfifo", "-m", "600", keyFile.toString()).start().waitFor());
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
            assertFalse(load().rules().fromCache());
        });
        assertThat(warnings).singleElement().asString().endsWith(keyFile + " is not a regular file: fix with rm "
                + keyFile + " (the next run makes a new key and compiles anew)");

        warnings.clear();
        Files.delete(keyFile);
        try (java.io.RandomAccessFile giant = new java.io.RandomAccessFile(keyFile.toFile(), "rw")) {
            giant.setLength(3L << 30); // sparse
        }
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        assertFalse(load().rules().fromCache());
        assertThat(warnings).singleElement().asString().endsWith(keyFile + " is not a key of 32 bytes: fix with rm "
                + keyFile + " (the next run makes a new key and compiles anew)");
    }

    @Test
    void aMissingKeyIsCreatedForTheUserAlone() throws IOException {
        assertThat(keyFile).doesNotExist();
        assertFalse(load().rules().fromCache(), "no key is needed to miss");
        assertThat(Files.readAllBytes(keyFile)).hasSize(32);
        assertThat(permissions(keyFile)).isEqualTo("rw-------");
        assertThat(permissions(keyFile.getParent())).isEqualTo("rwx------");
        assertThat(permissions(cacheDir)).isEqualTo("rwx------");
        assertThat(permissions(onlyEntry())).isEqualTo("rw-------");

        Files.delete(keyFile);
        assertFalse(load().rules().fromCache(), "entries made under the old key miss");
        assertThat(Files.readAllBytes(keyFile)).hasSize(32);
        assertTrue(load().rules().fromCache(), "and are rebuilt under the new one");
        assertThat(warnings).isEmpty();
    }

    @Test
    void concurrentFirstRunsMakeOneKey() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 20; round++) {
                Path file = tmp.resolve("round-" + round).resolve("triage-rules").resolve("rule-cache.key");
                CyclicBarrier start = new CyclicBarrier(8);
                List<Future<byte[]>> runs = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    runs.add(pool.submit(() -> {
                        start.await();
                        return CacheSigningKey.readOrCreate(file).tag(new byte[] {42}, 1);
                    }));
                }
                byte[] expected = CacheSigningKey.readOrCreate(file).tag(new byte[] {42}, 1);
                for (Future<byte[]> run : runs) {
                    assertThat(run.get()).as("round %d", round).isEqualTo(expected);
                }
                try (Stream<Path> files = Files.list(file.getParent())) {
                    assertThat(files.toList()).as("one key, no temp files left").containsExactly(file);
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void concurrentRunsLeaveAUsableEntry() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<RulePack>> runs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                runs.add(pool.submit(() -> RulePack.load(rules, policy, newCache())));
            }
            for (Future<RulePack> run : runs) {
                assertEquals("oracle_infra", classify(run.get(), "oracle_dispatch_error"));
            }
        } finally {
            pool.shutdown();
        }
        assertTrue(load().rules().fromCache());
        try (Stream<Path> files = Files.list(cacheDir)) {
            assertEquals(1, files.count(), "one entry, no temp files left");
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void aCacheFolderOthersCanWriteIsNotUsed() throws IOException {
        String cleanKey = cleanKey();
        Files.setPosixFilePermissions(cacheDir, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertFalse(load().rules().fromCache(), "not read");
        assertThat(warnings).containsExactly("triage-rules: warning: compiled-rules cache not used (rules are"
                + " compiled): " + cacheDir + " is writable by group or others: fix with chmod go-w " + cacheDir);
        Files.delete(cache.entry(cleanKey));
        warnings.clear();
        assertFalse(load().rules().fromCache());
        assertThat(cache.entry(cleanKey)).as("nor written").doesNotExist();
        assertThat(warnings).as("one line per run").hasSize(1);

        Files.setPosixFilePermissions(cacheDir, PosixFilePermissions.fromString("rwx------"));
        load();
        Files.setPosixFilePermissions(cacheDir, PosixFilePermissions.fromString("rwx---rwx"));
        warnings.clear();
        assertFalse(newCache().load(cleanKey).isPresent());
        assertThat(warnings).singleElement().asString().contains("chmod go-w " + cacheDir);

        Files.setPosixFilePermissions(cacheDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertTrue(load().rules().fromCache(), "readable by others is fine: entries are not secret");
    }

    @Test
    void aKeyFolderOthersCanWriteIsNotUsed() throws IOException {
        load();
        Files.setPosixFilePermissions(keyFile.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertFalse(load().rules().fromCache());
        assertThat(warnings).singleElement().asString().endsWith(keyFile.getParent()
                + " is writable by group or others: fix with chmod go-w " + keyFile.getParent());
    }

    @Test
    void aKeyOthersCanReadIsNotUsed() throws IOException {
        load();
        byte[] key = Files.readAllBytes(keyFile);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
        assertFalse(load().rules().fromCache());
        assertThat(warnings).containsExactly("triage-rules: warning: compiled-rules cache not used (rules are"
                + " compiled): " + keyFile + " can be read or changed by group or others: fix with rm " + keyFile
                + " (the next run makes a new key and compiles anew)");
        assertThat(Files.readAllBytes(keyFile)).as("left for the user to remove").isEqualTo(key);

        Files.delete(keyFile); // the advice
        warnings.clear();
        assertFalse(load().rules().fromCache());
        assertTrue(load().rules().fromCache());
        assertThat(warnings).isEmpty();
    }

    @Test
    void aKeyOfTheWrongLengthIsNotUsed() throws IOException {
        load();
        Files.write(keyFile, new byte[0]);
        assertFalse(load().rules().fromCache());
        assertThat(warnings).singleElement().asString().endsWith(keyFile + " is not a key of 32 bytes: fix with rm "
                + keyFile + " (the next run makes a new key and compiles anew)");
    }

    @Test
    void aCacheFolderOfAnotherUserIsNotUsed() throws IOException {
        assumeTrue(Files.getAttribute(tmp, "unix:uid").equals(0), "only root can give a folder away");
        String cleanKey = cleanKey();
        UserPrincipal nobody = cacheDir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(cacheDir, nobody);
        assertThat(newCache().load(cleanKey)).isEmpty();
        assertThat(warnings).singleElement().asString().matches(".*: " + java.util.regex.Pattern.quote(
                cacheDir.toString()) + " belongs to another user \\(uid \\d+\\): use a folder of your own");
    }

    @Test
    void theWarningIsPrintedOnceEvenWhenQuietAndTheRunSucceeds() throws IOException {
        String[] args = {"--rules", rules.toString(), "--policy", policy.toString(), "--input",
            "examples/sample-e2e.jsonl", "--output", "-", "-q", "--cache-dir", cacheDir.toString()};
        assertEquals(0, CliRunner.run(args).exitCode());
        Files.setPosixFilePermissions(cacheDir, PosixFilePermissions.fromString("rwxrwxrwx"));
        CliRunner.Result refused = CliRunner.run(args);
        assertEquals(0, refused.exitCode(), refused.err());
        assertEquals("triage-rules: warning: compiled-rules cache not used (rules are compiled): " + cacheDir
                + " is writable by group or others: fix with chmod go-w " + cacheDir + "\n", refused.err());
        assertEquals(report(CliRunner.run(concat(args, "--no-cache"))), report(refused));
    }

    @Test
    void cachedAndUncachedRunsWriteTheSameReport() throws IOException {
        String[] common = {"--rules", rules.toString(), "--policy", policy.toString(), "--input",
            "examples/sample-e2e.jsonl", "--output", "-", "-q"};
        String uncached = report(CliRunner.run(concat(common, "--no-cache")));
        String first = report(CliRunner.run(concat(common, "--cache-dir", cacheDir.toString())));
        String cached = report(CliRunner.run(concat(common, "--cache-dir", cacheDir.toString())));
        assertEquals(uncached, first);
        assertEquals(uncached, cached);
        assertThat(RuleCache.defaultSigningKeyFile()).as("the CLI signs with the user's key").exists();
        RuleCache cliCache = new RuleCache(cacheDir, RuleCache.defaultSigningKeyFile(), warnings::add);
        assertTrue(RulePack.load(rules, policy, cliCache).rules().fromCache());
    }

    @Test
    void cachedAndUncachedRunsGiveTheSameVerdictsAndLifecycles() {
        // Verdict and lifecycle sessions come from KIE bases of their own in a cached run.
        String[] common = {"--rules", rules.toString(), "--policy", policy.toString(), "--input",
            "examples/sample-e2e.jsonl", "--history", "--output", "-", "-q"};
        String uncached = withoutTimes(CliRunner.run(concat(common, "--no-cache", "--ledger",
                tmp.resolve("uncached.db").toString())));
        String first = withoutTimes(CliRunner.run(concat(common, "--cache-dir", cacheDir.toString(), "--ledger",
                tmp.resolve("first.db").toString())));
        String cached = withoutTimes(CliRunner.run(concat(common, "--cache-dir", cacheDir.toString(), "--ledger",
                tmp.resolve("cached.db").toString())));
        assertThat(uncached).contains("\"verdict\": \"flaky\"", "\"status\": \"new\"");
        assertEquals(uncached, first);
        assertEquals(uncached, cached);
    }

    private RuleCache newCache() {
        return new RuleCache(cacheDir, keyFile, warnings::add);
    }

    private RulePack load() {
        return RulePack.load(rules, policy, newCache());
    }

    /** The key of the clean rules, after a run that cached them. */
    private String cleanKey() throws IOException {
        assertFalse(load().rules().fromCache());
        String name = onlyEntry().getFileName().toString();
        return name.substring(0, name.length() - ".kpkg".length());
    }

    /** The key of the clean rules for a given build of the tool. */
    private String key(String toolCode) {
        List<Problem> problems = new ArrayList<>();
        FileSetDigest rulesDigest = FileSetDigest.of(rules, RuleCompiler.ruleFiles(rules, problems));
        assertThat(problems).isEmpty();
        return RuleCache.key(ToolVersion.get(), toolCode, rules, rulesDigest, rulesDigest);
    }

    private static Collection<KiePackage> compiledPackages(Path rulesDir) {
        List<Problem> problems = new ArrayList<>();
        CompiledRules compiled = RuleCompiler.compile(RuleCompiler.ruleFiles(rulesDir, problems), problems, null, null);
        assertThat(problems).isEmpty();
        return compiled.kieBase().getKiePackages();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Collection<KiePackage> tripwires() {
        return (Collection) List.of(new Tripwire());
    }

    /** Rules that classify hook_trace_mismatch as autograd_state (the shipped ones leave it unclassified). */
    private static void writeRulesClassifyingHookTrace(Path rulesDir) throws IOException {
        Path drl = rulesDir.resolve("autograd-state.drl");
        String text = Files.readString(drl);
        String edited = text.replace("|| reason contains \"scheduler\" )",
                "|| reason contains \"scheduler\"\n               || reason contains \"hook_trace\" )");
        assertThat(edited).isNotEqualTo(text);
        Files.writeString(drl, edited);
    }

    private static String classify(RulePack pack, String reasonCode) {
        return dev.triagerules.rules.Packs.classifyWith(pack, reasonCode);
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private Path onlyEntry() throws IOException {
        try (Stream<Path> files = Files.list(cacheDir)) {
            List<Path> entries = files.toList();
            assertEquals(1, entries.size());
            return entries.get(0);
        }
    }

    private static byte[] flipped(byte[] bytes, int at) {
        byte[] copy = bytes.clone();
        copy[at] ^= 0x5a;
        return copy;
    }

    private static String report(CliRunner.Result result) {
        assertEquals(0, result.exitCode(), result.err());
        return result.out().replaceFirst("\"generated_unix_ms\": \\d+", "");
    }

    /** The report without the times a ledger run stamps (now, in each run). */
    private static String withoutTimes(CliRunner.Result result) {
        return report(result).replaceAll("_unix_ms\": \\d+", "_unix_ms\": 0");
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, Files.readString(file) + text);
    }
}
