package dev.triagerules.ledger;

import dev.triagerules.base.UserError;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sqlite.SQLiteConfig;

/**
 * Where a ledger lives: a path is a SQLite file (created on first use), a
 * {@code jdbc:postgresql:} URL a PostgreSQL database. Anything else with a URL scheme is
 * refused, never taken for a path. A password may be in the URL ({@code password=...} or
 * {@code //user:password@host}); it is passed to the driver and never shown: every message
 * goes through {@link #mask}, and a driver's message also loses the password's own text.
 */
public final class LedgerLocation {
    /** Environment variable read when no {@code --ledger} is given. */
    public static final String ENVIRONMENT_VARIABLE = "TRIAGE_RULES_LEDGER";

    /**
     * How long a run waits by default for another run's transaction on the same ledger before
     * giving up ({@code --ledger-wait}): SQLite's busy timeout, PostgreSQL's lock timeout.
     */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(120);
    /** How long a PostgreSQL login may take, unless the URL says (its {@code loginTimeout}). */
    static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(30);
    /** SQLite's primary result code for "the database file is locked". */
    static final int SQLITE_BUSY = 5;
    /** SQLite's primary result codes for "attempt to write a readonly database" and "unable to open". */
    private static final int SQLITE_READONLY = 8;
    private static final int SQLITE_CANTOPEN = 14;

    private static final String POSTGRES_PREFIX = "jdbc:postgresql:";
    // Up to a separator, but not the ": " that follows a location in a message: masking
    // "...password=***: cannot connect" again must leave it as it is.
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)(?:(?!:\\s)[^&;\\s])*");
    // Up to the last '@' before a query, a fragment or a space: a password holding a raw '@'
    // or '/' (which it should percent-encode) is hidden whole, never shown in pieces.
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@?#:\\s]*):[^?#\\s]*@");
    // The authority (up to the path, query or fragment); its user information up to its last '@'.
    private static final Pattern URL_USER_INFO = Pattern.compile("^(//)([^/?#]*)@([^@/?#]*(?:[/?#].*)?)$",
            Pattern.DOTALL);
    // A line of a PostgreSQL error placing it in the statement ("\n  Position: 14"): our SQL, never shown.
    private static final Pattern STATEMENT_POSITION =
            Pattern.compile("\\R[ \\t]*(?:Internal )?Position: \\d+(?=\\R|$)");
    private static final Pattern PASSWORD_PARAMETER_VALUE = Pattern.compile("(?i)[?&;]password=([^&;]*)");
    // A scheme of two letters or more followed by "//", or "jdbc:": a URL, not a path (a
    // one-letter scheme would be a Windows drive).
    private static final Pattern URL_SCHEME = Pattern.compile("(?i)^(?:[a-z][a-z0-9+.-]+://|jdbc:)");
    private static final Pattern LIBPQ_URL = Pattern.compile("(?i)^postgres(?:ql)?://");
    // A URL's authority without its scheme: "//host:5432/db", "//user:password@host/db",
    // "//host/db?user=NAME&password=...", or
    // "user:password@host/db". Taken for a path, its folder would be named in a message,
    // password and all ("folder /user:password@host does not exist").
    private static final Pattern SCHEMELESS_AUTHORITY = Pattern.compile("^//(?:[^/?#]*[@:]|[^?#]*\\?)");
    private static final Pattern SCHEMELESS_USER_INFO = Pattern.compile("^([^/:@]*):[^/]*@");

    enum Kind { SQLITE, POSTGRESQL }

    private final Kind kind;
    private final String given;
    private final Path sqliteFile;
    private final String url;
    private final Duration waitLimit;
    /** The password as given in the location and as passed to the driver; none for SQLite. */
    private final List<String> passwords;
    /** Null for SQLite until first asked for: building them loads sqlite-jdbc, off the start-up path. */
    private Properties properties;

    private LedgerLocation(Kind kind, String given, Path sqliteFile, String url, Duration waitLimit,
            Properties properties, List<String> passwords) {
        this.kind = kind;
        this.given = given;
        this.sqliteFile = sqliteFile;
        this.url = url;
        this.waitLimit = waitLimit;
        this.properties = properties;
        this.passwords = passwords;
    }

    /** The same location, whose writers wait at most this long for another run's transaction. */
    public LedgerLocation withWaitLimit(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("a wait limit must be positive: " + limit);
        }
        return new LedgerLocation(kind, given, sqliteFile, url, limit, kind == Kind.SQLITE ? null : properties,
                passwords);
    }

    /** How long a writer waits for another run's transaction ({@link #DEFAULT_WAIT} unless set). */
    public Duration waitLimit() {
        return waitLimit;
    }

    /**
     * Parses {@code --ledger} or {@value #ENVIRONMENT_VARIABLE}; a {@link UserError} when it
     * is no location at all. Whether it can be opened is {@link Ledger#open}'s to say.
     */
    public static LedgerLocation parse(String given) {
        if (given == null || given.isBlank()) {
            throw new UserError("ledger location is empty: give a SQLite file path or a jdbc:postgresql: URL");
        }
        // SQLite's driver strips white space around a file name, and a CI secret often ends in
        // a line break: "x.db " was checked against the outputs as one file and opened as
        // another (a report of the same name then overwrote the ledger).
        String location = given.strip();
        // A URL scheme is case-insensitive; pgjdbc accepts only the lowercase prefix.
        if (location.regionMatches(true, 0, POSTGRES_PREFIX, 0, POSTGRES_PREFIX.length())) {
            return postgres(location, POSTGRES_PREFIX + location.substring(POSTGRES_PREFIX.length()));
        }
        // Refused rather than translated: pgjdbc reads neither libpq's options (host=/socket,
        // service, passfile, target_session_attrs, ...) nor PGPASSWORD, so a translated URL
        // could connect otherwise than psql does with it. One documented form is clearer.
        if (LIBPQ_URL.matcher(location).find()) {
            throw new UserError(mask(location) + ": a libpq URL is not a ledger location: write it as"
                    + " jdbc:postgresql://host:5432/database?user=NAME, the password as user:PASSWORD@host or a"
                    + " password parameter");
        }
        if (URL_SCHEME.matcher(location).find()) {
            throw new UserError(mask(location) + ": unsupported ledger location: give a SQLite file path or a"
                    + " jdbc:postgresql: URL");
        }
        if (SCHEMELESS_AUTHORITY.matcher(location).find() || SCHEMELESS_USER_INFO.matcher(location).find()) {
            String masked = SCHEMELESS_USER_INFO.matcher(mask(location)).replaceFirst("$1:***@");
            throw new UserError(masked + ": looks like a database URL without its scheme, not a SQLite file path:"
                    + " for PostgreSQL write " + POSTGRES_PREFIX + (masked.startsWith("//") ? "" : "//") + masked
                    + " (the form jdbc:postgresql://host:5432/database?user=NAME)");
        }
        // sqlite-jdbc reads '?' in its URL as the start of options: such a file name would be cut.
        if (location.contains("?")) {
            throw new UserError(mask(location) + ": a SQLite ledger path may not contain '?'");
        }
        Path path = Path.of(location).toAbsolutePath().normalize();
        // Its settings are made when the ledger opens (in the background): building them loads
        // sqlite-jdbc's classes, 40 ms of the main thread before the run could start.
        return new LedgerLocation(Kind.SQLITE, location, path, "jdbc:sqlite:" + path, DEFAULT_WAIT, null,
                List.of());
    }

    /**
     * The SQLite file, for the check that no output of a command is another's file; empty
     * for PostgreSQL.
     */
    public Optional<Path> sqliteFile() {
        return Optional.ofNullable(sqliteFile);
    }

    /**
     * The location from {@code --ledger} if given, else from the environment; null when
     * neither. An empty variable is none (a CI secret a fork does not get); an empty
     * {@code --ledger} is refused, an unset variable more likely than a wish for no ledger.
     */
    public static LedgerLocation fromOptionOrEnvironment(String option, Function<String, String> env) {
        if (option != null) {
            return parse(option);
        }
        String location = env.apply(ENVIRONMENT_VARIABLE);
        return location == null || location.isEmpty() ? null : parse(location);
    }

    /**
     * pgjdbc logs through java.util.logging, which prints warnings on stderr ("JDBC URL
     * invalid port number") above the one line of ours that says the same; a holder, so
     * that SQLite runs load no logging.
     */
    private static final class PgjdbcLogging {
        /** Held: a logger no one references may be collected, and its level with it. */
        static final java.util.logging.Logger SILENCED = java.util.logging.Logger.getLogger("org.postgresql");

        static {
            SILENCED.setLevel(java.util.logging.Level.OFF);
        }

        static void silence() {
            // loading the class is the work
        }
    }

    /** {@code location} as given (for messages), {@code url} the same with the prefix pgjdbc accepts. */
    private static LedgerLocation postgres(String location, String url) {
        PgjdbcLogging.silence();
        Properties properties = new Properties();
        List<String> passwords = new ArrayList<>();
        Matcher parameter = PASSWORD_PARAMETER_VALUE.matcher(url);
        while (parameter.find()) {
            passwords.add(parameter.group(1));
            passwords.add(decodedIfEncoded(parameter.group(1)));
        }
        // pgjdbc does not read user:password@ in its URLs: take them out and pass them as properties.
        String afterPrefix = url.substring(POSTGRES_PREFIX.length());
        Matcher userInfo = URL_USER_INFO.matcher(afterPrefix);
        if (userInfo.matches()) {
            String info = userInfo.group(2);
            int colon = info.indexOf(':');
            try {
                properties.setProperty("user", decode(colon < 0 ? info : info.substring(0, colon)));
                if (colon >= 0) {
                    String password = info.substring(colon + 1);
                    passwords.add(password);
                    properties.setProperty("password", decode(password));
                    passwords.add(decode(password));
                }
            } catch (IllegalArgumentException e) {
                // Was an internal error with a stack trace.
                throw new UserError(mask(location) + ": the user or password before @ holds a % that is not"
                        + " followed by two hex digits: write a % as %25 (a / as %2F, a @ as %40)");
            }
            url = POSTGRES_PREFIX + userInfo.group(1) + userInfo.group(3);
        }
        // Batched upserts go over the wire as one multi-row statement.
        properties.setProperty("reWriteBatchedInserts", "true");
        // A server that accepts the connection and never answers hung the run for good, with
        // nothing written: a login is given this long (the URL's own loginTimeout wins).
        properties.setProperty("loginTimeout", Long.toString(LOGIN_TIMEOUT.toSeconds()));
        properties.setProperty("ApplicationName", "triage-rules ledger");
        passwords.removeIf(String::isEmpty);
        // The longest first, so that a password holding another is hidden whole.
        passwords.sort(Comparator.comparingInt(String::length).reversed());
        return new LedgerLocation(Kind.POSTGRESQL, location, null, url, DEFAULT_WAIT, properties,
                List.copyOf(passwords));
    }

    private Properties sqliteProperties() {
        SQLiteConfig config = new SQLiteConfig();
        // WAL (readers never block the writer) is set by connect(), not here: see walMode.
        // NORMAL in WAL mode: a killed process never corrupts or half-writes; a power cut may
        // lose the last transactions (not corrupt).
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(Math.toIntExact(waitLimit.toMillis()));
        config.enforceForeignKeys(true);
        // BEGIN IMMEDIATE: a run takes the write lock when its transaction starts, so runs
        // racing on one file queue up (busy timeout) instead of failing on a lock upgrade.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        return config.toProperties();
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** A query parameter as pgjdbc may read it; as it is when it is no valid percent-encoding (pgjdbc's call). */
    private static String decodedIfEncoded(String text) {
        try {
            return decode(text);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    /**
     * Opens a connection; errors name the masked location and the cause. The driver is
     * called directly rather than through DriverManager, which would load and register
     * every driver on the class path first.
     */
    Connection connect() {
        if (kind == Kind.SQLITE) {
            checkSqliteFile();
        }
        try {
            Connection connection = kind == Kind.SQLITE ? org.sqlite.JDBC.createConnection(url, settings())
                    : new org.postgresql.Driver().connect(url, settings());
            if (connection == null) {
                throw new SQLException("the driver does not accept this URL");
            }
            if (kind == Kind.SQLITE) {
                walMode(connection);
            }
            return connection;
        } catch (SQLException e) {
            String notWritable = cannotWrite(e) ? whyNotWritable() : null;
            if (notWritable != null) {
                throw new LedgerError(display() + ": cannot write the ledger: " + notWritable, writerHint(), e);
            }
            throw new LedgerError(display() + ": cannot connect to the ledger: " + causeOf(e), e);
        }
    }

    /** SQLite's "attempt to write a readonly database" or "unable to open" (any extended code). */
    boolean cannotWrite(SQLException e) {
        int code = e.getErrorCode() & 0xff;
        return kind == Kind.SQLITE && (code == SQLITE_READONLY || code == SQLITE_CANTOPEN);
    }

    /**
     * Why this process may not write the SQLite ledger, as the permissions say: the file is
     * read-only to it, or its folder (where SQLite keeps the {@code -wal} and {@code -shm}
     * files) is; null when they do not stop it (the error is another's).
     */
    String whyNotWritable() {
        if (kind != Kind.SQLITE) {
            return null;
        }
        Path folder = sqliteFile.getParent();
        boolean fileReadOnly = Files.exists(sqliteFile) && !Files.isWritable(sqliteFile);
        boolean folderReadOnly = folder != null && !Files.isWritable(folder);
        if (!fileReadOnly && !folderReadOnly) {
            return null;
        }
        String why = fileReadOnly ? "the file is read-only for this user" : "";
        if (folderReadOnly) {
            why += (why.isEmpty() ? "" : ", and ") + "its folder " + folder + " is not writable (SQLite keeps "
                    + sqliteFile.getFileName() + "-wal and -shm beside the file)";
        }
        if (walHoldsChanges()) {
            why += "; its write-ahead log " + sqliteFile.getFileName() + "-wal holds changes not yet checkpointed into"
                    + " the file";
        }
        return why;
    }

    /** What to do when {@link #whyNotWritable} stops a writer. */
    String writerHint() {
        return "run it as a user who may write " + sqliteFile + " and its folder, or on a copy of the ledger in a"
                + " folder you may write";
    }

    /** A {@code -wal} file with frames in it: changes that may not be in the file yet. */
    private boolean walHoldsChanges() {
        try {
            return Files.size(Path.of(sqliteFile + "-wal")) > 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * Opens a connection for the commands that only read. A SQLite file in a folder this
     * process may write is opened as by {@link #connect()} (whose last close also removes the
     * {@code -wal} and {@code -shm} files that reading creates). Otherwise (a read-only
     * mount, a folder or file of another user) a read-write connection cannot even start,
     * since SQLite first creates a journal beside the file; so when no process has it open
     * (no {@code -wal}, no {@code -shm}) it is read as an immutable snapshot, which creates
     * nothing beside it; else it is opened read-only, and
     * when SQLite cannot make the WAL index there either (no {@code -shm} file, and no right
     * to create one) and no {@code -wal} file holds changes not yet in the file, as an
     * immutable snapshot (SQLite's {@code immutable=1}: no locks, no journal; when a {@code -wal}
     * file holds changes, an error that says who can checkpoint them). A snapshot does
     * not see a run another user records meanwhile; a folder readers may not write is meant
     * for a copy nobody writes (a CI artifact or cache, a read-only mount).
     */
    Connection connectToRead() {
        if (kind != Kind.SQLITE) {
            return connect();
        }
        checkSqliteFile();
        Path folder = sqliteFile.getParent();
        if (Files.isWritable(sqliteFile) && (folder == null || Files.isWritable(folder))) {
            return connect();
        }
        try {
            if (!Files.exists(Path.of(sqliteFile + "-wal")) && !Files.exists(Path.of(sqliteFile + "-shm"))) {
                // Nobody has it open (the last close removes both), so everything is in the file:
                // a snapshot reads it and creates nothing. A read-only connection would create
                // both in a folder anyone may write (a shared CI cache), owned by this user, and
                // the ledger's owner could write neither again: every later run failed.
                return readOnly("jdbc:sqlite:file:" + uriPath(sqliteFile) + "?immutable=1");
            }
            try {
                return readOnly(url);
            } catch (SQLException e) {
                boolean noWalIndex = cannotWrite(e);
                if (!noWalIndex) {
                    throw e;
                }
                if (walHoldsChanges() && folder != null && !Files.isWritable(folder)) {
                    // An immutable snapshot would silently miss the runs in the -wal file; reading
                    // them needs the WAL index, which SQLite cannot make in this folder.
                    Path wal = Path.of(sqliteFile + "-wal");
                    throw new LedgerError(display() + ": cannot read the ledger: its folder " + folder + " is not"
                            + " writable, and its write-ahead log " + wal.getFileName() + " holds changes not yet"
                            + " checkpointed into the file, which SQLite cannot read without writing beside it",
                            "someone who may write to " + folder + " must checkpoint it (any 'triage-rules ledger'"
                            + " command they run on it does, e.g. 'triage-rules ledger runs --ledger " + sqliteFile
                            + "'); or copy " + sqliteFile.getFileName() + " and " + wal.getFileName() + " together"
                            + " into a folder you may write and read the copy", e);
                }
                if (walHoldsChanges()) {
                    throw e;
                }
                return readOnly("jdbc:sqlite:file:" + uriPath(sqliteFile) + "?immutable=1");
            }
        } catch (SQLException e) {
            throw new LedgerError(display() + ": cannot read the ledger: " + causeOf(e), e);
        }
    }

    /** A read-only connection that has read the file's first page: SQLite opens lazily, the errors come here. */
    private Connection readOnly(String sqliteUrl) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(Math.toIntExact(waitLimit.toMillis()));
        Connection connection = org.sqlite.JDBC.createConnection(sqliteUrl, config.toProperties());
        try (Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT COUNT(*) FROM sqlite_master").close();
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** A path as the path of a SQLite URI filename: '%' and '#' escaped ('?' is refused by {@link #parse}). */
    static String uriPath(Path file) {
        return file.toString().replace("%", "%25").replace("#", "%23");
    }

    /**
     * Checked when opening, not when parsing: a ledger that cannot be opened is a LedgerError
     * the main command survives (it still writes its report). Loads the driver's native library.
     */
    private void checkSqliteFile() {
        Path parent = sqliteFile.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new LedgerError(given + ": cannot open ledger: folder " + parent + " does not exist");
        }
        if (Files.isDirectory(sqliteFile)) {
            throw new LedgerError(given + ": cannot open ledger: it is a folder, not a SQLite file");
        }
        if (Files.isSymbolicLink(sqliteFile) && !Files.exists(sqliteFile)) {
            // SQLite said only SQLITE_CANTOPEN: "Unable to open the database file".
            String target;
            try {
                target = Files.readSymbolicLink(sqliteFile).toString();
            } catch (java.io.IOException e) {
                target = "?";
            }
            throw new LedgerError(given + ": cannot open ledger: it is a symbolic link to " + target
                    + ", which does not exist");
        }
        SqliteNativeLibrary.useUnpacked();
    }

    /**
     * Puts the file in WAL mode (kept in the file: a no-op once set). Turning a new file to
     * WAL needs it to itself, and SQLite answers SQLITE_BUSY at once, without its busy
     * handler, while another process does the same or creates the schema: eight runners
     * opening one new file at once failed so in CI. So this retries, within the busy timeout.
     */
    private void walMode(Connection connection) throws SQLException {
        long deadline = System.nanoTime() + waitLimit.toNanos();
        while (true) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode=WAL");
                return;
            } catch (SQLException e) {
                boolean busy = (e.getErrorCode() & 0xff) == SQLITE_BUSY;
                if (!busy || System.nanoTime() - deadline > 0) { // by difference: nanoTime may wrap
                    connection.close();
                    throw e;
                }
            }
            try {
                Thread.sleep(10 + ThreadLocalRandom.current().nextInt(40));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                connection.close();
                throw new SQLException("interrupted while waiting for the ledger file", e);
            }
        }
    }

    /** A data source for Flyway, with the same settings as {@link #connect()}. */
    javax.sql.DataSource dataSource() {
        if (kind == Kind.SQLITE) {
            SqliteNativeLibrary.useUnpacked();
            org.sqlite.SQLiteDataSource source = new org.sqlite.SQLiteDataSource(new SQLiteConfig(settings()));
            source.setUrl(url);
            return source;
        }
        org.postgresql.ds.PGSimpleDataSource source = new org.postgresql.ds.PGSimpleDataSource();
        source.setURL(url);
        if (properties.getProperty("user") != null) {
            source.setUser(properties.getProperty("user"));
        }
        if (properties.getProperty("password") != null) {
            source.setPassword(properties.getProperty("password"));
        }
        return source;
    }

    Kind kind() {
        return kind;
    }

    /** The JDBC URL without user information (it is in the properties). */
    String url() {
        return url;
    }

    Properties properties() {
        Properties copy = new Properties();
        copy.putAll(settings());
        return copy;
    }

    private synchronized Properties settings() {
        if (properties == null) {
            properties = sqliteProperties();
        }
        return properties;
    }

    /** The location as given, password masked: what every message shows. */
    public String display() {
        return hidePasswords(mask(given));
    }

    /** The text with this location's password, wherever it appears in it, as {@code ***}. */
    private String hidePasswords(String text) {
        for (String password : passwords) {
            text = text.replace(password, "***");
        }
        return text;
    }

    @Override
    public String toString() {
        return display();
    }

    /**
     * Hides passwords in any text: {@code password=secret} becomes {@code password=***}, and
     * {@code //user:secret@host} becomes {@code //user:***@host}. Every message that can name
     * a location or a driver's error goes through here.
     */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = PASSWORD_PARAMETER.matcher(text).replaceAll("$1***");
        return USER_INFO.matcher(masked).replaceAll("$1:***@");
    }

    /**
     * A driver's error, as one line: its message, and the root cause's when it adds something; masked, and
     * without this location's password (a driver may quote what it could not parse), nor the
     * PostgreSQL driver's {@code Position: 14} lines (where in a statement the error is: ours, never shown).
     */
    String causeOf(Throwable e) {
        return hidePasswords(oneLine(e));
    }

    private static String oneLine(Throwable e) {
        String message = withoutPosition(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String rootMessage = root == e ? null : withoutPosition(root.getMessage());
        if (rootMessage != null && !message.contains(rootMessage)) {
            message += " (" + rootMessage + ")";
        }
        return mask(message.strip().replace('\n', ' '));
    }

    private static String withoutPosition(String message) {
        return message == null ? null : STATEMENT_POSITION.matcher(message).replaceAll("");
    }
}
