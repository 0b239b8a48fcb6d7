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
            LogEntry entry = failed ? new LogEntry("v1", Unsigned128.of(1), "suite", scenario, "f", "P", "strict", 7, env, List.of(),
                    "cmd", "fail", "code") : null;
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
