package dev.triagerules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triagerules.base.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RulePack.Preload}: the cached pack loaded on a thread of its own is the pack a
 * load on the caller's thread gives, it is taken only for the folders and cache it was
 * started for, and it touches nothing (no key, no entry, no word) on its own.
 */
class PackPreloadTest {
    @TempDir
    Path tmp;

    Path rules;
    Path policy;
    Path cacheDir;
    Path keyFile;
    List<String> cacheWarnings = new ArrayList<>();

    @BeforeEach
    void copyPack() throws IOException {
        rules = tmp.resolve("rules");
        policy = tmp.resolve("policy");
        FileTrees.copy(Path.of("rules"), rules);
        FileTrees.copy(Path.of("policy"), policy);
        cacheDir = tmp.resolve("cache");
        keyFile = tmp.resolve("config").resolve("rule-cache.key");
    }

    @Test
    void aPreloadedPackIsTheCachedPackTheCallerWouldLoad() {
        RulePack compiled = RulePack.load(rules, policy, cache());
        RulePack direct = RulePack.load(rules, policy, cache());

        RulePack.Preload preload = RulePack.Preload.start(rules, policy, cacheDir, keyFile);
        assertThat(preload.isFor(rules, policy, cache())).isTrue();
        RulePack preloaded = RulePack.load(rules, policy, cache(), preload);

        assertThat(compiled.rules().fromCache()).isFalse();
        assertThat(direct.rules().fromCache()).isTrue();
        assertThat(preloaded.rules().fromCache()).isTrue();
        assertThat(preloaded.rules().assertableClasses()).isEqualTo(direct.rules().assertableClasses())
                .isEqualTo(compiled.rules().assertableClasses()).isNotEmpty();
        assertThat(preloaded.rules().hasSharedClassificationSalience())
                .isEqualTo(compiled.rules().hasSharedClassificationSalience());
        assertThat(ruleNames(preloaded)).isEqualTo(ruleNames(compiled)).isNotEmpty();
        assertThat(preloaded.policyDigest()).isEqualTo(compiled.policyDigest());
        assertThat(preloaded.rulesDigest()).isEqualTo(compiled.rulesDigest());
        assertThat(preloaded.policy().classes().keySet()).isEqualTo(compiled.policy().classes().keySet());
        assertThat(cacheWarnings).isEmpty();
    }

    @Test
    void aPreloadForOtherFoldersIsNotTaken() throws IOException {
        Path otherRules = tmp.resolve("other-rules");
        FileTrees.copy(rules, otherRules);
        RulePack.load(rules, policy, cache());
        RulePack.Preload forTheFirst = RulePack.Preload.start(rules, policy, cacheDir, keyFile);

        RulePack other = RulePack.load(otherRules, policy, cache(), forTheFirst);

        assertThat(forTheFirst.isFor(otherRules, policy, cache())).isFalse();
        assertThat(other.rulesDir()).isEqualTo(otherRules);
        assertThat(other.rules().files()).allSatisfy(file -> assertThat(file).startsWith(otherRules));
        assertThat(other.rules().fromCache()).as("its own entry did not exist yet: compiled").isFalse();
        RulePack.Preload otherCache = RulePack.Preload.start(rules, policy, tmp.resolve("another-cache"), keyFile);
        assertThat(otherCache.isFor(rules, policy, cache())).isFalse();
        assertThat(RulePack.load(rules, policy, cache(), otherCache).rules().fromCache()).isTrue();
    }

    @Test
    void aPreloadCreatesNoKeyStoresNothingAndSaysNothingThenTheLoadCompilesAndStores() throws IOException {
        RulePack.Preload preload = RulePack.Preload.start(rules, policy, cacheDir, keyFile);

        assertThat(preload.loaded()).as("nothing cached yet").isEmpty();
        assertThat(keyFile.getParent()).doesNotExist();
        assertThat(cacheDir).doesNotExist();

        RulePack loaded = RulePack.load(rules, policy, cache(), preload);
        assertThat(loaded.rules().fromCache()).isFalse();
        assertThat(keyFile).exists();
        try (Stream<Path> entries = Files.list(cacheDir)) {
            assertThat(entries.filter(entry -> entry.toString().endsWith(".kpkg"))).hasSize(1);
        }
        assertThat(cacheWarnings).isEmpty();
    }

    @Test
    void aCacheTheLoadRefusesIsRefusedAloudByTheLoadNotByThePreload() throws IOException {
        RulePack.load(rules, policy, cache());
        Files.write(keyFile, new byte[3]); // not a key: the cache is not used, and says so once

        RulePack.Preload preload = RulePack.Preload.start(rules, policy, cacheDir, keyFile);
        assertThat(preload.loaded()).isEmpty();
        assertThat(cacheWarnings).isEmpty();
        RulePack loaded = RulePack.load(rules, policy, cache(), preload);

        assertThat(loaded.rules().fromCache()).isFalse();
        assertThat(cacheWarnings).singleElement().asString()
                .startsWith("triage-rules: warning: compiled-rules cache not used (rules are compiled): ");
    }

    private RuleCache cache() {
        return new RuleCache(cacheDir, keyFile, cacheWarnings::add);
    }

    private static List<String> ruleNames(RulePack pack) {
        return pack.rules().rules().stream().map(rule -> rule.name() + "@" + rule.salience()).toList();
    }
}
