package dev.triagerules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triagerules.base.FileTrees;
import dev.triagerules.base.Problem;
import dev.triagerules.history.ScenarioHistory;
import dev.triagerules.ledger.IncidentLifecycle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;

/**
 * Which kinds of session a rule can fire in, and the KIE base each kind is made from: a
 * rule is left out of a kind's base only when a fact it needs cannot be in such a session.
 */
class SessionKindsTest {
    private static final List<Class<?>> KINDS = List.of(Failure.class, ScenarioHistory.class,
            IncidentLifecycle.class);

    @TempDir
    Path tmp;

    @Test
    void aRuleFiresOnlyInTheKindsWhoseFactsItsPositivePatternsNeed() throws IOException {
        Path rules = Files.createDirectories(tmp.resolve("rules"));
        Files.writeString(rules.resolve("kinds.drl"), """
                package triage;
                import dev.triagerules.engine.Failure;
                import dev.triagerules.history.ScenarioHistory;
                import dev.triagerules.ledger.IncidentLifecycle;
                import dev.triagerules.policy.FlakePolicy;
                global java.util.List histories;

                rule "failure" when Failure() then end
                rule "failure without history" when Failure() not ScenarioHistory() then end
                rule "failure counting histories" when
                    Failure()
                    Number() from accumulate( ScenarioHistory(), count() )
                then end
                rule "history and policy" when FlakePolicy() ScenarioHistory() then end
                rule "policy only" when FlakePolicy() then end
                rule "no pattern" when eval( true ) then end
                rule "history from a global" when ScenarioHistory() from histories then end
                rule "either" when ( Failure() or ScenarioHistory() ) then end
                rule "both" when Failure() ScenarioHistory() then end
                rule "history extending failure" extends "failure" when ScenarioHistory() then end
                rule "lifecycle" when IncidentLifecycle() then end
                """);
        Map<String, Set<String>> kinds = kindsOfEachRule(compile(rules).kieBase().getKiePackages());
        assertThat(kinds).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("failure", Set.of("Failure")),
                Map.entry("failure without history", Set.of("Failure")),
                Map.entry("failure counting histories", Set.of("Failure")),
                Map.entry("history and policy", Set.of("ScenarioHistory")),
                Map.entry("policy only", Set.of("Failure", "ScenarioHistory", "IncidentLifecycle")),
                Map.entry("no pattern", Set.of("Failure", "ScenarioHistory", "IncidentLifecycle")),
                Map.entry("history from a global", Set.of("Failure", "ScenarioHistory", "IncidentLifecycle")),
                Map.entry("either", Set.of("Failure", "ScenarioHistory")),
                Map.entry("both", Set.of()),
                Map.entry("history extending failure", Set.of()),
                Map.entry("lifecycle", Set.of("IncidentLifecycle"))));
    }

    @Test
    void aCachedPackMakesEachKindOfSessionFromTheRulesThatCanFireInIt() throws IOException {
        Path rules = FileTrees.copy(Path.of("rules"), tmp.resolve("rules"));
        Path policy = FileTrees.copy(Path.of("policy"), tmp.resolve("policy"));
        RuleCache cache = new RuleCache(tmp.resolve("cache"), tmp.resolve("rule-cache.key"), warning -> { });
        CompiledRules compiled = RulePack.load(rules, policy, cache).rules();
        CompiledRules cached = RulePack.load(rules, policy, cache).rules();
        assertThat(compiled.fromCache()).isFalse();
        assertThat(cached.fromCache()).isTrue();

        Map<String, Set<String>> kindsOfEachRule = kindsOfEachRule(cached.kieBase().getKiePackages());
        for (CompiledRules pack : List.of(compiled, cached)) {
            for (Class<?> kind : KINDS) {
                Set<String> canFire = kindsOfEachRule.entrySet().stream()
                        .filter(rule -> rule.getValue().contains(kind.getSimpleName()))
                        .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
                assertThat(ruleNames(pack.kieBase(kind))).as(kind.getSimpleName()).isEqualTo(canFire)
                        .hasSizeLessThan(ruleNames(pack.kieBase()).size());
            }
        }
        // The bundled pack: classification, verdict and lifecycle rules each in a file of their own.
        assertThat(ruleFiles(cached.kieBase(Failure.class))).doesNotContain("flake.drl", "lifecycle.drl")
                .contains("routing.drl", "unclassified.drl");
        assertThat(ruleFiles(cached.kieBase(ScenarioHistory.class))).containsExactly("flake.drl");
        assertThat(ruleFiles(cached.kieBase(IncidentLifecycle.class))).containsExactly("lifecycle.drl");
    }

    @Test
    void withoutACacheEveryKindOfSessionUsesTheWholePack() {
        CompiledRules rules = RulePack.load(Path.of("rules"), Path.of("policy")).rules();
        for (Class<?> kind : KINDS) {
            assertThat(rules.kieBase(kind)).isSameAs(rules.kieBase());
        }
    }

    private static CompiledRules compile(Path rulesDir) {
        List<Problem> problems = new ArrayList<>();
        CompiledRules compiled = RuleCompiler.compile(RuleCompiler.ruleFiles(rulesDir, problems), problems, null, null);
        assertThat(problems).isEmpty();
        return compiled;
    }

    private static Map<String, Set<String>> kindsOfEachRule(Iterable<KiePackage> packages) {
        Map<String, Set<String>> kinds = new TreeMap<>();
        for (KiePackage kiePackage : packages) {
            for (Rule rule : kiePackage.getRules()) {
                kinds.put(rule.getName(), KINDS.stream().filter(kind -> SessionKinds.canFireIn(rule, kind))
                        .map(Class::getSimpleName).collect(Collectors.toSet()));
            }
        }
        return kinds;
    }

    private static Set<String> ruleNames(KieBase base) {
        return base.getKiePackages().stream().flatMap(p -> p.getRules().stream()).map(Rule::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> ruleFiles(KieBase base) {
        return base.getKiePackages().stream().flatMap(p -> p.getRules().stream())
                .map(rule -> Path.of(((org.drools.base.definitions.rule.impl.RuleImpl) rule).getResource()
                        .getSourcePath()).getFileName().toString())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
