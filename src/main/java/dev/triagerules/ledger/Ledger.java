package dev.triagerules.ledger;

import dev.triagerules.base.Await;
import dev.triagerules.base.UserError;
import dev.triagerules.engine.RulePack;
import dev.triagerules.history.DeterminismReport;
import dev.triagerules.history.RecordedRuns;
import dev.triagerules.policy.LifecyclePolicy;
import dev.triagerules.report.LifecycleReport;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The incident ledger: a SQLite file or a PostgreSQL database that remembers every run and
 * every incident across CI runs, so each incident has a lifecycle (new, recurring,
 * resolved, regressed: decided by {@code rules/lifecycle.drl}).
 *
 * <p>{@link #open} connects and brings the schema up to date (Flyway, on first use).
 * {@link #record} adds one run in one transaction, under a lock that makes concurrent
 * runs on one ledger take turns (PostgreSQL: a transaction-scoped advisory lock; SQLite:
 * {@code BEGIN IMMEDIATE}); a run that fails or is killed leaves the ledger as it was. The
 * other methods are read-only queries. Prepared statements only.
 *
 * <p>This class is the one every caller uses, and keeps what concerns the connection as a
 * whole: opening, the schema, transactions, the ingest lock and errors. What a run writes
 * is {@link RunRecorder}'s; the SQL of the read-only queries is {@link LedgerQueries}'.
 */
public final class Ledger implements AutoCloseable {
    /** The newest schema version this code knows (the highest {@code db/ledger/V<n>__*.sql}). */
    public static final int SCHEMA_VERSION = 4;
    static final String HISTORY_TABLE = "ledger_schema_history";
    /** PostgreSQL advisory lock key of ingests: "triageLD" in ASCII. */
    private static final long ADVISORY_LOCK_KEY = 0x7472696167654c44L;

    private final LedgerLocation location;
    private final Connection connection;
    private final LedgerQueries queries;

    private Ledger(LedgerLocation location, Connection connection) {
        this.location = location;
        this.connection = connection;
        this.queries = new LedgerQueries(location, connection);
    }

    /** Opens the ledger at a location ({@link LedgerLocation#parse}). */
    public static Ledger open(String location) {
        return open(LedgerLocation.parse(location));
    }

    /** Connects, and creates or migrates the schema when it is not up to date. */
    public static Ledger open(LedgerLocation location) {
        Connection connection = location.connect();
        try {
            LedgerIntegrity.beforeWriting(location, connection);
            migrate(location, connection);
            LedgerIntegrity.checkIncidents(location, connection);
            return new Ledger(location, connection);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /**
     * Creates the schema, or brings an older one to {@link #SCHEMA_VERSION}, and closes the
     * ledger: what {@code ledger migrate} does for a fleet's shared ledger once every runner
     * has a triage-rules that knows the new schema (a triage run migrates too).
     */
    public static LedgerView.Migrated migrate(LedgerLocation location) {
        Connection connection = location.connect();
        try {
            LedgerIntegrity.beforeWriting(location, connection);
            int before = schemaVersion(connection);
            migrate(location, connection);
            return new LedgerView.Migrated(before, SCHEMA_VERSION);
        } finally {
            closeQuietly(connection);
        }
    }

    /**
     * Opens a ledger to read it, changing nothing: for the commands that only read
     * ({@code ledger incidents|show|runs|run}, {@code tickets}, the HTML report's trends). A
     * SQLite file that is not there is not created, and a ledger of an older schema is not
     * migrated: on a ledger shared by many runners, a newer triage-rules that only looks
     * must not move the schema past what the runners' triage-rules knows. A SQLite file in a
     * folder this process may not write is read all the same ({@link LedgerLocation#connectToRead}).
     */
    public static Ledger openToRead(LedgerLocation location) {
        if (location.sqliteFile().filter(file -> !Files.isRegularFile(file)).isPresent()) {
            throw new LedgerError(location.display() + ": no ledger there (a ledger is made by a triage run with"
                    + " --ledger, or by ledger migrate)");
        }
        Connection connection = location.connectToRead();
        try {
            int version = schemaVersion(connection);
            if (version > SCHEMA_VERSION) {
                throw newerSchema(location, version);
            }
            if (version == 0) {
                // Most often a fleet's database before its admin ran migrate: say how one is made,
                // and by whom when this role may not.
                String privilege = location.kind() == LedgerLocation.Kind.POSTGRESQL
                        ? schemaPrivilege(connection, null) : null;
                throw new LedgerError(location.display() + ": not a triage-rules ledger (it has no "
                        + HISTORY_TABLE + " table)", privilege != null ? privilege : "if the ledger is meant to be"
                        + " here, 'triage-rules ledger migrate' (or a triage run with --ledger) creates it", null);
            }
            if (version < SCHEMA_VERSION) {
                String privilege = location.kind() == LedgerLocation.Kind.POSTGRESQL
                        ? schemaPrivilege(connection, null) : null;
                throw new LedgerError(location.display() + ": the ledger's schema is version " + version
                        + ", older than this triage-rules reads (" + SCHEMA_VERSION + "); commands that only read"
                        + " do not change it", privilege != null ? privilege : "'triage-rules ledger migrate' (or"
                        + " the next triage run with --ledger) brings it up to date", null);
            }
            LedgerIntegrity.checkIncidents(location, connection);
            return new Ledger(location, connection);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /**
     * Opens the ledger on a background thread, so that connecting (loading the driver, and
     * the schema check) overlaps with the run's own start (loading rules). {@code join()}
     * returns the ledger or throws its {@link LedgerError}.
     */
    public static CompletableFuture<Ledger> openInBackground(LedgerLocation location) {
        return inBackground(() -> open(location));
    }

    /** As {@link #openInBackground}, to read only ({@link #openToRead}): nothing created or migrated. */
    public static CompletableFuture<Ledger> openToReadInBackground(LedgerLocation location) {
        return inBackground(() -> openToRead(location));
    }

    private static CompletableFuture<Ledger> inBackground(Supplier<Ledger> opening) {
        CompletableFuture<Ledger> opened = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                opened.complete(opening.get());
            } catch (RuntimeException e) {
                opened.completeExceptionally(e);
            }
        }, "triage-rules-ledger-open");
        thread.setDaemon(true);
        thread.start();
        return opened;
    }

    /**
     * Loads the SQLite driver and its native library on a daemon thread, by opening and
     * closing an in-memory database: for a command that opens a ledger only once its
     * arguments are parsed, this takes ~80 ms off its critical path (`ledger incidents`
     * answers in ~0.5 s, most of it the JVM's start). Any failure is left to the real open.
     */
    public static void loadSqliteInBackground() {
        Thread thread = new Thread(() -> {
            try {
                SqliteNativeLibrary.useUnpacked();
                org.sqlite.JDBC.createConnection("jdbc:sqlite::memory:", new Properties()).close();
            } catch (SQLException | RuntimeException e) {
                // the ledger's own open meets the same and reports it
            }
        }, "triage-rules-sqlite-load");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits for {@link #openInBackground}; its error as thrown by {@link #open}. */
    public static Ledger await(CompletableFuture<Ledger> opening) {
        return Await.result(opening, "the ledger to open");
    }

    public LedgerLocation location() {
        return location;
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }

    // ---- schema ----

    /**
     * Brings the schema to {@link #SCHEMA_VERSION}. An up-to-date ledger (every run but the
     * first) is recognized by one query of Flyway's history table, without starting Flyway.
     * Flyway takes no lock on SQLite: processes migrating one new file at the same moment
     * can collide, so a failed migration is retried after checking whether another process
     * completed it (each migration is one transaction: it is there whole or not at all).
     */
    static void migrate(LedgerLocation location, Connection connection) {
        int version = schemaVersion(connection);
        if (version == SCHEMA_VERSION) {
            return;
        }
        if (version > SCHEMA_VERSION) {
            throw newerSchema(location, version);
        }
        Flyway flyway = Flyway.configure(Ledger.class.getClassLoader())
                .dataSource(location.dataSource())
                .locations("classpath:db/ledger")
                .table(HISTORY_TABLE)
                .placeholderReplacement(false)
                .load();
        for (int attempt = 1; ; attempt++) {
            try {
                flyway.migrate();
                return;
            } catch (FlywayException e) {
                if (schemaVersion(connection) == SCHEMA_VERSION) {
                    return;
                }
                if (attempt == 3) {
                    throw migrationFailed(location, connection, flyway, version, e);
                }
            }
        }
    }

    /**
     * A failed migration as one line: the ledger, the versions, the migration at fault and the
     * database's own error (not Flyway's report of several lines); and a hint of who can fix it.
     */
    private static LedgerError migrationFailed(LedgerLocation location, Connection connection, Flyway flyway,
            int from, FlywayException e) {
        int reached = schemaVersion(connection);
        SQLException sql = sqlCause(e);
        String cause = sql != null ? location.causeOf(sql) : flywayCause(location, e);
        String headline = location.display() + ": cannot " + (from == 0 ? "create the ledger's schema (version "
                + SCHEMA_VERSION + ")" : "migrate the ledger's schema from version " + from + " to " + SCHEMA_VERSION)
                + ": migration " + migrationAtFault(flyway, reached) + " failed: " + cause;
        String left = reached == 0 ? "nothing of the schema is created" : "the ledger is left at schema version "
                + reached + " (a migration is applied whole or not at all)";
        String hint;
        String privilege = location.kind() == LedgerLocation.Kind.POSTGRESQL ? schemaPrivilege(connection, sql) : null;
        if (privilege != null) {
            hint = privilege + "; " + left;
        } else if (sql != null && location.cannotWrite(sql) && location.whyNotWritable() != null) {
            hint = location.whyNotWritable() + ": " + location.writerHint() + "; " + left;
        } else {
            hint = left;
        }
        return new LedgerError(headline, hint, e);
    }

    /** The first migration not applied, as {@code V2 (flake history restarts)}; the next version when unknown. */
    private static String migrationAtFault(Flyway flyway, int reached) {
        try {
            org.flywaydb.core.api.MigrationInfo[] pending = flyway.info().pending();
            if (pending.length > 0 && pending[0].getVersion() != null) {
                return "V" + pending[0].getVersion().getVersion() + " (" + pending[0].getDescription() + ")";
            }
        } catch (FlywayException e) {
            // the version alone
        }
        return "V" + (reached + 1);
    }

    /** The database's error behind Flyway's, if any: the deepest SQLException. */
    private static SQLException sqlCause(Throwable e) {
        SQLException found = null;
        for (Throwable cause = e; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                found = sql;
            }
        }
        return found;
    }

    /** Flyway's message without its report's rulers and advertising, on one line. */
    private static String flywayCause(LedgerLocation location, FlywayException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        StringBuilder kept = new StringBuilder();
        for (String line : message.split("\\R")) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("---") || text.startsWith("Need more flexibility")
                    || text.contains("Learn more") || text.startsWith("Run Flyway with")) {
                continue;
            }
            kept.append(kept.length() == 0 ? "" : "; ").append(text);
        }
        return location.causeOf(new SQLException(kept.toString()));
    }

    /**
     * On PostgreSQL, when this connection's role may not change the ledger's schema (it does
     * not own its tables, or may not create them: a fleet's runner role, a reader) or the
     * database said it lacked a privilege: who may, and what to ask them. Null otherwise.
     */
    private static String schemaPrivilege(Connection connection, SQLException failure) {
        String role = null;
        String owner = null;
        boolean mayChange = true;
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(
                "SELECT current_user, current_schema(), pg_get_userbyid(c.relowner),"
                        + " (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
                        + " OR (c.oid IS NULL AND has_schema_privilege(current_schema(), 'CREATE'))"
                        + " OR (c.oid IS NOT NULL AND pg_has_role(current_user, c.relowner, 'USAGE'))"
                        + " FROM (SELECT 1) one LEFT JOIN pg_class c ON c.oid = to_regclass('" + HISTORY_TABLE + "')")) {
            if (row.next()) {
                role = row.getString(1);
                owner = row.getString(3);
                mayChange = row.getBoolean(4);
            }
        } catch (SQLException e) {
            // what the failure itself says, below
        }
        boolean denied = failure != null && "42501".equals(failure.getSQLState());
        if (mayChange && !denied) {
            return null;
        }
        return (role == null ? "this role" : "role " + role) + " may not change the ledger's schema"
                + (owner == null ? "" : " (it belongs to role " + owner + ")")
                + ": ask the ledger's owner or admin to run 'triage-rules ledger migrate' with the owner's credentials";
    }

    private static LedgerError newerSchema(LedgerLocation location, int version) {
        return new LedgerError(location.display() + ": the ledger's schema is version " + version
                + ", newer than this triage-rules knows (" + SCHEMA_VERSION + "): use a newer triage-rules");
    }

    /** The highest successfully applied version; 0 when there is no schema yet (or it cannot be read). */
    static int schemaVersion(Connection connection) {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT version, success FROM " + HISTORY_TABLE)) {
            int version = 0;
            while (rows.next()) {
                String text = rows.getString(1);
                if (text != null && rows.getBoolean(2)) {
                    version = Math.max(version, Integer.parseInt(text.strip()));
                }
            }
            return version;
        } catch (SQLException | NumberFormatException e) {
            return 0; // no history table yet; Flyway reports anything worse when it runs
        }
    }

    // ---- recording a run ----

    /**
     * What {@link #record} did: the run's id and the lifecycle to put in the report; a run
     * judged without being recorded has id 0 ({@link #judgeWithoutRecording}). {@code trends}:
     * the ledger's trends with this run, read before the commit ({@link TrendsWanted}); null
     * when none were asked for.
     */
    public record RecordedRun(long runId, LifecycleReport lifecycle, LedgerView.Trends trends) {
        public RecordedRun(long runId, LifecycleReport lifecycle) {
            this(runId, lifecycle, null);
        }
    }

    /**
     * The trends a run's HTML page shows ({@link #trends}), read by the run itself: in its
     * transaction, so that a value of the wrong type there fails the recording (the ledger as it
     * was, the outputs written) rather than the run after its commit. {@code runs} 0: none.
     */
    public record TrendsWanted(int runs, int limit) {
        public static final TrendsWanted NONE = new TrendsWanted(0, 0);
    }

    /**
     * Records one run and decides the lifecycle of every incident it touches, in one
     * transaction. The pack must have lifecycle rules ({@link LifecycleJudge#requireRules}).
     */
    public RecordedRun record(RunFacts facts, RulePack pack) {
        return record(facts, pack, () -> { });
    }

    /**
     * Records a run, committing only after {@code beforeCommit} returns: when it throws, the
     * transaction is rolled back (the ledger is as it was) and its exception goes on. The
     * triage service waits there for the verdicts it judges meanwhile.
     */
    public RecordedRun record(RunFacts facts, RulePack pack, Runnable beforeCommit) {
        return recordJudged(facts, pack, () -> {
            beforeCommit.run();
            return null;
        });
    }

    /**
     * Records a run as {@link #record(RunFacts, RulePack, Runnable)} does, and keeps the run's
     * verdicts as each incident's last verdict (what the lifecycle rules of later runs read as
     * {@code lastVerdict}): {@code verdicts} is called before the commit, and may wait for them;
     * null, when it gives null, keeps every last verdict as it was. When it throws, the
     * transaction is rolled back and its exception goes on.
     */
    public RecordedRun recordJudged(RunFacts facts, RulePack pack, Supplier<DeterminismReport> verdicts) {
        return recordJudged(facts, pack, verdicts, TrendsWanted.NONE);
    }

    /** {@link #recordJudged(RunFacts, RulePack, Supplier)}, with the trends that include the run read before the commit. */
    public RecordedRun recordJudged(RunFacts facts, RulePack pack, Supplier<DeterminismReport> verdicts,
            TrendsWanted trends) {
        LifecycleJudge.requireRules(pack);
        return inTransaction("cannot record the run", () -> {
            lockForIngest();
            RunRecorder recorder = new RunRecorder(location, connection);
            RecordedRun recorded = recorder.recordInTransaction(facts, pack);
            recorder.writeVerdicts(facts, verdicts.get());
            return trends.runs() < 1 ? recorded : new RecordedRun(recorded.runId(), recorded.lifecycle(),
                    queries.trends(trends.runs(), trends.limit()));
        });
    }

    /**
     * The lifecycle this run would get if it were recorded now, recording nothing: the same
     * facts and lifecycle rules as {@link #record}, from reads alone, so that a database user
     * who may only read can ask (a pull request judged against the mainline's ledger). The
     * ledger is read as it is at that moment, without the ingest lock: a run another runner
     * records meanwhile may or may not count.
     */
    public LifecycleReport judgeWithoutRecording(RunFacts facts, RulePack pack) {
        LifecycleJudge.requireRules(pack);
        return query(() -> new RunRecorder(location, connection).judge(facts, pack));
    }

    /** {@link #judgeWithoutRecording(RunFacts, RulePack)}, with the ledger's trends read after it, as a run ID 0. */
    public RecordedRun judgeWithoutRecording(RunFacts facts, RulePack pack, TrendsWanted trends) {
        LifecycleReport lifecycle = judgeWithoutRecording(facts, pack);
        return new RecordedRun(0, lifecycle, trends.runs() < 1 ? null : trends(trends.runs(), trends.limit()));
    }

    /**
     * Runs {@code work} in one transaction: committed whole, or rolled back and the ledger as
     * it was; an SQL error becomes a {@link LedgerError} saying {@code failing} and the cause.
     */
    private <T> T inTransaction(String failing, Query<T> work) {
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.run();
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                throw e;
            } finally {
                // sqlite-jdbc begins the next transaction right after a commit: end it, or this
                // connection would hold the write lock (BEGIN IMMEDIATE) until closed.
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            String notWritable = location.cannotWrite(e) ? location.whyNotWritable() : null;
            if (notWritable != null) {
                throw new LedgerError(location.display() + ": " + failing + ": " + notWritable, location.writerHint(),
                        e);
            }
            String waited = waitedTooLong(e) ? "another run held the ledger longer than this one waits ("
                    + location.waitLimit().toSeconds() + " s, --ledger-wait): " : "";
            throw new LedgerError(location.display() + ": " + failing + ": " + waited + location.causeOf(e), e);
        }
    }

    /** PostgreSQL's lock_timeout (SQLSTATE 55P03), or SQLite's busy timeout (SQLITE_BUSY). */
    private boolean waitedTooLong(SQLException e) {
        return location.kind() == LedgerLocation.Kind.POSTGRESQL ? "55P03".equals(e.getSQLState())
                : (e.getErrorCode() & 0xff) == LedgerLocation.SQLITE_BUSY;
    }

    /** The first thing of a transaction that writes (recording a run, pruning): writers take turns. */
    private void lockForIngest() throws SQLException {
        if (location.kind() == LedgerLocation.Kind.POSTGRESQL) {
            // Bounded like SQLite's busy timeout: a runner stuck in its transaction (a stopped
            // process, a lost network) must not hold every other runner forever. A number, not text.
            try (Statement timeout = connection.createStatement()) {
                timeout.execute("SET LOCAL lock_timeout = " + location.waitLimit().toMillis());
            }
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, ADVISORY_LOCK_KEY);
                lock.execute();
            }
        }
        // SQLite: the connection begins every transaction IMMEDIATE (LedgerLocation), which
        // already holds the database's write lock.
    }

    // ---- evidence for the verdict rules ----

    /**
     * The runs recorded of each failing scenario on each environment, plus this run's own
     * tallies (not recorded yet): evidence for {@code history.FlakeJudge}.
     *
     * <p>A fix restarts them: a run in which the scenario fails on an environment after
     * passing there in as many recorded runs in a row as resolve the incidents it last failed
     * with (the {@code passingRunsToResolve} the lifecycle rules gave them;
     * {@code policy.resolveAfterPassingRuns()} where they gave none) counts as its first.
     * Otherwise an incident that was fixed and came back (regressed) would have "passed in some
     * runs and failed in others", which the flake rules read as flaky, and be kept out of
     * gating. A flake that needs more passing runs to be resolved keeps its history.
     */
    public RecordedRuns recordedRuns(ScenarioTallies thisRun, LifecyclePolicy policy) {
        return query(() -> queries.recordedRuns(thisRun, policy));
    }

    // ---- queries ----

    /** The incidents the filter lets through; latest seen first. */
    public List<LedgerView.Incident> incidents(LedgerView.IncidentFilter filter) {
        return query(() -> queries.incidents(filter));
    }

    /** One incident and its runs; null when the ledger does not know it. */
    public LedgerView.Timeline timeline(String incidentId) {
        return query(() -> queries.timeline(incidentId));
    }

    /** Every recorded run, oldest first. */
    public List<LedgerView.Run> runs() {
        return query(() -> queries.runs(null));
    }

    /** One run and the status changes it recorded; null when the ledger has no such run. */
    public LedgerView.RunChanges run(long runId) {
        return query(() -> queries.run(runId));
    }

    /** The newest run's id; 0 when no run is recorded yet. */
    public long newestRunId() {
        return query(queries::newestRunId);
    }

    /** Deletes every run but the newest {@code keepRuns} (see {@link #prune(Integer, Integer, long)}). */
    public LedgerView.Pruned prune(int keepRuns) {
        return prune(keepRuns, null, 0);
    }

    /**
     * Deletes the oldest runs and what belongs to them (inputs, sightings, scenario counts,
     * status changes, replay evidence, class counts). Incidents stay (with their current
     * status and counters), and so do the cumulative per-environment counts of scenarios: a
     * resolved incident seen again must still be known as regressed, not new. A run goes
     * when every rule given lets it go: it is not among the newest
     * {@code keepRuns}, and it was recorded more than {@code keepDays} days before
     * {@code nowUnixMs}. Runs go from the oldest on, up to the first one a rule keeps, and
     * the newest run always stays. At least one rule must be given.
     */
    public LedgerView.Pruned prune(Integer keepRuns, Integer keepDays, long nowUnixMs) {
        if (keepRuns == null && keepDays == null) {
            throw new UserError("give --keep-runs N or --keep-days D (or both)");
        }
        if (keepRuns != null && keepRuns < 1) {
            throw new UserError("--keep-runs must be at least 1, got " + keepRuns);
        }
        if (keepDays != null && keepDays < 1) {
            throw new UserError("--keep-days must be at least 1, got " + keepDays);
        }
        return inTransaction("cannot prune the ledger", () -> {
            lockForIngest();
            long newest = LedgerQueries.endRunId(location, connection, true);
            long cutoff = newest - 1;
            if (keepRuns != null) {
                cutoff = Math.min(cutoff, newest - keepRuns);
            }
            if (keepDays != null) {
                // Up to the first run recorded within the window: the runs before it are older. That run's
                // row, not SQL's MIN: SQLite takes a text for later than any time, and it is refused here.
                try (PreparedStatement first = connection.prepareStatement("SELECT run_id, recorded_unix_ms FROM"
                        + " ledger_run WHERE recorded_unix_ms >= ? ORDER BY run_id LIMIT 1")) {
                    first.setLong(1, nowUnixMs - keepDays * 86_400_000L);
                    try (ResultSet row = first.executeQuery()) {
                        CheckedRow run = new CheckedRow(location, "ledger_run", row, 1);
                        long firstInWindow = newest;
                        if (row.next()) {
                            run.integer(2);
                            firstInWindow = run.integer(1);
                        }
                        cutoff = Math.min(cutoff, firstInWindow - 1);
                    }
                }
            }
            for (String table : List.of("ledger_run_input", "ledger_run_class", "ledger_sighting",
                    "ledger_status_change", "ledger_replay", "ledger_scenario_run")) {
                try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM " + table + " WHERE run_id <= ?")) {
                    delete.setLong(1, cutoff);
                    delete.executeUpdate();
                }
            }
            int deleted;
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM ledger_run WHERE run_id <= ?")) {
                delete.setLong(1, cutoff);
                deleted = delete.executeUpdate();
            }
            return new LedgerView.Pruned(deleted, LedgerQueries.endRunId(location, connection, false));
        });
    }

    /**
     * Trends over the last {@code lastRuns} runs: counts per run and class, the incidents
     * open the longest and seen in the most runs, and the flakiest scenarios ({@code limit}
     * of each list).
     */
    public LedgerView.Trends trends(int lastRuns, int limit) {
        return query(() -> queries.trends(lastRuns, limit));
    }

    // ---- plumbing ----

    /** Work on the connection that may fail with SQL errors. */
    private interface Query<T> {
        T run() throws SQLException;
    }

    private <T> T query(Query<T> query) {
        try {
            return query.run();
        } catch (SQLException e) {
            throw new LedgerError(location.display() + ": cannot read the ledger: " + location.causeOf(e), e);
        }
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // The connection is gone: the database rolls the transaction back itself.
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // Nothing left to do with it.
        }
    }
}
