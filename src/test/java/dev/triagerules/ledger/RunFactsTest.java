package dev.triagerules.ledger;

import dev.triagerules.base.Unsigned128;
import static org.assertj.core.api.Assertions.assertThat;

import dev.triagerules.input.EntryOutcome;
import dev.triagerules.input.LogEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFactsTest {
    @TempDir
    Path tmp;

    @Test
    void ciFactsFromGitHubGitLabAndBuildkite() {
        assertThat(RunFacts.CiFacts.from(Map.of("GITHUB_SHA", "abc", "GITHUB_REF_NAME", "main", "GITHUB_SERVER_URL",
                "https://github.com", "GITHUB_REPOSITORY", "o/r", "GITHUB_RUN_ID", "42")::get))
                .isEqualTo(new RunFacts.CiFacts("abc", "main", "https://github.com/o/r/actions/runs/42"));
        assertThat(RunFacts.CiFacts.from(Map.of("GITHUB_SHA", "abc")::get))
                .isEqualTo(new RunFacts.CiFacts("abc", null, null));
        assertThat(RunFacts.CiFacts.from(Map.of("CI_COMMIT_SHA", "def", "CI_COMMIT_REF_NAME", "dev", "CI_JOB_URL",
                "https://gitlab.example/j/1")::get))
                .isEqualTo(new RunFacts.CiFacts("def", "dev", "https://gitlab.example/j/1"));
        assertThat(RunFacts.CiFacts.from(Map.of("BUILDKITE_COMMIT", "123", "BUILDKITE_BRANCH", "b",
                "BUILDKITE_BUILD_URL", "https://buildkite.example/b/9")::get))
                .isEqualTo(new RunFacts.CiFacts("123", "b", "https://buildkite.example/b/9"));
        assertThat(RunFacts.CiFacts.from(Map.of("GITHUB_SHA", " ")::get)).isEqualTo(RunFacts.CiFacts.NONE);
        assertThat(RunFacts.CiFacts.from(name -> null)).isEqualTo(RunFacts.CiFacts.NONE);
    }

    @Test
    void ciFactsFromTheOtherCiSystems() {
        assertThat(ci(Map.of("CIRCLECI", "true", "CIRCLE_SHA1", "c1", "CIRCLE_BRANCH", "main", "CIRCLE_BUILD_URL",
                "https://circleci.com/gh/o/r/7"))).isEqualTo(new RunFacts.CiFacts("c1", "main",
                        "https://circleci.com/gh/o/r/7"));
        assertThat(ci(Map.of("TF_BUILD", "True", "BUILD_SOURCEVERSION", "a1", "BUILD_SOURCEBRANCHNAME", "main",
                "SYSTEM_COLLECTIONURI", "https://dev.azure.com/org/", "SYSTEM_TEAMPROJECT", "My Project",
                "BUILD_BUILDID", "77"))).isEqualTo(new RunFacts.CiFacts("a1", "main",
                        "https://dev.azure.com/org/My%20Project/_build/results?buildId=77"));
        assertThat(ci(Map.of("BITBUCKET_COMMIT", "b1", "BITBUCKET_BRANCH", "dev", "BITBUCKET_GIT_HTTP_ORIGIN",
                "http://bitbucket.org/o/r", "BITBUCKET_BUILD_NUMBER", "12"))).isEqualTo(new RunFacts.CiFacts("b1",
                        "dev", "http://bitbucket.org/o/r/pipelines/results/12"));
        assertThat(ci(Map.of("TRAVIS", "true", "TRAVIS_COMMIT", "t1", "TRAVIS_BRANCH", "main", "TRAVIS_BUILD_WEB_URL",
                "https://travis.example/b/3"))).isEqualTo(new RunFacts.CiFacts("t1", "main",
                        "https://travis.example/b/3"));
        assertThat(ci(Map.of("DRONE", "true", "DRONE_COMMIT_SHA", "d1", "DRONE_BRANCH", "main", "DRONE_BUILD_LINK",
                "https://drone.example/o/r/5"))).isEqualTo(new RunFacts.CiFacts("d1", "main",
                        "https://drone.example/o/r/5"));
        // Woodpecker sets GitLab's CI_COMMIT_SHA too: it is told apart by CI=woodpecker.
        assertThat(ci(Map.of("CI", "woodpecker", "CI_COMMIT_SHA", "w1", "CI_COMMIT_BRANCH", "main",
                "CI_PIPELINE_URL", "https://ci.example/repos/1/pipeline/4"))).isEqualTo(new RunFacts.CiFacts("w1",
                        "main", "https://ci.example/repos/1/pipeline/4"));
        // Jenkins: BRANCH_NAME in a multibranch pipeline, else the Git plugin's GIT_BRANCH.
        assertThat(ci(Map.of("JENKINS_URL", "https://jenkins.example/", "GIT_COMMIT", "j1", "BRANCH_NAME", "main",
                "GIT_BRANCH", "origin/main", "BUILD_URL", "https://jenkins.example/job/x/9/")))
                .isEqualTo(new RunFacts.CiFacts("j1", "main", "https://jenkins.example/job/x/9/"));
        assertThat(ci(Map.of("JENKINS_URL", "https://jenkins.example/", "GIT_COMMIT", "j1", "GIT_BRANCH",
                "origin/main"))).isEqualTo(new RunFacts.CiFacts("j1", "origin/main", null));
        // A URL whose parts are not all there is left out, not made up.
        assertThat(ci(Map.of("TF_BUILD", "True", "BUILD_SOURCEVERSION", "a1", "BUILD_BUILDID", "77")))
                .isEqualTo(new RunFacts.CiFacts("a1", null, null));
    }

    @Test
    void anyCiCanGiveOrOverrideTheFactsItself() {
        assertThat(ci(Map.of("TRIAGE_RULES_CI_COMMIT", "x1", "TRIAGE_RULES_CI_BRANCH", "trunk",
                "TRIAGE_RULES_CI_JOB_URL", "https://ci.example/7"))).isEqualTo(new RunFacts.CiFacts("x1", "trunk",
                        "https://ci.example/7"));
        assertThat(ci(Map.of("GITHUB_SHA", "abc", "GITHUB_REF_NAME", "main", "TRIAGE_RULES_CI_BRANCH", "release")))
                .isEqualTo(new RunFacts.CiFacts("abc", "release", null));
        assertThat(ci(Map.of("TRIAGE_RULES_CI_COMMIT", " "))).isEqualTo(RunFacts.CiFacts.NONE);
    }

    private static RunFacts.CiFacts ci(Map<String, String> env) {
        return RunFacts.CiFacts.from(env::get);
    }

    @Test
    void talliesCountEveryEntryOfEveryScenarioAndEnv() {
        Random random = new Random(5);
        ScenarioTallies tallies = new ScenarioTallies();
        Map<List<Long>, long[]> expected = new java.util.LinkedHashMap<>(); // in first-seen order
        for (int i = 0; i < 200_000; i++) {
            String scenario = "case_" + random.nextInt(5_000);
            String env = "det64:" + random.nextInt(3);
            boolean failed = random.nextInt(10) == 0;
            long key = EntryOutcome.keyHash("P", "suite", scenario, "strict");
            long envHash = EntryOutcome.textHash(env);
            LogEntry entry = failed ? new LogEntry("v1", Unsigned128.of(1), "suite", scenario, "f", "P", "strict", 7,
                    env, List.of(), "cmd", "fail", "code") : null;
            tallies.accept(new EntryOutcome(key, 7, envHash, entry));
            expected.computeIfAbsent(List.of(key, envHash), k -> new long[2])[failed ? 1 : 0]++;
        }
        assertThat(tallies.size()).isEqualTo(expected.size());
        int seen = 0;
        List<List<Long>> firstSeenOrder = new java.util.ArrayList<>(expected.keySet());
        for (RunFacts.ScenarioTally tally : tallies) {
            assertThat(List.of(tally.keyHash(), tally.envHash())).as("iterated in first-seen order")
                    .isEqualTo(firstSeenOrder.get(seen));
            long[] counts = expected.get(List.of(tally.keyHash(), tally.envHash()));
            assertThat(new long[] {tally.passes(), tally.failures()}).isEqualTo(counts);
            assertThat(tally.text() != null).isEqualTo(counts[1] > 0);
            assertThat(tallies.get(tally.keyHash(), tally.envHash())).isEqualTo(tally);
            seen++;
        }
        assertThat(seen).isEqualTo(expected.size());
        assertThat(tallies.get(1, 2)).isNull();
    }

    @Test
    void inputDigestsAreTheFilesSha256() throws Exception {
        Path log = Files.write(tmp.resolve("e2e.jsonl"), "{\"a\":1}\n".repeat(10_000).getBytes());
        String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(log)));
        assertThat(InputDigests.jdkSha256(log)).isEqualTo(expected);
        assertThat(InputDigests.sha256(log)).isEqualTo(expected);
        String openssl = InputDigests.opensslSha256(log);
        assertThat(openssl == null || openssl.equals(expected)).as("openssl, when installed, agrees").isTrue();
        assertThat(InputDigests.start(List.of(log.toString(), "-")).await()).containsExactly(
                new RunFacts.InputFile(log.toString(), expected), new RunFacts.InputFile("-", null));
    }

    @Test
    void aPipeIsRecordedWithoutADigestAndNeverOpened() throws Exception {
        // Opening a FIFO without a writer blocks: a digest that tried would never return.
        Path fifo = dev.triagerules.base.FileTypes.mkfifo(tmp.resolve("input.fifo"));
        List<RunFacts.InputFile> files = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(30), () -> InputDigests.start(List.of(fifo.toString())).await());
        assertThat(files).containsExactly(new RunFacts.InputFile(fifo.toString(), null));
    }
}
