package dev.triagerules.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triagerules.report.ReportFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** `triage-rules replay` as its own JVM: what its commands inherit, and what is left when it is killed. */
@Timeout(120)
class ReplayProcessTest {
    @TempDir
    Path tmp;
    Path work;
    Path policy;

    @BeforeEach
    void folders() throws IOException {
        work = Files.createDirectories(tmp.resolve("work"));
        policy = Files.createDirectories(tmp.resolve("policy"));
        for (String file : new String[] {"classes.yaml", "severities.yaml"}) {
            Files.copy(Path.of("policy", file), policy.resolve(file));
        }
        Files.writeString(policy.resolve("replay.yaml"), "replay:\n  attempts: 1\n  allow: ['sh [a-z]+\\.sh']\n");
    }

    private Path report(String... commands) throws IOException {
        ObjectNode r = ReportFixtures.report();
        for (int i = 0; i < commands.length; i++) {
            ReportFixtures.incident(r, "triage64:" + i, "critical", commands[i]);
        }
        return ReportFixtures.write(r, tmp.resolve("triage.json"));
    }

    private Process replay(Path report, Map<String, String> env, String... extra) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"),
                "-Dtriage.home=" + Path.of("").toAbsolutePath(), Main.class.getName(), "replay",
                "--report", report.toString(), "--workdir", work.toString(), "--transcripts",
                tmp.resolve("t").toString(), "--policy", policy.toString()));
        command.addAll(Arrays.asList(extra));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("replay.out").toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    @Test
    void secretsOfTheInvokingEnvironmentDoNotReachTheCommand() throws Exception {
        Files.writeString(work.resolve("env.sh"), "env > \"seen-$TRIAGE_INCIDENT_ID\"\n");
        Process replay = replay(report("sh env.sh"), Map.of("AWS_SECRET_ACCESS_KEY", "s3cret-aws",
                "GITHUB_TOKEN", "s3cret-gh", "CARGO_REGISTRY_TOKEN", "s3cret-cargo", "LC_ALL", "C.UTF-8"));
        assertTrue(replay.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, replay.exitValue(), Files.readString(tmp.resolve("replay.out")));

        String seen = Files.readString(work.resolve("seen-triage64:0"));
        assertFalse(seen.contains("s3cret"), seen);
        assertTrue(seen.contains("PATH=" + System.getenv("PATH") + "\n"), seen);
        assertTrue(seen.contains("LC_ALL=C.UTF-8\n"), seen);
        assertTrue(seen.contains("TRIAGE_INCIDENT_ID=triage64:0\n"), seen);
        String transcript = Files.readString(tmp.resolve("t/triage64_0/attempt-1.json"));
        assertFalse(transcript.contains("s3cret"), transcript);
        List<String> inherited = new ArrayList<>();
        ReportFixtures.JSON.readTree(transcript).get("inherited_env").forEach(name -> inherited.add(name.asText()));
        assertTrue(inherited.containsAll(List.of("LC_ALL", "PATH")), inherited.toString());
        assertFalse(inherited.stream().anyMatch(name -> name.contains("TOKEN") || name.contains("SECRET")),
                inherited.toString());
    }

    @Test
    void killNineOfReplayLeavesNoProcessOfItsTreesRunning() throws Exception {
        // Each tree: the command's shell, a sleeping child, a middle shell and its sleeping grandchild.
        Files.writeString(work.resolve("tree.sh"), """
                sleep 300 &
                echo "$$ $!" >> pids
                sh -c 'sleep 300 & echo $! >> pids; wait' &
                echo "$!" >> pids
                wait
                """);
        // --jobs 2: two trees started from two worker threads.
        Process replay = replay(report("sh tree.sh", "sh tree.sh"), Map.of(), "--jobs", "2", "--timeout", "5m");
        Set<Long> pids = new TreeSet<>();
        Set<Long> sessions = new TreeSet<>();
        try {
            pids.addAll(waitForPids(8));
            for (long pid : pids) {
                sessions.add(session(pid));
            }
            assertEquals(2, sessions.size(), "two trees, each in a session of its own: " + sessions);
            replay.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
            assertTrue(replay.waitFor(10, TimeUnit.SECONDS));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            List<Long> alive = alive(pids, sessions);
            while (!alive.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
                alive = alive(pids, sessions);
            }
            assertEquals(List.of(), alive, "processes of the replay trees outlived the killed JVM");
        } finally {
            replay.destroyForcibly();
            alive(pids, sessions).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    private List<Long> waitForPids(int count) throws Exception {
        Path file = work.resolve("pids");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                List<Long> pids = Arrays.stream(Files.readString(file).split("\\s+")).filter(s -> !s.isEmpty())
                        .map(Long::parseLong).toList();
                if (pids.size() >= count) {
                    return pids;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the trees did not start: " + Files.readString(tmp.resolve("replay.out")));
    }

    /** Listed pids, and any process in the trees' sessions, that are still running (not zombies). */
    private static List<Long> alive(Set<Long> pids, Set<Long> sessions) throws IOException {
        List<Long> alive = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String[] stat = stat(Long.parseLong(name));
                if (stat != null && !stat[0].equals("Z") && !stat[0].equals("X")
                        && (pids.contains(Long.parseLong(name)) || sessions.contains(Long.parseLong(stat[3])))) {
                    alive.add(Long.parseLong(name));
                }
            }
        }
        return alive;
    }

    private static long session(long pid) {
        String[] stat = stat(pid);
        if (stat == null) {
            throw new AssertionError("process " + pid + " is already gone");
        }
        return Long.parseLong(stat[3]);
    }

    /** Fields of /proc/PID/stat after the command name: state, ppid, pgrp, session, ...; null when gone. */
    private static String[] stat(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException e) {
            return null;
        }
    }
}
