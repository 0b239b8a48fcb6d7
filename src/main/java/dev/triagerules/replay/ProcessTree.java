package dev.triagerules.replay;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A command and everything it starts, so that all of it can be ended together.
 *
 * <p>The command runs as {@code setsid ARGV...} (held, see {@link #HOLD}) when {@code setsid} exists: it
 * leads a new session, and every process it forks stays in that session even after its
 * parent dies and it is reparented to init, where {@link ProcessHandle#descendants()}
 * no longer sees it. Members are found both ways: the live descendants of the shell and,
 * on Linux, every process in {@code /proc} whose session is the shell's. Only a process
 * that starts a session of its own (a daemon) escapes.
 */
public final class ProcessTree {
    /** How often the end loop looks for processes forked since the last look. */
    private static final Duration POLL = Duration.ofMillis(20);
    /** How long the KILL phase keeps trying before giving up on a process. */
    private static final Duration KILL_LIMIT = Duration.ofSeconds(5);
    private static final Path PROC = Path.of("/proc");
    private static final String SETSID = findSetsid();
    /**
     * The session leader first waits for one line on its stdin, then execs the command
     * words as they are ({@code "$@"}: no word is read as shell code) with stdin from
     * {@code /dev/null}. Until the runner has told {@link ParentDeathWatch} the session,
     * nothing of the command runs; measured without it, a JVM killed in that window (a few
     * milliseconds, more under load) left 1 tree in 8 running. If the JVM dies first, the
     * read sees end of input and the command never starts (exit 125).
     */
    private static final List<String> HOLD = List.of("/bin/sh", "-c",
            "IFS= read -r _ || exit 125; exec \"$@\" </dev/null", "triage-rules-replay");

    private final Process process;
    private final boolean ownSession;

    private ProcessTree(Process process, boolean ownSession) {
        this.process = process;
        this.ownSession = ownSession;
    }

    /**
     * Starts {@code argv} in {@code workdir} with exactly {@code env} as its environment
     * (nothing of this process's own); stdout and stderr are merged into {@link #output()}.
     */
    public static ProcessTree start(List<String> argv, Path workdir, Map<String, String> env) throws IOException {
        boolean ownSession = SETSID != null;
        List<String> command = new ArrayList<>();
        if (ownSession) {
            command.add(SETSID);
            command.addAll(HOLD);
        }
        command.addAll(argv);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workdir.toFile())
                .redirectErrorStream(true);
        if (!ownSession) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        builder.environment().clear();
        builder.environment().putAll(env);
        return new ProcessTree(builder.start(), ownSession);
    }

    /**
     * Lets a held command run (see {@link #HOLD}); the runner calls it once the command's
     * session is under the parent-death watch. A tree that is gone already is left alone.
     */
    public void release() {
        if (!ownSession) {
            return;
        }
        try (OutputStream go = process.getOutputStream()) {
            go.write('\n');
        } catch (IOException e) {
            // The holding shell is gone (ended meanwhile): there is nothing to let run.
        }
    }

    public Process process() {
        return process;
    }

    public InputStream output() {
        return process.getInputStream();
    }

    public long pid() {
        return process.pid();
    }

    /** The setsid program, or null where there is none. */
    static String setsid() {
        return SETSID;
    }

    /** Whether the command runs in a session of its own (setsid was found). */
    public boolean ownSession() {
        return ownSession;
    }

    /** Every live process of the tree, the shell included while it lives. */
    public List<ProcessHandle> members() {
        Map<Long, ProcessHandle> found = new LinkedHashMap<>();
        ProcessHandle root = process.toHandle();
        if (root.isAlive()) {
            found.put(root.pid(), root);
        }
        root.descendants().filter(ProcessTree::running).forEach(p -> found.put(p.pid(), p));
        if (ownSession) {
            sessionMembers(root.pid()).forEach(p -> found.putIfAbsent(p.pid(), p));
        }
        return List.copyOf(found.values());
    }

    /**
     * Ends the whole tree: TERM to every member, then, after {@code grace}, KILL to every
     * survivor. Members are looked up again on every pass, because a process may fork
     * while it is being ended and its orphans leave the descendant tree. Returns when no
     * member is left (or after a few seconds of trying, for unkillable processes).
     */
    public void end(Duration grace) {
        // An interrupted caller (Ctrl-C, --jobs shutdown) still wants no orphans: finish, then re-flag.
        boolean interrupted = Thread.interrupted();
        long graceEnd = System.nanoTime() + grace.toNanos(); // compared by difference: the sum may wrap
        List<ProcessHandle> members = members();
        while (!members.isEmpty() && System.nanoTime() - graceEnd < 0) {
            members.forEach(ProcessHandle::destroy);
            interrupted |= sleep(POLL);
            members = members();
        }
        long killEnd = System.nanoTime() + KILL_LIMIT.toNanos();
        while (!members.isEmpty() && System.nanoTime() - killEnd < 0) {
            members.forEach(ProcessHandle::destroyForcibly);
            interrupted |= sleep(POLL);
            members = members();
        }
        // Reap the shell so it does not stay a zombie of this JVM.
        try {
            process.waitFor(POLL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Alive and not a zombie. A killed process whose parent died is reparented to init and
     * stays a zombie until init collects it; ProcessHandle still calls it alive, but it
     * no longer runs and cannot be killed again.
     */
    static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        String state = state(process.pid());
        return !"Z".equals(state) && !"X".equals(state);
    }

    /** The one-letter state from {@code /proc/PID/stat} ("R", "S", "Z", ...), or "" when unknown. */
    static String state(long pid) {
        String[] fields = statFields(pid);
        return fields == null ? "" : fields[0];
    }

    /** Fields of {@code /proc/PID/stat} after the command name: state, ppid, pgrp, session, ...; null if unreadable. */
    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null; // gone meanwhile, unreadable, or no /proc
        }
    }

    /** Live (non-zombie) processes whose session id is {@code sid}; empty where there is no /proc. */
    static List<ProcessHandle> sessionMembers(long sid) {
        if (!Files.isDirectory(PROC)) {
            return List.of();
        }
        long self = ProcessHandle.current().pid();
        try (Stream<Path> entries = Files.list(PROC)) {
            return entries
                    .map(p -> p.getFileName().toString())
                    .filter(name -> !name.isEmpty() && name.chars().allMatch(Character::isDigit))
                    .mapToLong(Long::parseLong)
                    .filter(pid -> pid != self && isLiveMemberOf(pid, sid))
                    .mapToObj(ProcessHandle::of)
                    .flatMap(Optional::stream)
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    /**
     * Reads {@code /proc/PID/stat}: {@code pid (comm) state ppid pgrp session ...}. The
     * command name may hold spaces and parentheses, so fields are counted after the last ')'.
     */
    private static boolean isLiveMemberOf(long pid, long sid) {
        String[] fields = statFields(pid);
        try {
            return fields != null && !"Z".equals(fields[0]) && !"X".equals(fields[0])
                    && Long.parseLong(fields[3]) == sid;
        } catch (RuntimeException e) {
            return false; // an unexpected format: not ours to end
        }
    }

    private static String findSetsid() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "setsid");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    /** Sleeps; true when interrupted (end() restores the flag once the tree is gone). */
    private static boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }
}
