package dev.triagerules.policy;

import dev.triagerules.base.Problem;
import dev.triagerules.base.SourceLocation;
import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A loaded policy and the warnings its files gave, as the compiled-rules cache keeps it,
 * inside the authenticated entry: a cached run then reads no YAML, which cost 130-180 ms
 * of its start-up. Files are named relative to the policy folder, so one entry serves
 * that folder under any spelling ({@code policy}, {@code ./policy}), and paths come back
 * as {@link PolicyLoader} would have made them.
 *
 * <p>Written field by field ({@link Externalizable}) rather than as serialized records:
 * deserializing records builds a method-handle chain per record class, measured at
 * ~45 ms of a cold run's main thread (async-profiler, load 4-7), against ~1 ms for this.
 *
 * <p>Only a policy that loaded without errors is stored; the entry's key covers every
 * policy file's bytes, so it is never stale.
 */
public final class StoredPolicy implements Externalizable {
    private static final long serialVersionUID = 1L;

    private Policy policy;
    private Path dir;
    private List<Problem> warnings;

    /** For deserialization only. */
    public StoredPolicy() {
    }

    private StoredPolicy(Path dir, Policy policy, List<Problem> warnings) {
        this.dir = dir;
        this.policy = policy;
        this.warnings = warnings;
    }

    /**
     * The stored form of a policy loaded from {@code dir}, with the warnings loading it gave
     * (every problem must be a warning: a policy with errors is not kept).
     */
    public static StoredPolicy of(Path dir, Policy policy, List<Problem> warnings) {
        for (Problem warning : warnings) {
            if (warning.isError()) {
                throw new IllegalArgumentException("a policy with errors is not stored: " + warning);
            }
        }
        return new StoredPolicy(dir, policy, List.copyOf(warnings));
    }

    /** The policy, its files under {@code policyDir}. */
    public Policy policy(Path policyDir) {
        return rebase(policy, policyDir);
    }

    /** The warnings loading the policy gave, their files under {@code policyDir}. */
    public List<Problem> warnings(Path policyDir) {
        List<Problem> problems = new ArrayList<>();
        for (Problem warning : warnings) {
            problems.add(Problem.warning(in(policyDir, relativePath(warning.file())), warning.line(), warning.column(),
                    warning.message()));
        }
        return problems;
    }

    @Override
    public void writeExternal(ObjectOutput out) throws IOException {
        writeStrings(out, policy.severityOrder());
        out.writeInt(policy.classes().size());
        for (ClassPolicy entry : policy.classes().values()) {
            out.writeObject(entry.name());
            out.writeObject(entry.severity());
            out.writeObject(entry.ownerHint());
            Escalation escalation = entry.escalation();
            out.writeBoolean(escalation != null);
            if (escalation != null) {
                out.writeBoolean(escalation.escalateImmediately());
                out.writeObject(escalation.linkedBeadId());
                out.writeBoolean(escalation.attachArtifactPaths());
                out.writeBoolean(escalation.replayTranscriptRequired());
            }
        }
        writeStrings(out, policy.files().stream().map(file -> relative(dir, file)).toList());
        Map<String, SourceLocation> sources = new TreeMap<>(policy.classSources());
        out.writeInt(sources.size());
        for (Map.Entry<String, SourceLocation> source : sources.entrySet()) {
            out.writeObject(source.getKey());
            writeLocation(out, source.getValue());
        }
        ReplayPolicy replay = policy.replay();
        writeDuration(out, replay.defaultTimeout());
        Map<String, Duration> timeouts = new TreeMap<>(replay.classTimeouts());
        out.writeInt(timeouts.size());
        for (Map.Entry<String, Duration> timeout : timeouts.entrySet()) {
            out.writeObject(timeout.getKey());
            writeDuration(out, timeout.getValue());
        }
        out.writeInt(replay.attempts());
        out.writeInt(replay.allow().size());
        for (Pattern allowed : replay.allow()) {
            out.writeObject(allowed.pattern());
            out.writeInt(allowed.flags());
        }
        out.writeBoolean(replay.allowDefinedAt() != null);
        if (replay.allowDefinedAt() != null) {
            writeLocation(out, replay.allowDefinedAt());
        }
        writeStrings(out, replay.env());
        out.writeInt(policy.tickets().maxNewPerRun());
        FlakePolicy flake = policy.flake();
        out.writeInt(flake.minRuns());
        out.writeInt(flake.minReplayAttempts());
        out.writeDouble(flake.infraFailureShare());
        out.writeInt(flake.infraMinEntries());
        out.writeBoolean(flake.excludeFlakyFromGating());
        out.writeInt(warnings.size());
        for (Problem warning : warnings) {
            writeLocation(out, new SourceLocation(warning.file(), warning.line(), warning.column()));
            out.writeObject(warning.message());
        }
    }

    /** Reads what {@link #writeExternal} wrote; files stay relative until {@link #policy(Path)}. */
    @Override
    public void readExternal(ObjectInput in) throws IOException, ClassNotFoundException {
        dir = Path.of("");
        List<String> severityOrder = readStrings(in);
        Map<String, ClassPolicy> classes = new LinkedHashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            String name = (String) in.readObject();
            String severity = (String) in.readObject();
            String ownerHint = (String) in.readObject();
            Escalation escalation = null;
            if (in.readBoolean()) {
                escalation = new Escalation(in.readBoolean(), (String) in.readObject(), in.readBoolean(),
                        in.readBoolean());
            }
            classes.put(name, new ClassPolicy(name, severity, ownerHint, escalation));
        }
        List<Path> files = readStrings(in).stream().map(Path::of).toList();
        Map<String, SourceLocation> sources = new LinkedHashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            sources.put((String) in.readObject(), readLocation(in));
        }
        Duration defaultTimeout = readDuration(in);
        Map<String, Duration> timeouts = new LinkedHashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            timeouts.put((String) in.readObject(), readDuration(in));
        }
        int attempts = in.readInt();
        List<Pattern> allow = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            allow.add(Pattern.compile((String) in.readObject(), in.readInt()));
        }
        SourceLocation allowAt = in.readBoolean() ? readLocation(in) : null;
        List<String> env = readStrings(in);
        TicketsPolicy tickets = new TicketsPolicy(in.readInt());
        FlakePolicy flake = new FlakePolicy(in.readInt(), in.readInt(), in.readDouble(), in.readInt(),
                in.readBoolean());
        List<Problem> read = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            SourceLocation at = readLocation(in);
            read.add(Problem.warning(at.file(), at.line(), at.column(), (String) in.readObject()));
        }
        policy = new Policy(severityOrder, classes, files, Map.copyOf(sources),
                new ReplayPolicy(defaultTimeout, timeouts, attempts, allow, allowAt, env), tickets, flake);
        warnings = List.copyOf(read);
    }

    /** A policy whose files are named relative to {@link #dir}, with them under {@code to}. */
    private Policy rebase(Policy stored, Path to) {
        Map<String, SourceLocation> sources = new LinkedHashMap<>();
        stored.classSources().forEach((name, at) -> sources.put(name, rebase(at, to)));
        ReplayPolicy replay = stored.replay();
        return new Policy(stored.severityOrder(), stored.classes(),
                stored.files().stream().map(file -> in(to, relativePath(file))).toList(), Map.copyOf(sources),
                new ReplayPolicy(replay.defaultTimeout(), replay.classTimeouts(), replay.attempts(), replay.allow(),
                        replay.allowDefinedAt() == null ? null : rebase(replay.allowDefinedAt(), to), replay.env()),
                stored.tickets(), stored.flake());
    }

    private SourceLocation rebase(SourceLocation at, Path to) {
        return new SourceLocation(in(to, relativePath(at.file())), at.line(), at.column());
    }

    private Path relativePath(Path file) {
        return file == null ? null : Path.of(relative(dir, file));
    }

    private void writeLocation(ObjectOutput out, SourceLocation at) throws IOException {
        out.writeObject(at.file() == null ? null : relative(dir, at.file()));
        out.writeInt(at.line());
        out.writeInt(at.column());
    }

    /** A location as written: its file relative (or null) until rebased. */
    private static SourceLocation readLocation(ObjectInput in) throws IOException, ClassNotFoundException {
        String file = (String) in.readObject();
        return new SourceLocation(file == null ? null : Path.of(file), in.readInt(), in.readInt());
    }

    private static void writeDuration(ObjectOutput out, Duration duration) throws IOException {
        out.writeLong(duration.getSeconds());
        out.writeInt(duration.getNano());
    }

    private static Duration readDuration(ObjectInput in) throws IOException {
        return Duration.ofSeconds(in.readLong(), in.readInt());
    }

    private static void writeStrings(ObjectOutput out, List<String> strings) throws IOException {
        out.writeInt(strings.size());
        for (String string : strings) {
            out.writeObject(string);
        }
    }

    private static List<String> readStrings(ObjectInput in) throws IOException, ClassNotFoundException {
        List<String> strings = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            strings.add((String) in.readObject());
        }
        return List.copyOf(strings);
    }

    /** A file of the policy folder by its name there. */
    private static String relative(Path dir, Path file) {
        return dir.relativize(file).toString();
    }

    /** A name relative to the policy folder, under {@code dir}; null stays null. */
    private static Path in(Path dir, Path relative) {
        return relative == null ? null : dir.resolve(relative);
    }
}
