package dev.triagerules.replay;

import dev.triagerules.base.UserError;
import dev.triagerules.policy.ReplayPolicy;
import dev.triagerules.report.ReportedIncident;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Replays incidents: runs each one's {@code replay_command} up to {@code attempts} times
 * (a timed-out attempt is not retried), writes a transcript per attempt and the verdict
 * per incident, {@code jobs} incidents at a time. A command the {@link CommandGuard}
 * refuses is not run: its verdict is {@code refused}. Commands see only the inherited
 * variables the policy allows, plus TRIAGE_*. {@link #abort()} (Ctrl-C) ends every
 * running tree; {@link #summary} then tells what finished.
 */
public final class Replayer {

    /**
     * @param workdir         where every command runs
     * @param timeoutForClass per-attempt timeout of an incident's class (class may be null)
     * @param guard           which commands may run, and as what
     * @param inheritedEnv    the variables of this process a command gets (see {@link ReplayEnvironment})
     */
    public record Settings(Path workdir, TranscriptStore store, int attempts,
            Function<String, Duration> timeoutForClass, int jobs, CommandGuard guard,
            Map<String, String> inheritedEnv) {
        public Settings {
            if (attempts < 1 || attempts > ReplayPolicy.MAX_ATTEMPTS) {
                // The gate's bound on a replay.json counts on it (IncidentReplay.maxBytes).
                throw new IllegalArgumentException("attempts must be 1 to " + ReplayPolicy.MAX_ATTEMPTS + ", got "
                        + attempts);
            }
            inheritedEnv = Map.copyOf(inheritedEnv);
        }
    }

    /** Told about each incident as it finishes (from worker threads, one at a time). */
    @FunctionalInterface
    public interface Listener {
        void finished(IncidentReplay replay);
    }

    private final Settings settings;
    private final ProcessTreeRunner runner;
    private final Listener listener;
    private final Map<Integer, IncidentReplay> finished = new ConcurrentHashMap<>();
    private volatile List<ReportedIncident> runnable = List.of();
    private volatile List<ReplaySummary.Skipped> skipped = List.of();
    private volatile ExecutorService pool;
    private final List<Future<?>> futures = new CopyOnWriteArrayList<>();
    private volatile boolean aborted;

    public Replayer(Settings settings, ProcessTreeRunner runner, Listener listener) {
        this.settings = settings;
        this.runner = runner;
        this.listener = listener;
    }

    /** Replays {@code incidents} (in report order) and returns the summary; blocks until done or aborted. */
    public ReplaySummary run(List<ReportedIncident> incidents, String reportPath) {
        List<ReportedIncident> toRun = new ArrayList<>();
        List<ReplaySummary.Skipped> toSkip = new ArrayList<>();
        for (ReportedIncident incident : incidents) {
            String reason = skipReason(incident);
            if (reason != null) {
                toSkip.add(new ReplaySummary.Skipped(incident, reason));
            } else {
                toRun.add(incident);
            }
        }
        List<String> badFolders = toRun.stream()
                .map(incident -> TranscriptStore.folderProblem(settings.store().incidentDir(incident.incidentId())))
                .filter(java.util.Objects::nonNull).toList();
        if (!badFolders.isEmpty()) {
            // Before anything runs: replay would clear and write through it (a link leads anywhere).
            throw new UserError(String.join("; ", badFolders) + ": a transcripts folder holds its incidents' own"
                    + " folders, which replay makes; remove what is in the way, or choose another --transcripts folder");
        }
        runnable = List.copyOf(toRun);
        skipped = List.copyOf(toSkip);
        ExecutorService workers = Executors.newFixedThreadPool(Math.max(1, settings.jobs()), task -> {
            Thread thread = new Thread(task, "replay-worker");
            thread.setDaemon(true); // Ctrl-C must not wait for a worker
            return thread;
        });
        pool = workers;
        try {
            for (int i = 0; i < toRun.size(); i++) {
                int position = i;
                futures.add(workers.submit(() -> replay(position, toRun.get(position))));
            }
            if (aborted) {
                abort(); // aborted while submitting: cancel what was just submitted
            }
            for (Future<?> future : futures) {
                await(future);
            }
        } finally {
            workers.shutdownNow();
        }
        return summary(reportPath);
    }

    /**
     * Why an incident cannot be replayed at all, or null: no id, no command, or a NUL
     * character in the command or in a value it would get as a TRIAGE_* variable (neither a
     * process argument nor an environment variable can carry one).
     */
    public static String skipReason(ReportedIncident incident) {
        if (incident.incidentId() == null || incident.incidentId().isBlank()) {
            return "no incident_id";
        }
        if (incident.replayCommand() == null || incident.replayCommand().isBlank()) {
            return "no replay_command";
        }
        if (incident.replayCommand().indexOf('\0') >= 0) {
            return "its replay_command holds a NUL character, which no command can";
        }
        for (Map.Entry<String, String> variable : environment(incident, 1).entrySet()) {
            if (variable.getValue().indexOf('\0') >= 0) {
                return "its " + variable.getKey() + " would hold a NUL character, which no environment variable can";
            }
        }
        return null;
    }

    /** Ends every running tree and starts nothing more; safe from any thread, e.g. a shutdown hook. */
    public void abort() {
        aborted = true;
        // Cancelled futures complete at once, queued incidents included (shutdownNow alone
        // would leave their futures pending forever); running ones are interrupted.
        futures.forEach(future -> future.cancel(true));
        ExecutorService workers = pool;
        if (workers != null) {
            workers.shutdownNow();
        }
        runner.endAll();
    }

    public boolean aborted() {
        return aborted;
    }

    /** What has finished so far, in report order. */
    public ReplaySummary summary(String reportPath) {
        List<IncidentReplay> done = new ArrayList<>();
        List<ReportedIncident> notDone = new ArrayList<>();
        List<ReportedIncident> all = runnable;
        for (int i = 0; i < all.size(); i++) {
            IncidentReplay replay = finished.get(i);
            if (replay != null) {
                done.add(replay);
            } else {
                notDone.add(all.get(i));
            }
        }
        return new ReplaySummary(reportPath, System.currentTimeMillis(), notDone.isEmpty(), done, skipped, notDone);
    }

    private void replay(int position, ReportedIncident incident) {
        if (aborted) {
            return;
        }
        TranscriptStore store = settings.store();
        String id = incident.incidentId();
        Duration timeout = settings.timeoutForClass().apply(incident.crashClass());
        CommandGuard.Decision decision = settings.guard().check(incident.replayCommand());
        store.clear(id);
        if (!decision.allowed()) {
            finish(position, IncidentReplay.refused(incident, decision.refusal()));
            return;
        }
        List<IncidentReplay.Attempt> attempts = new ArrayList<>();
        for (int n = 1; n <= settings.attempts(); n++) {
            Map<String, String> triageEnv = environment(incident, n);
            Map<String, String> env = new TreeMap<>(settings.inheritedEnv());
            env.putAll(triageEnv); // ours win over inherited ones of the same name
            RunResult result;
            try {
                if (aborted) {
                    return;
                }
                result = runner.run(decision.argv(), settings.workdir(), env, timeout);
            } catch (IOException e) {
                throw new UserError(id + ": cannot start the replay command in " + settings.workdir() + ": "
                        + e.getMessage(), e);
            } catch (IllegalStateException e) {
                return; // the runner was ended by abort()
            }
            if (aborted) {
                return; // ended by Ctrl-C, not by the command: no transcript, no verdict
            }
            Path transcript = store.attemptFile(id, n);
            new Transcript(id, n, settings.attempts(), incident.replayCommand(), decision.argv(), settings.workdir(),
                    incident.seed(), incident.envFingerprint(), triageEnv,
                    new TreeSet<>(settings.inheritedEnv().keySet()), timeout, result).write(transcript);
            attempts.add(new IncidentReplay.Attempt(n, result, transcript));
            if (result.endsReplay()) {
                break; // not retried
            }
        }
        finish(position, new IncidentReplay(incident, attempts,
                Verdict.of(attempts.stream().map(IncidentReplay.Attempt::result).toList())));
    }

    private void finish(int position, IncidentReplay replay) {
        replay.write(settings.store().verdictFile(replay.incident().incidentId()));
        finished.put(position, replay);
        synchronized (listener) {
            listener.finished(replay);
        }
    }

    /** The TRIAGE_* variables a replay command may read; missing report values are left unset. */
    static Map<String, String> environment(ReportedIncident incident, int attempt) {
        Map<String, String> env = new LinkedHashMap<>();
        put(env, "TRIAGE_INCIDENT_ID", incident.incidentId());
        put(env, "TRIAGE_SEED", incident.seed());
        put(env, "TRIAGE_PACKET_ID", incident.packetId());
        put(env, "TRIAGE_SUITE_ID", incident.suiteId());
        put(env, "TRIAGE_SCENARIO_ID", incident.scenarioId());
        put(env, "TRIAGE_MODE", incident.mode());
        put(env, "TRIAGE_ENV_FINGERPRINT", incident.envFingerprint());
        put(env, "TRIAGE_ATTEMPT", Integer.toString(attempt));
        return env;
    }

    private static void put(Map<String, String> env, String key, String value) {
        if (value != null) {
            env.put(key, value);
        }
    }

    private void await(Future<?> future) {
        try {
            future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
        } catch (CancellationException e) {
            // cancelled by abort()
        } catch (ExecutionException e) {
            if (aborted) {
                return;
            }
            abort(); // one incident cannot be recorded (e.g. transcripts not writable): stop the rest
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
