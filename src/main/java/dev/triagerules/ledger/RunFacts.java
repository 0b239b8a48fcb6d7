package dev.triagerules.ledger;

import dev.triagerules.base.Unsigned128;
import dev.triagerules.engine.ClassifiedEntry;
import dev.triagerules.history.ReplayEvidence;
import dev.triagerules.input.LogEntry;
import dev.triagerules.report.FoldedIncident;
import dev.triagerules.report.TriageReport;
import dev.triagerules.input.EntryOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Everything one triage run hands to the ledger: what it read, with what rules, where it
 * ran, the incidents it saw, the pass and fail counts of its scenarios, and replay evidence.
 * The ledger records it as one run, in one transaction.
 *
 * @param recordedUnixMs when the run happened, unix milliseconds (the report's
 *                       {@code generated_unix_ms}, so {@code SOURCE_DATE_EPOCH} applies); recorded
 *                       as the newest run's time when that is later (a run that waited its turn)
 * @param inputs         the logs read, in order, with their SHA-256 ({@link InputDigests})
 * @param packetFilter   {@code --packet}, or null
 * @param rulesSha256    digest of the rule files (the report's provenance)
 * @param policySha256   digest of the policy files
 * @param toolVersion    the triage-rules version
 * @param ci             commit, branch and job URL of the CI job, when the environment tells
 * @param totalEntries   entries read (the report's {@code total_entries})
 * @param failedEntries  failed entries (the report's {@code failed_entries})
 * @param incidents      every incident of the run, one per incident id
 * @param scenarios      pass and fail counts per scenario key and environment
 *                       ({@link ScenarioTallies}); iterated twice, inside the transaction
 * @param replays        replay attempts per incident id, from {@code --replays} summaries
 */
public record RunFacts(long recordedUnixMs, List<InputFile> inputs, String packetFilter, String rulesSha256,
        String policySha256, String toolVersion, CiFacts ci, long totalEntries, long failedEntries,
        List<SeenIncident> incidents, Iterable<ScenarioTally> scenarios, ReplayEvidence replays) {

    public RunFacts {
        inputs = List.copyOf(inputs);
        Objects.requireNonNull(rulesSha256, "rulesSha256");
        Objects.requireNonNull(policySha256, "policySha256");
        Objects.requireNonNull(toolVersion, "toolVersion");
        ci = ci == null ? CiFacts.NONE : ci;
        incidents = List.copyOf(incidents);
        scenarios = scenarios == null ? List.of() : scenarios;
        replays = replays == null ? ReplayEvidence.NONE : replays;
    }

    /**
     * The facts of a triaged run: its report (incidents, counts, provenance), the digests of
     * its inputs, the tallies its reader filled and the replay summaries it was given.
     */
    public static RunFacts of(TriageReport report, List<InputFile> inputs, ScenarioTallies scenarios,
            ReplayEvidence replays, CiFacts ci) {
        List<SeenIncident> incidents = new ArrayList<>(report.incidents().size());
        for (FoldedIncident folded : report.incidents()) {
            ClassifiedEntry first = folded.first();
            LogEntry entry = first.entry();
            incidents.add(new SeenIncident(folded.incidentId(), first.getCrashClass(), first.getSeverity(),
                    first.getOwnerHint(), entry.packetId(), entry.suiteId(), entry.scenarioId(), entry.mode(),
                    entry.envFingerprint(), entry.reasonCode(), folded.occurrences(), folded.lastSeenUnixMs()));
        }
        TriageReport.Provenance provenance = report.provenance();
        return new RunFacts(report.generatedUnixMs(), inputs, report.packetFilter(), provenance.rules().sha256(),
                provenance.policy().sha256(), provenance.toolVersion(), ci, report.totalEntries(),
                report.failedEntries(), incidents, scenarios, replays);
    }

    /** The same facts, stamped at another time. */
    RunFacts recordedAt(long unixMs) {
        return new RunFacts(unixMs, inputs, packetFilter, rulesSha256, policySha256, toolVersion, ci, totalEntries,
                failedEntries, incidents, scenarios, replays);
    }

    /**
     * An input log and the SHA-256 of its bytes as stored; sha256 is null for stdin.
     * {@code infraSuspect}: the infrastructure guard left it out of the flake history (most
     * of its entries failed); null when not known (a run recorded before schema version 3).
     */
    public record InputFile(String path, String sha256, Boolean infraSuspect) {
        /** An input the guard counted (or that no guard judged). */
        public InputFile(String path, String sha256) {
            this(path, sha256, false);
        }

        /** The same input, as the guard judged it. */
        public InputFile judged(boolean suspect) {
            return new InputFile(path, sha256, suspect);
        }
    }

    /**
     * One incident of the run: the report incident's fields (those of its first failure),
     * its occurrences in this run and its latest entry timestamp (unsigned 64-bit).
     */
    public record SeenIncident(String incidentId, String crashClass, String severity, String ownerHint,
            String packetId, String suiteId, String scenarioId, String mode, String envFingerprint,
            String reasonCode, long occurrences, Unsigned128 lastEntryUnixMs) {

        /** The hash of its scenario key, as {@link EntryOutcome#keyHash} makes it for every entry. */
        public long keyHash() {
            return EntryOutcome.keyHash(packetId, suiteId, scenarioId, mode);
        }

        /** The hash of its environment fingerprint. */
        public long envHash() {
            return EntryOutcome.textHash(envFingerprint);
        }
    }

    /**
     * One scenario key on one environment in one run.
     *
     * @param text the scenario's text when known (some entry of it failed in the run), else null:
     *             passing entries are counted without building their strings
     */
    public record ScenarioTally(long keyHash, long envHash, long passes, long failures, ScenarioText text) {
    }

    /** The text behind a scenario tally's hashes. */
    public record ScenarioText(String packetId, String suiteId, String scenarioId, String mode,
            String envFingerprint) {
    }

    /**
     * What the CI environment says about the job: the commit, branch and a link to it, read
     * from the variables of the CI systems in {@link #SYSTEMS}; all null elsewhere. Any CI can
     * also give them (or override one) through {@code TRIAGE_RULES_CI_COMMIT},
     * {@code TRIAGE_RULES_CI_BRANCH} and {@code TRIAGE_RULES_CI_JOB_URL}.
     */
    public record CiFacts(String commit, String branch, String jobUrl) {
        public static final CiFacts NONE = new CiFacts(null, null, null);

        /**
         * A CI system: how to tell it is the one running, and where it keeps the facts. The
         * first that is there wins; the order matters where systems share variable names
         * (Woodpecker's {@code CI_COMMIT_SHA} is GitLab's too).
         */
        private record CiSystem(Predicate<Function<String, String>> running, String commit, List<String> branch,
                Function<Function<String, String>, String> jobUrl) {
        }

        private static final List<CiSystem> SYSTEMS = List.of(
                // GitHub Actions
                new CiSystem(env -> present(env, "GITHUB_SHA") || present(env, "GITHUB_RUN_ID"), "GITHUB_SHA",
                        List.of("GITHUB_REF_NAME"), env -> joined(env, "GITHUB_SERVER_URL", "/", "GITHUB_REPOSITORY",
                                "/actions/runs/", "GITHUB_RUN_ID")),
                // Woodpecker (before GitLab: both set CI_COMMIT_SHA)
                new CiSystem(env -> "woodpecker".equals(env.apply("CI")), "CI_COMMIT_SHA", List.of("CI_COMMIT_BRANCH"),
                        env -> env.apply("CI_PIPELINE_URL")),
                // GitLab CI
                new CiSystem(env -> present(env, "CI_COMMIT_SHA") || present(env, "CI_JOB_URL"), "CI_COMMIT_SHA",
                        List.of("CI_COMMIT_REF_NAME"), env -> env.apply("CI_JOB_URL")),
                // Buildkite
                new CiSystem(env -> present(env, "BUILDKITE_COMMIT") || present(env, "BUILDKITE_BUILD_URL"),
                        "BUILDKITE_COMMIT", List.of("BUILDKITE_BRANCH"), env -> env.apply("BUILDKITE_BUILD_URL")),
                // CircleCI
                new CiSystem(env -> present(env, "CIRCLE_SHA1") || present(env, "CIRCLE_BUILD_URL"), "CIRCLE_SHA1",
                        List.of("CIRCLE_BRANCH"), env -> env.apply("CIRCLE_BUILD_URL")),
                // Azure Pipelines
                new CiSystem(env -> present(env, "TF_BUILD"), "BUILD_SOURCEVERSION", List.of("BUILD_SOURCEBRANCHNAME"),
                        env -> joined(env, "SYSTEM_COLLECTIONURI", "", "SYSTEM_TEAMPROJECT",
                                "/_build/results?buildId=", "BUILD_BUILDID")),
                // Bitbucket Pipelines
                new CiSystem(env -> present(env, "BITBUCKET_COMMIT"), "BITBUCKET_COMMIT", List.of("BITBUCKET_BRANCH"),
                        env -> joined(env, "BITBUCKET_GIT_HTTP_ORIGIN", "/pipelines/results/",
                                "BITBUCKET_BUILD_NUMBER")),
                // Travis CI
                new CiSystem(env -> present(env, "TRAVIS_COMMIT"), "TRAVIS_COMMIT", List.of("TRAVIS_BRANCH"),
                        env -> env.apply("TRAVIS_BUILD_WEB_URL")),
                // Drone
                new CiSystem(env -> present(env, "DRONE_COMMIT_SHA"), "DRONE_COMMIT_SHA", List.of("DRONE_BRANCH"),
                        env -> env.apply("DRONE_BUILD_LINK")),
                // Jenkins (BRANCH_NAME in multibranch pipelines, GIT_BRANCH from the Git plugin)
                new CiSystem(env -> present(env, "JENKINS_URL"), "GIT_COMMIT", List.of("BRANCH_NAME", "GIT_BRANCH"),
                        env -> env.apply("BUILD_URL")));

        /** Reads the usual variables through {@code env} (e.g. {@code System::getenv}). */
        public static CiFacts from(Function<String, String> env) {
            CiFacts found = NONE;
            for (CiSystem system : SYSTEMS) {
                if (system.running().test(env)) {
                    String branch = system.branch().stream().map(name -> value(env, name)).filter(Objects::nonNull)
                            .findFirst().orElse(null);
                    found = new CiFacts(value(env, system.commit()), branch, blankToNull(system.jobUrl().apply(env)));
                    break;
                }
            }
            return new CiFacts(override(env, "TRIAGE_RULES_CI_COMMIT", found.commit()),
                    override(env, "TRIAGE_RULES_CI_BRANCH", found.branch()),
                    override(env, "TRIAGE_RULES_CI_JOB_URL", found.jobUrl()));
        }

        /** Variables and literal parts in turn (variable, text, variable, ...); null when a variable is missing. */
        private static String joined(Function<String, String> env, String... parts) {
            StringBuilder url = new StringBuilder();
            for (int i = 0; i < parts.length; i++) {
                if (i % 2 == 0) {
                    String part = value(env, parts[i]);
                    if (part == null) {
                        return null;
                    }
                    url.append(part.replace(" ", "%20")); // an Azure project's name may have spaces
                } else {
                    url.append(parts[i]);
                }
            }
            return url.toString();
        }

        private static String override(Function<String, String> env, String name, String found) {
            String given = value(env, name);
            return given != null ? given : found;
        }

        private static String value(Function<String, String> env, String name) {
            return blankToNull(env.apply(name));
        }

        private static boolean present(Function<String, String> env, String name) {
            return value(env, name) != null;
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value;
        }
    }
}
