package dev.triagerules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triagerules.base.Problem;
import dev.triagerules.policy.ClassPolicy;
import dev.triagerules.policy.Policy;
import dev.triagerules.policy.PolicyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy kept in a compiled-rules cache entry: a cached run reads no YAML, and gets the
 * policy (and the warnings) that reading the YAML gives, named as the run names the folder.
 */
class CachedPolicyTest {
    @TempDir
    Path tmp;

    Path rules;
    Path policy;
    List<String> cacheWarnings = new ArrayList<>();

    @BeforeEach
    void copyPack() throws IOException {
        rules = copy(Path.of("rules"), tmp.resolve("rules"));
        policy = copy(Path.of("policy"), tmp.resolve("policy"));
        // An empty document gives a warning, which must come back from the cache too.
        Files.writeString(policy.resolve("zz-empty.yaml"), "# nothing here yet\n---\n");
    }

    @Test
    void aCachedLoadGivesThePolicyAndWarningsTheYamlGives() {
        List<Problem> fromYaml = new ArrayList<>();
        Policy expected = PolicyLoader.load(policy, fromYaml);
        assertThat(fromYaml).extracting(Problem::toString)
                .containsExactly(policy.resolve("zz-empty.yaml") + ": warning: policy file is empty");

        List<Problem> first = new ArrayList<>();
        RulePack compiled = RulePack.load(rules, policy, first, cache());
        List<Problem> second = new ArrayList<>();
        RulePack cached = RulePack.load(rules, policy, second, cache());

        assertThat(compiled.rules().fromCache()).isFalse();
        assertThat(cached.rules().fromCache()).isTrue();
        assertThat(describe(cached.policy())).isEqualTo(describe(expected));
        assertThat(describe(compiled.policy())).isEqualTo(describe(expected));
        assertThat(second).extracting(Problem::toString).isEqualTo(first.stream().map(Problem::toString).toList())
                .contains(policy.resolve("zz-empty.yaml") + ": warning: policy file is empty");
        assertThat(cached.policyDigest()).isEqualTo(compiled.policyDigest());
        assertThat(cacheWarnings).isEmpty();
    }

    @Test
    void theFolderIsNamedAsThisRunNamesIt() throws IOException {
        RulePack.load(rules, policy, new ArrayList<>(), cache());
        // The same files under another name: the key is the same (it digests contents), the paths are this run's.
        Path renamed = Files.move(policy, tmp.resolve("other-policy"));
        Path spelled = tmp.resolve("x").resolve("..").resolve("other-policy");
        Files.createDirectories(tmp.resolve("x"));
        List<Problem> problems = new ArrayList<>();
        RulePack cached = RulePack.load(rules, spelled, problems, cache());

        assertThat(cached.rules().fromCache()).isTrue();
        assertThat(describe(cached.policy())).isEqualTo(describe(PolicyLoader.load(spelled, new ArrayList<>())));
        assertThat(cached.policy().files()).allSatisfy(file -> assertThat(file.getParent()).isEqualTo(spelled));
        assertThat(cached.policy().classSources().get("oracle_infra").toString())
                .startsWith(spelled.resolve("classes.yaml") + ":");
        assertThat(problems).extracting(Problem::file).contains(spelled.resolve("zz-empty.yaml"));
        assertThat(renamed).exists();
    }

    @Test
    void aPolicyEditMissesAndTheEditedPolicyIsKept() throws IOException {
        RulePack.load(rules, policy, new ArrayList<>(), cache());
        Path classes = policy.resolve("classes.yaml");
        Files.writeString(classes, Files.readString(classes).replace("ft-core-owners", "ft-core-owners-2"));

        RulePack edited = RulePack.load(rules, policy, new ArrayList<>(), cache());
        RulePack cached = RulePack.load(rules, policy, new ArrayList<>(), cache());
        assertThat(edited.rules().fromCache()).isFalse();
        assertThat(cached.rules().fromCache()).isTrue();
        assertThat(cached.policy().classes().get("tensor_meta_state").ownerHint()).isEqualTo("ft-core-owners-2");
    }

    @Test
    void anEntryWithoutAPolicyIsRebuiltWithOne() {
        RulePack first = RulePack.load(rules, policy, new ArrayList<>(), cache());
        String key = onlyEntryKey();
        assertThat(cache().store(key, first.rules().kieBase().getKiePackages())).isTrue();
        assertThat(cache().loadEntry(key).orElseThrow().policy()).isNull();

        RulePack again = RulePack.load(rules, policy, new ArrayList<>(), cache());
        assertThat(again.rules().fromCache()).as("a miss").isFalse();
        assertThat(describe(again.policy())).isEqualTo(describe(first.policy()));
        assertThat(cache().loadEntry(key).orElseThrow().policy()).as("rebuilt with the policy").isNotNull();
        assertThat(RulePack.load(rules, policy, new ArrayList<>(), cache()).rules().fromCache()).isTrue();
    }

    private RuleCache cache() {
        return new RuleCache(tmp.resolve("cache"), tmp.resolve("config").resolve("rule-cache.key"), cacheWarnings::add);
    }

    private String onlyEntryKey() {
        try (Stream<Path> files = Files.list(tmp.resolve("cache"))) {
            List<Path> entries = files.toList();
            assertThat(entries).hasSize(1);
            String name = entries.get(0).getFileName().toString();
            return name.substring(0, name.length() - ".kpkg".length());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Everything a policy holds, as text (patterns have no equals). */
    private static String describe(Policy policy) {
        Map<String, String> sources = new TreeMap<>();
        policy.classSources().forEach((name, at) -> sources.put(name, at.toString()));
        List<String> classes = policy.classes().values().stream().map(ClassPolicy::toString).toList();
        var replay = policy.replay();
        return String.join("\n", policy.severityOrder().toString(), classes.toString(),
                policy.classes().keySet().toString(), policy.files().toString(), sources.toString(),
                replay.defaultTimeout().toString(), new TreeMap<>(replay.classTimeouts()).toString(),
                String.valueOf(replay.attempts()), replay.allow().stream().map(p -> p.pattern() + "/" + p.flags())
                        .toList().toString(), String.valueOf(replay.allowDefinedAt()), replay.env().toString(),
                policy.tickets().toString(), policy.flake().toString());
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
