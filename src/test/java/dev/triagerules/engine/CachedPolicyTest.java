package dev.triagerules.engine;

import dev.triagerules.base.FileTrees;
import static org.assertj.core.api.Assertions.assertThat;

import dev.triagerules.base.Problem;
import dev.triagerules.policy.Policy;
import dev.triagerules.policy.PolicyLoader;
import dev.triagerules.policy.StoredPolicy;
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
        rules = FileTrees.copy(Path.of("rules"), tmp.resolve("rules"));
        policy = FileTrees.copy(Path.of("policy"), tmp.resolve("policy"));
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
    void anEntryThatKeepsTheRulesAloneServesThemAndThePolicyIsReadFromYaml() {
        RulePack first = RulePack.load(rules, policy, new ArrayList<>(), cache());
        String key = onlyEntryKey();
        assertThat(cache().store(key, first.rules().kieBase().getKiePackages())).isTrue();
        assertThat(cache().loadEntry(key).orElseThrow().policy()).isNull();

        List<Problem> problems = new ArrayList<>();
        RulePack again = RulePack.load(rules, policy, problems, cache());
        assertThat(again.rules().fromCache()).as("the rules from the entry").isTrue();
        assertThat(describe(again.policy())).isEqualTo(describe(first.policy()));
        assertThat(problems).extracting(Problem::toString)
                .contains(policy.resolve("zz-empty.yaml") + ": warning: policy file is empty");
    }

    @Test
    void aPolicyEditedSinceItsRulesWereCachedIsNotTakenForTheCachedOne() throws IOException {
        RulePack first = RulePack.load(rules, policy, new ArrayList<>(), cache());
        String key = onlyEntryKey();
        assertThat(cache().store(key, first.rules().kieBase().getKiePackages())).isTrue();
        Path classes = policy.resolve("classes.yaml");
        Files.writeString(classes, Files.readString(classes).replace("ft-core-owners", "ft-core-owners-2"));

        RulePack edited = RulePack.load(rules, policy, new ArrayList<>(), cache());
        assertThat(edited.policy().classes().get("tensor_meta_state").ownerHint()).isEqualTo("ft-core-owners-2");
    }

    /**
     * The sections main added after the cache began keeping the policy (junit, masks,
     * annotations, lifecycle), each set away from its default, come back from a cached run.
     */
    @Test
    void theJunitMasksAnnotationsAndLifecycleSectionsSurviveTheCache() throws IOException {
        Files.writeString(policy.resolve("zz-sections.yaml"), """
                junit:
                  runner: pytest
                  scenario: "{classname}.{name}"
                  max_reason_chars: 80
                  outcomes: {failure: assert_fail}
                masks:
                  - pattern: "0x[0-9a-f]+"
                    replacement: "<hex>"
                annotations:
                  levels: {low: notice}
                """);
        Files.writeString(policy.resolve("lifecycle.yaml"), """
                lifecycle:
                  resolve_after_passing_runs: 7
                  resolve_after_passing_replays: 2
                """);
        List<Problem> problems = new ArrayList<>();
        RulePack compiled = RulePack.load(rules, policy, problems, cache());
        assertThat(problems).extracting(Problem::toString).allMatch(problem -> problem.contains("warning"));
        RulePack cached = RulePack.load(rules, policy, new ArrayList<>(), cache());

        assertThat(cached.rules().fromCache()).isTrue();
        Policy back = cached.policy();
        assertThat(back.junit().runner()).isEqualTo("pytest");
        assertThat(back.junit().scenario()).containsExactly("{classname}.{name}");
        assertThat(back.junit().maxReasonChars()).isEqualTo(80);
        assertThat(back.junit().outcomes()).containsEntry("failure", "assert_fail");
        assertThat(back.masks().apply("freed 0x7f3a twice")).isEqualTo("freed <hex> twice");
        assertThat(back.annotations().level("low", back.severityOrder())).isEqualTo("notice");
        assertThat(back.lifecycle()).isEqualTo(new dev.triagerules.policy.LifecyclePolicy(7, 2, 10));
        assertThat(describe(back)).isEqualTo(describe(compiled.policy()))
                .isEqualTo(describe(PolicyLoader.load(policy, new ArrayList<>())));
    }

    /** Every shipped pack's policy is kept whole: a cached run of any of them reads no YAML. */
    @Test
    void everyShippedPolicyIsKeptAndReadsBackEqual() throws IOException {
        for (Path shipped : List.of(Path.of("policy"), Path.of("examples/junit/policy"),
                Path.of("examples/frankentorch-head/policy"))) {
            List<Problem> problems = new ArrayList<>();
            Policy loaded = PolicyLoader.load(shipped, problems);
            assertThat(loaded).as(shipped.toString()).isNotNull();
            StoredPolicy stored = StoredPolicy.of(shipped, loaded, problems).orElseThrow(() ->
                    new AssertionError(shipped + ": its policy holds a value StoredPolicy does not keep"));
            Path elsewhere = FileTrees.copy(shipped, tmp.resolve("copies").resolve(shipped.toString().replace('/', '-')));
            StoredPolicy.Loaded back = stored.load(elsewhere).orElseThrow();
            assertThat(Deep.describe(back.policy())).as(shipped.toString())
                    .isEqualTo(Deep.describe(PolicyLoader.load(elsewhere, new ArrayList<>())));
            assertThat(back.warnings()).isEqualTo(problems.stream().map(p -> Problem.warning(
                    elsewhere.resolve(shipped.relativize(p.file())), p.line(), p.column(), p.message())).toList());
        }
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
        return Deep.describe(policy);
    }
}
