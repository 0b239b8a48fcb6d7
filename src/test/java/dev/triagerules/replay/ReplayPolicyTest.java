package dev.triagerules.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triagerules.base.Problem;
import dev.triagerules.policy.DurationText;
import dev.triagerules.policy.Policy;
import dev.triagerules.policy.PolicyLoader;
import dev.triagerules.policy.ReplayPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code replay:} policy key and the durations it (and --timeout) accept. */
class ReplayPolicyTest {
    private static final String BASE = """
            severity_order: [critical, high, medium, low]
            classes:
              oracle_infra: {severity: medium, owner_hint: infra}
              autograd_state: {severity: critical, owner_hint: autograd}
            """;

    @TempDir
    Path dir;

    @Test
    void durationsInShortAndIsoForms() {
        assertEquals(Duration.ofMillis(500), DurationText.parse("500ms"));
        assertEquals(Duration.ofSeconds(90), DurationText.parse("90s"));
        assertEquals(Duration.ofMinutes(10), DurationText.parse("10m"));
        assertEquals(Duration.ofHours(1), DurationText.parse("1h"));
        assertEquals(Duration.ofMinutes(10), DurationText.parse("PT10M"));
        assertThrows(IllegalArgumentException.class, () -> DurationText.parse("ten minutes"));
        assertThrows(IllegalArgumentException.class, () -> DurationText.parse("0s"));
        assertEquals("90s", DurationText.format(Duration.ofSeconds(90)));
    }

    @Test
    void replayKeyIsReadWithPerClassTimeouts() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), BASE);
        Files.writeString(dir.resolve("replay.yaml"), """
                replay:
                  default_timeout: 90s
                  class_timeouts: {oracle_infra: 30m}
                  attempts: 5
                """);
        List<Problem> problems = new ArrayList<>();
        Policy policy = PolicyLoader.load(dir, problems);
        assertTrue(problems.stream().noneMatch(Problem::isError), problems.toString());
        ReplayPolicy replay = policy.replay();
        assertEquals(5, replay.attempts());
        assertEquals(Duration.ofMinutes(30), replay.timeoutFor("oracle_infra"));
        assertEquals(Duration.ofSeconds(90), replay.timeoutFor("autograd_state"));
        assertEquals(Duration.ofSeconds(90), replay.timeoutFor(null));
    }

    @Test
    void withoutReplayKeyTheDefaultsApply() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), BASE);
        Policy policy = PolicyLoader.load(dir, new ArrayList<>());
        assertEquals(ReplayPolicy.DEFAULT, policy.replay());
    }

    @Test
    void badReplayValuesAreLocatedErrors() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), BASE);
        Files.writeString(dir.resolve("replay.yaml"), """
                replay:
                  default_timeout: soon
                  class_timeouts: {no_such_class: 1m}
                  attempts: 0
                """);
        List<Problem> problems = new ArrayList<>();
        assertNull(PolicyLoader.load(dir, problems));
        String all = problems.toString();
        assertTrue(all.contains("replay.yaml:2"), all);
        assertTrue(all.contains("\"soon\" is not a duration"), all);
        assertTrue(all.contains("no_such_class"), all);
        assertTrue(all.contains("replay.attempts must be at least 1"), all);
    }

    /** Unbounded, a replay.json had no size replay could not write, and the gate no bound to read it within. */
    @Test
    void attemptsAreAtMostTheLimitTheGateBoundsAReplayByAndTheCommandLineToo() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), BASE);
        Files.writeString(dir.resolve("replay.yaml"), "replay:\n  attempts: 1001\n");
        List<Problem> problems = new ArrayList<>();
        assertNull(PolicyLoader.load(dir, problems));
        assertEquals(List.of(dir.resolve("replay.yaml") + ":2:13: error: replay.attempts must be at most 1000, got 1001"),
                problems.stream().map(Problem::toString).toList());

        Files.writeString(dir.resolve("replay.yaml"), "replay:\n  attempts: 1000\n");
        assertEquals(ReplayPolicy.MAX_ATTEMPTS, PolicyLoader.load(dir, new ArrayList<>()).replay().attempts());

        dev.triagerules.cli.CliRunner.Result run = dev.triagerules.cli.CliRunner.run("replay", "--report", "r.json",
                "--attempts", "1001").assertExit(2);
        assertTrue(run.err().startsWith("--attempts must be at most 1000, got 1001\n"), run.err());
    }

    @Test
    void bundledPoliciesLoadWithTheirReplayKey() {
        for (String folder : List.of("policy", "examples/frankentorch-head/policy")) {
            List<Problem> problems = new ArrayList<>();
            Policy policy = PolicyLoader.load(Path.of(folder), problems);
            assertTrue(problems.stream().noneMatch(Problem::isError), folder + ": " + problems);
            assertEquals(Duration.ofMinutes(30), policy.replay().timeoutFor("oracle_infra"), folder);
            assertEquals(Duration.ofMinutes(10), policy.replay().timeoutFor("autograd_state"), folder);
            assertEquals(3, policy.replay().attempts(), folder);
            assertEquals(3, policy.replay().allow().size(), folder);
            assertEquals(ReplayPolicy.DEFAULT_ENV, policy.replay().env(), folder);
        }
    }

    @Test
    void allowAndEnvAreReadAndBadOnesAreLocatedErrors() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), BASE);
        Files.writeString(dir.resolve("replay.yaml"), """
                replay:
                  allow: ['make test', 'cargo test [a-z]+']
                  env: [PATH, LC_*]
                """);
        Policy policy = PolicyLoader.load(dir, new ArrayList<>());
        assertEquals(List.of("make test", "cargo test [a-z]+"),
                policy.replay().allow().stream().map(java.util.regex.Pattern::pattern).toList());
        assertEquals(List.of("PATH", "LC_*"), policy.replay().env());
        assertEquals(dir.resolve("replay.yaml") + ":2:3", policy.replay().allowDefinedAt().toString());

        Files.writeString(dir.resolve("replay.yaml"), """
                replay:
                  allow: ['cargo test (', '']
                  env: [PATH, 'A-B', '*']
                """);
        List<Problem> problems = new ArrayList<>();
        assertNull(PolicyLoader.load(dir, problems));
        String all = problems.toString();
        assertTrue(all.contains("replay.yaml:2:11: error: replay.allow[0] is not a regular expression: Unclosed group"),
                all);
        assertTrue(all.contains("replay.yaml:2:27: error: replay.allow[1] is empty"), all);
        assertTrue(all.contains("replay.yaml:3:15: error: replay.env[1] must be a variable name or a prefix ending in *,"
                + " got \"A-B\""), all);
        assertTrue(all.contains("replay.yaml:3:22: error: replay.env[2]"), all);
    }

    @Test
    void eachBadEntryOfABlockListIsLocatedAtItself() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), BASE);
        Path replay = dir.resolve("replay.yaml");
        Files.writeString(replay, """
                replay:
                  default_timeout: soon
                  allow:
                    # make test
                    - 'make test'
                    - 'cargo test ('
                  env: [PATH,
                        'A-B']
                """);
        List<Problem> problems = new ArrayList<>();
        assertNull(PolicyLoader.load(dir, problems));
        assertEquals(List.of(
                replay + ":2:20: error: replay.default_timeout: \"soon\" is not a duration (expected e.g. 500ms, 90s,"
                        + " 10m, 1h or ISO-8601 PT10M)",
                replay + ":6:7: error: replay.allow[1] is not a regular expression: Unclosed group near index 12",
                replay + ":8:9: error: replay.env[1] must be a variable name or a prefix ending in *, got \"A-B\""),
                problems.stream().map(Problem::toString).toList());
    }

    @Test
    void theEnvironmentKeepsOnlyWhatThePolicyNames() {
        Map<String, String> parent = Map.of("PATH", "/usr/bin", "HOME", "/home/me", "LC_ALL", "C", "LC_TIME", "C",
                "AWS_SECRET_ACCESS_KEY", "s3cret", "GITHUB_TOKEN", "ghp_x", "CARGO_REGISTRY_TOKEN", "cio_x",
                "CARGO_HOME", "/home/me/.cargo", "PATHX", "no");
        assertEquals(Map.of("PATH", "/usr/bin", "HOME", "/home/me", "LC_ALL", "C", "LC_TIME", "C", "CARGO_HOME",
                "/home/me/.cargo"), ReplayEnvironment.inherited(ReplayPolicy.DEFAULT_ENV, parent));
        assertEquals(Map.of(), ReplayEnvironment.inherited(List.of(), parent));
    }
}
