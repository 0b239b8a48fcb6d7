package dev.triagerules.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triagerules.base.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How PolicyLoader reports the problems of a policy file: all at once, each where it is. */
class PolicyLoaderTest {
    private static final String KEYS = "(expected one of: annotations, classes, escalation, flake, junit, lifecycle,"
            + " masks, replay, severity_order, tickets)";

    @TempDir
    Path dir;

    @Test
    void everyProblemOfAFileComesAtOnceInFileOrder() throws Exception {
        Path file = dir.resolve("a.yaml");
        Files.writeString(file, """
                colour: red
                severity_order: [high, low, high]
                flake:
                  min_runs: lots
                  size: 3
                lifecycle: {resolve_after_passing_runs: 0}
                tickets:
                  max_new_per_run: many
                size: large
                classes:
                  assertion: {severity: high, owner_hint: team}
                """);
        List<Problem> problems = new ArrayList<>();
        assertThat(PolicyLoader.load(dir, problems)).isNull();
        assertThat(problems).extracting(Problem::toString).containsExactly(
                file + ":1:1: error: unknown key \"colour\" " + KEYS,
                file + ":2:29: error: severity_order lists a severity twice: [high, low, high]",
                file + ":4:13: error: flake.min_runs: Cannot deserialize value of type `java.lang.Integer` from"
                        + " String \"lots\": not a valid `java.lang.Integer` value",
                file + ":5:3: error: unknown key \"size\" (expected one of: exclude_flaky_from_gating,"
                        + " infra_failure_share, infra_min_entries, min_replay_attempts, min_rerun_failures, min_runs)",
                file + ":6:41: error: lifecycle.resolve_after_passing_runs must be at least 1, got 0",
                file + ":8:20: error: tickets.max_new_per_run: Cannot deserialize value of type `java.lang.Integer`"
                        + " from String \"many\": not a valid `java.lang.Integer` value",
                file + ":9:1: error: unknown key \"size\" " + KEYS);
    }

    @Test
    void aSyntaxErrorIsOneLineAtWhereSnakeYamlFoundIt() throws Exception {
        Path file = dir.resolve("a.yaml");
        Files.writeString(file, "severity_order: [high, low]\nclasses:\n  x: {severity: high, owner_hint: \"team}\n");
        List<Problem> problems = new ArrayList<>();
        assertThat(PolicyLoader.load(dir, problems)).isNull();
        assertThat(problems).extracting(Problem::toString).containsExactly(
                file + ":4:1: error: invalid YAML: found unexpected end of stream");
    }
}
