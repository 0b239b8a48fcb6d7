package dev.triagerules.policy;

import dev.triagerules.base.Problem;
import dev.triagerules.base.SourceLocation;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A loaded policy and the warnings its files gave, as the compiled-rules cache keeps it
 * (Java serialization, inside the authenticated entry): a cached run then reads no YAML,
 * which cost 130-180 ms of its start-up. Files are named relative to the policy folder,
 * so one entry serves that folder under any spelling ({@code policy}, {@code ./policy}),
 * and paths come back as {@link PolicyLoader} would have made them.
 *
 * <p>Only a policy that loaded without errors is stored; the entry's key covers every
 * policy file's bytes, so it is never stale.
 */
public record StoredPolicy(List<String> severityOrder, List<ClassPolicy> classes, List<String> files,
        Map<String, Place> classSources, Duration replayDefaultTimeout, Map<String, Duration> replayClassTimeouts,
        int replayAttempts, List<Pattern> replayAllow, Place replayAllowDefinedAt, List<String> replayEnv,
        TicketsPolicy tickets, FlakePolicy flake, List<Warning> warnings) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** A place in a policy file, the file named relative to the policy folder. */
    public record Place(String file, int line, int column) implements Serializable {
        private static final long serialVersionUID = 1L;

        static Place of(Path dir, SourceLocation location) {
            return location == null ? null
                    : new Place(relative(dir, location.file()), location.line(), location.column());
        }

        SourceLocation in(Path dir) {
            return new SourceLocation(file == null ? null : dir.resolve(file), line, column);
        }
    }

    /** A warning about a policy file. */
    public record Warning(Place place, String message) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * The stored form of a policy loaded from {@code dir}, with the warnings loading it gave
     * (every problem must be a warning: a policy with errors is not kept).
     */
    public static StoredPolicy of(Path dir, Policy policy, List<Problem> warnings) {
        Map<String, Place> sources = new LinkedHashMap<>();
        policy.classSources().forEach((name, at) -> sources.put(name, Place.of(dir, at)));
        List<Warning> stored = new ArrayList<>();
        for (Problem warning : warnings) {
            if (warning.isError()) {
                throw new IllegalArgumentException("a policy with errors is not stored: " + warning);
            }
            stored.add(new Warning(new Place(relative(dir, warning.file()), warning.line(), warning.column()),
                    warning.message()));
        }
        ReplayPolicy replay = policy.replay();
        return new StoredPolicy(new ArrayList<>(policy.severityOrder()), new ArrayList<>(policy.classes().values()),
                policy.files().stream().map(file -> relative(dir, file)).toList(), sources,
                replay.defaultTimeout(), new LinkedHashMap<>(replay.classTimeouts()), replay.attempts(),
                new ArrayList<>(replay.allow()), Place.of(dir, replay.allowDefinedAt()), new ArrayList<>(replay.env()),
                policy.tickets(), policy.flake(), stored);
    }

    /** The policy, its files under {@code dir}. */
    public Policy policy(Path dir) {
        Map<String, ClassPolicy> byName = new LinkedHashMap<>();
        for (ClassPolicy entry : classes) {
            byName.put(entry.name(), entry);
        }
        Map<String, SourceLocation> sources = new LinkedHashMap<>();
        classSources.forEach((name, place) -> sources.put(name, place.in(dir)));
        ReplayPolicy replay = new ReplayPolicy(replayDefaultTimeout, replayClassTimeouts, replayAttempts, replayAllow,
                replayAllowDefinedAt == null ? null : replayAllowDefinedAt.in(dir), replayEnv);
        return new Policy(List.copyOf(severityOrder), byName, files.stream().map(dir::resolve).toList(),
                Map.copyOf(sources), replay, tickets, flake);
    }

    /** The warnings loading the policy gave, its files under {@code dir}. */
    public List<Problem> warnings(Path dir) {
        List<Problem> problems = new ArrayList<>();
        for (Warning warning : warnings) {
            SourceLocation at = warning.place().in(dir);
            problems.add(Problem.warning(at.file(), at.line(), at.column(), warning.message()));
        }
        return problems;
    }

    /** A file of the policy folder by its name there; null stays null. */
    private static String relative(Path dir, Path file) {
        return file == null ? null : dir.relativize(file).toString();
    }
}
