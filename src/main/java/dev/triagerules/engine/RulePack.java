package dev.triagerules.engine;

import dev.triagerules.base.Problem;
import dev.triagerules.base.SourceLocation;
import dev.triagerules.base.ToolVersion;
import dev.triagerules.base.UserError;
import dev.triagerules.policy.Policy;
import dev.triagerules.policy.PolicyLoader;
import dev.triagerules.policy.StoredPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Rules and policy that passed validation together: every class a rule can assign has a
 * policy entry whose severity is in the severity order. Sessions made from it classify
 * failures into incidents.
 */
public final class RulePack {
    private final Path rulesDir;
    private final Path policyDir;
    private final CompiledRules rules;
    private final Policy policy;
    private final FileSetDigest rulesDigest;
    private final FileSetDigest policyDigest;

    private RulePack(Path rulesDir, Path policyDir, CompiledRules rules, Policy policy, FileSetDigest rulesDigest,
            FileSetDigest policyDigest) {
        this.rulesDir = rulesDir;
        this.policyDir = policyDir;
        this.rules = rules;
        this.policy = policy;
        this.rulesDigest = rulesDigest;
        this.policyDigest = policyDigest;
    }

    /** Loads and cross-checks a pack without the cache; any error stops with every problem found. */
    public static RulePack load(Path rulesDir, Path policyDir) {
        return load(rulesDir, policyDir, (RuleCache) null);
    }

    /** Loads and cross-checks a pack, through {@code cache} when not null; errors stop with every problem. */
    public static RulePack load(Path rulesDir, Path policyDir, RuleCache cache) {
        return load(rulesDir, policyDir, cache, null);
    }

    /**
     * As {@link #load(Path, Path, RuleCache)}, taking the cached pack from {@code preload}
     * (may be null) when it was started for these folders and this cache and found it.
     */
    public static RulePack load(Path rulesDir, Path policyDir, RuleCache cache, Preload preload) {
        List<Problem> problems = new ArrayList<>();
        RulePack pack = load(rulesDir, policyDir, problems, cache, preload);
        if (pack == null) {
            throw new UserError(problems.stream().filter(Problem::isError).toList());
        }
        return pack;
    }

    /** Loads a pack without the cache, adding every error and warning to {@code problems}; null on errors. */
    public static RulePack load(Path rulesDir, Path policyDir, List<Problem> problems) {
        return load(rulesDir, policyDir, problems, null);
    }

    /**
     * Loads a pack, adding every error and warning to {@code problems}; null when there are
     * errors. With a cache, unchanged rules and policy skip the DRL compiler.
     */
    public static RulePack load(Path rulesDir, Path policyDir, List<Problem> problems, RuleCache cache) {
        return load(rulesDir, policyDir, problems, cache, null);
    }

    private static RulePack load(Path rulesDir, Path policyDir, List<Problem> problems, RuleCache cache,
            Preload preload) {
        if (cache != null) {
            Optional<RulePack.Loaded> cached = preload != null && preload.isFor(rulesDir, policyDir, cache)
                    ? preload.loaded() : Optional.empty();
            if (cached.isEmpty()) {
                // Not preloaded, or nothing found by the preload (which is silent): the cache says why, if anything.
                cached = fromCache(rulesDir, policyDir, cache);
                cached.ifPresent(loaded -> loaded.rules().buildKieBase(Failure.class));
            }
            if (cached.isPresent()) {
                problems.addAll(cached.get().warnings());
                return cached.get().checked(problems);
            }
        }
        List<Problem> policyProblems = new ArrayList<>();
        Map<Path, byte[]> policyContents = new LinkedHashMap<>();
        Policy policy = PolicyLoader.load(policyDir, policyProblems, policyContents::put);
        problems.addAll(policyProblems);
        List<Path> ruleFiles = RuleCompiler.ruleFiles(rulesDir, problems);
        if (ruleFiles == null) {
            return null;
        }
        FileSetDigest rulesDigest = FileSetDigest.of(rulesDir, ruleFiles);
        if (policy == null) {
            RuleCompiler.compile(ruleFiles, problems, null, null); // still report every DRL problem
            return null;
        }
        // The digest of the bytes the policy was parsed from: the entry's key then names what it holds.
        FileSetDigest policyDigest = FileSetDigest.ofContents(policyDir, policyContents);
        String cacheKey = cache == null ? null : key(rulesDir, rulesDigest, policyDigest);
        CompiledRules rules = RuleCompiler.compileAndStore(ruleFiles, problems, cache, cacheKey,
                cache == null ? null : StoredPolicy.of(policyDir, policy, policyProblems).orElse(null));
        if (rules == null) {
            return null;
        }
        return new Loaded(rulesDir, policyDir, rules, policy, rulesDigest, policyDigest, List.of()).checked(problems);
    }

    /**
     * The cached pack of some folders, loaded on a thread of its own from the moment it is
     * started, so that the caller can do other start-up work meanwhile (a plain triage
     * starts it before picocli builds and parses the command line: about 0.2 s of a 0.7 s
     * run). It reads only: it never compiles, stores or creates the cache's key, and says
     * nothing; a {@link #load(Path, Path, RuleCache, Preload)} for the same folders and cache
     * takes its result (anything it did not find is looked for again, and reported, there).
     * The cross-check, and with it every error, stays with that load.
     *
     * <p>That load waits only for the packages; the KIE base is built here after them, while
     * the caller goes on (gates, ledger, the first input blocks); the first session waits
     * for it if need be.
     */
    public static final class Preload {
        private final Path rulesDir;
        private final Path policyDir;
        private final Path cacheDir;
        private final Path signingKeyFile;
        private final FutureTask<Optional<Loaded>> task;

        private Preload(Path rulesDir, Path policyDir, Path cacheDir, Path signingKeyFile) {
            this.rulesDir = rulesDir;
            this.policyDir = policyDir;
            this.cacheDir = cacheDir;
            this.signingKeyFile = signingKeyFile;
            this.task = new FutureTask<>(() -> fromCache(rulesDir, policyDir,
                    RuleCache.readOnly(cacheDir, signingKeyFile)));
        }

        private void run() {
            task.run();
            try {
                task.get().ifPresent(loaded -> loaded.rules().buildKieBase(Failure.class));
            } catch (ExecutionException | InterruptedException | RuntimeException e) {
                // Nothing to build: loaded() says so; one who needs the KIE base builds it and meets any error.
            }
        }

        /** Starts loading the pack of these folders from the cache in {@code cacheDir}, signed by that key. */
        public static Preload start(Path rulesDir, Path policyDir, Path cacheDir, Path signingKeyFile) {
            Preload preload = new Preload(rulesDir, policyDir, cacheDir, signingKeyFile);
            Thread thread = new Thread(preload::run, "triage-rules-pack-loader");
            thread.setDaemon(true); // a run that ends early (usage, help) does not wait for it
            thread.start();
            return preload;
        }

        /** Whether it was started for these folders and this cache. */
        public boolean isFor(Path rulesDir, Path policyDir, RuleCache cache) {
            return this.rulesDir.equals(rulesDir) && this.policyDir.equals(policyDir)
                    && cacheDir.equals(cache.dir()) && signingKeyFile.equals(cache.signingKeyFile());
        }

        /** What it found, once it is done; empty when it found nothing usable or failed. */
        Optional<Loaded> loaded() {
            try {
                return task.get();
            } catch (ExecutionException e) {
                return Optional.empty(); // the caller's own look at the cache meets the same and reports it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /** A pack's parts before the cross-check, with the warnings loading its policy gave. */
    private record Loaded(Path rulesDir, Path policyDir, CompiledRules rules, Policy policy, FileSetDigest rulesDigest,
            FileSetDigest policyDigest, List<Problem> warnings) {
        RulePack checked(List<Problem> problems) {
            return crossCheck(rules, policy, problems)
                    ? new RulePack(rulesDir, policyDir, rules, policy, rulesDigest, policyDigest) : null;
        }
    }

    /**
     * The rules and the policy from the cache entry of these files, when there is one; empty
     * otherwise, with nothing reported (the caller loads them from the files). An entry that
     * keeps the rules alone (its policy held a value {@link StoredPolicy} cannot keep) has
     * the policy read from its YAML, which must be the bytes the key digested.
     */
    private static Optional<Loaded> fromCache(Path rulesDir, Path policyDir, RuleCache cache) {
        List<Problem> ignored = new ArrayList<>(); // a miss: the full load reports them
        List<Path> policyFiles = PolicyLoader.policyFiles(policyDir, ignored);
        List<Path> ruleFiles = RuleCompiler.ruleFiles(rulesDir, ignored);
        if (policyFiles == null || ruleFiles == null) {
            return Optional.empty();
        }
        FileSetDigest rulesDigest;
        FileSetDigest policyDigest;
        try {
            rulesDigest = FileSetDigest.of(rulesDir, ruleFiles);
            policyDigest = FileSetDigest.of(policyDir, policyFiles);
        } catch (UserError e) {
            return Optional.empty();
        }
        Optional<RuleCache.Entry> entry = cache.loadEntry(key(rulesDir, rulesDigest, policyDigest));
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        StoredPolicy stored = entry.get().policy();
        Optional<StoredPolicy.Loaded> policy = stored == null ? Optional.empty() : stored.load(policyDir);
        if (policy.isEmpty()) {
            List<Problem> policyProblems = new ArrayList<>();
            Map<Path, byte[]> policyContents = new LinkedHashMap<>();
            Policy fromYaml = PolicyLoader.load(policyDir, policyProblems, policyContents::put);
            if (fromYaml == null
                    || !FileSetDigest.ofContents(policyDir, policyContents).sha256().equals(policyDigest.sha256())) {
                return Optional.empty(); // changed since it was digested, or wrong: the full load says
            }
            policy = Optional.of(new StoredPolicy.Loaded(fromYaml, policyProblems));
        }
        return Optional.of(new Loaded(rulesDir, policyDir, RuleCompiler.fromCache(entry.get(), ruleFiles),
                policy.get().policy(), rulesDigest, policyDigest, policy.get().warnings()));
    }

    private static String key(Path rulesDir, FileSetDigest rulesDigest, FileSetDigest policyDigest) {
        return RuleCache.key(ToolVersion.get(), ToolCodeDigest.current(), rulesDir, rulesDigest, policyDigest);
    }

    private static boolean crossCheck(CompiledRules rules, Policy policy, List<Problem> problems) {
        Set<String> assertable = rules.assertableClasses();
        if (policy.classes().keySet().containsAll(assertable)) {
            warnAboutUnusedPolicy(rules, policy, assertable, problems);
            return true;
        }
        // Only now the rules' lines are worth a DRL parse: an error message needs them.
        for (RuleInfo rule : rules.rules()) {
            if (rule.classifies() && !policy.classes().containsKey(rule.crashClass())) {
                problems.add(Problem.error(rule.file(), rule.line(), 0, "rule \"" + rule.name()
                        + "\" assigns class \"" + rule.crashClass() + "\", which has no entry in the policy ("
                        + describe(classFiles(policy)) + "); add it under classes:"));
            }
        }
        warnAboutUnusedPolicy(rules, policy, assertable, problems);
        return false;
    }

    private static void warnAboutUnusedPolicy(CompiledRules rules, Policy policy, Set<String> assertable,
            List<Problem> problems) {
        warnAboutSharedSalience(rules, problems);
        policy.classes().keySet().stream().filter(name -> !assertable.contains(name)).forEach(name ->
                problems.add(policy.classSources().get(name).warning("policy class \"" + name
                        + "\" is assigned by no rule in " + describe(rules.files()))));
    }

    /**
     * Two classification rules with one salience have no precedence the author wrote:
     * Drools orders them by load order. Worth a warning when both can match one failure.
     */
    private static void warnAboutSharedSalience(CompiledRules rules, List<Problem> problems) {
        if (!rules.hasSharedClassificationSalience()) {
            return;
        }
        Map<Integer, RuleInfo> first = new HashMap<>();
        for (RuleInfo rule : rules.rules()) {
            if (!rule.classifies()) {
                continue;
            }
            RuleInfo earlier = first.putIfAbsent(rule.salience(), rule);
            if (earlier != null && !earlier.crashClass().equals(rule.crashClass())) {
                problems.add(Problem.warning(rule.file(), rule.line(), 0, "rule \"" + rule.name()
                        + "\" has the salience of rule \"" + earlier.name() + "\" (" + rule.salience() + ", "
                        + earlier.location() + "): when both match, Drools' load order decides between"
                        + " their classes; give each its own salience"));
            }
        }
    }

    /** The policy files that define classes (all of them when none does yet). */
    private static List<Path> classFiles(Policy policy) {
        List<Path> files = policy.classSources().values().stream().map(SourceLocation::file)
                .distinct().sorted().toList();
        return files.isEmpty() ? policy.files() : files;
    }

    private static String describe(List<Path> files) {
        return files.size() == 1 ? files.get(0).toString()
                : String.join(", ", files.stream().map(Path::toString).toList());
    }

    public Path rulesDir() {
        return rulesDir;
    }

    public Path policyDir() {
        return policyDir;
    }

    public CompiledRules rules() {
        return rules;
    }

    public Policy policy() {
        return policy;
    }

    /** SHA-256 of each rule file and of the set, for the report's provenance. */
    public FileSetDigest rulesDigest() {
        return rulesDigest;
    }

    public FileSetDigest policyDigest() {
        return policyDigest;
    }
}
