package dev.triagerules.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triagerules.cli.CliRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compiled-rules cache: any edit misses, nothing untrustworthy is loaded, results never differ. */
class RuleCacheTest {
    @TempDir
    Path tmp;

    Path rules;
    Path policy;
    RuleCache cache;

    @BeforeEach
    void copyPack() throws IOException {
        rules = copy(Path.of("rules"), tmp.resolve("rules"));
        policy = copy(Path.of("policy"), tmp.resolve("policy"));
        cache = new RuleCache(tmp.resolve("cache"));
    }

    @Test
    void secondLoadComesFromTheCache() {
        assertFalse(load().rules().fromCache());
        assertTrue(load().rules().fromCache());
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
    void anEditIsSeenByTheRunsThatFollow() throws IOException {
        assertEquals("unclassified", classify(load(), "hook_trace_mismatch"));
        Path drl = rules.resolve("autograd-state.drl");
        Files.writeString(drl, Files.readString(drl).replace("|| reason contains \"scheduler\" )",
                "|| reason contains \"scheduler\"\n               || reason contains \"hook_trace\" )"));
        assertEquals("autograd_state", classify(load(), "hook_trace_mismatch"));
        assertEquals("autograd_state", classify(load(), "hook_trace_mismatch"), "and from the cache");
    }

    @Test
    void corruptTruncatedOrForeignEntriesAreRebuilt() throws IOException {
        load();
        Path entry = onlyEntry();
        byte[] good = Files.readAllBytes(entry);
        for (byte[] bad : List.of(new byte[0], "garbage".getBytes(), java.util.Arrays.copyOf(good, good.length / 2),
                flipped(good, good.length - 10), flipped(good, 40))) {
            Files.write(entry, bad);
            RulePack pack = load();
            assertFalse(pack.rules().fromCache(), "an untrustworthy entry is not used");
            assertEquals("dispatch_routing", classify(pack, "keyset_conflict"));
            assertTrue(load().rules().fromCache(), "and it was rewritten");
        }
    }

    @Test
    void concurrentRunsLeaveAUsableEntry() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<RulePack>> runs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                runs.add(pool.submit(this::load));
            }
            for (Future<RulePack> run : runs) {
                assertEquals("oracle_infra", classify(run.get(), "oracle_dispatch_error"));
            }
        } finally {
            pool.shutdown();
        }
        assertTrue(load().rules().fromCache());
        try (Stream<Path> files = Files.list(cache.dir())) {
            assertEquals(1, files.count(), "one entry, no temp files left");
        }
    }

    @Test
    void cachedAndUncachedRunsWriteTheSameReport() throws IOException {
        String[] common = {"--rules", rules.toString(), "--policy", policy.toString(), "--input",
            "examples/sample-e2e.jsonl", "--output", "-", "-q"};
        String uncached = report(CliRunner.run(concat(common, "--no-cache")));
        String first = report(CliRunner.run(concat(common, "--cache-dir", cache.dir().toString())));
        String cached = report(CliRunner.run(concat(common, "--cache-dir", cache.dir().toString())));
        assertTrue(load().rules().fromCache());
        assertEquals(uncached, first);
        assertEquals(uncached, cached);
    }

    private RulePack load() {
        return RulePack.load(rules, policy, cache);
    }

    private static String classify(RulePack pack, String reasonCode) {
        return dev.triagerules.rules.Packs.classifyWith(pack, reasonCode);
    }

    private Path onlyEntry() throws IOException {
        try (Stream<Path> files = Files.list(cache.dir())) {
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

    private static String[] concat(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, Files.readString(file) + text);
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
        return to;
    }
}
