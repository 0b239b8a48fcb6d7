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

/**
 * Everything one triage run hands to the ledger: what it read, with what rules, where it
 * ran, the incidents it saw, the pass and fail counts of its scenarios, and replay evidence.
 * The ledger records it as one run, in one transaction.
 *
 * @param recordedUnixMs when the run happened, unix milliseconds (the report's
 *                       {@code generated_unix_ms}, so {@code SOURCE_DATE_EPOCH} applies)
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

    /** An input log and the SHA-256 of its bytes as stored; sha256 is null for stdin. */
    public record InputFile(String path, String sha256) {
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
     * What the CI environment says about the job: the commit, branch and a link to it. Read
     * from GitHub Actions, GitLab CI or Buildkite variables; all null elsewhere.
     */
    public record CiFacts(String commit, String branch, String jobUrl) {
        public static final CiFacts NONE = new CiFacts(null, null, null);

        /** Reads the usual variables through {@code env} (e.g. {@code System::getenv}). */
        public static CiFacts from(Function<String, String> env) {
            if (present(env, "GITHUB_SHA") || present(env, "GITHUB_RUN_ID")) {
                String server = env.apply("GITHUB_SERVER_URL");
                String repository = env.apply("GITHUB_REPOSITORY");
                String runId = env.apply("GITHUB_RUN_ID");
                String url = server != null && repository != null && runId != null
                        ? server + "/" + repository + "/actions/runs/" + runId : null;
                return new CiFacts(blankToNull(env.apply("GITHUB_SHA")), blankToNull(env.apply("GITHUB_REF_NAME")),
                        url);
            }
            if (present(env, "CI_COMMIT_SHA") || present(env, "CI_JOB_URL")) {
                return new CiFacts(blankToNull(env.apply("CI_COMMIT_SHA")),
                        blankToNull(env.apply("CI_COMMIT_REF_NAME")), blankToNull(env.apply("CI_JOB_URL")));
            }
            if (present(env, "BUILDKITE_COMMIT") || present(env, "BUILDKITE_BUILD_URL")) {
                return new CiFacts(blankToNull(env.apply("BUILDKITE_COMMIT")),
                        blankToNull(env.apply("BUILDKITE_BRANCH")), blankToNull(env.apply("BUILDKITE_BUILD_URL")));
            }
            return NONE;
        }

        private static boolean present(Function<String, String> env, String name) {
            return blankToNull(env.apply(name)) != null;
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value;
        }
    }
}
