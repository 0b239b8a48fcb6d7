package dev.triagerules.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triagerules.base.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerLocationTest {
    @TempDir
    Path tmp;

    @Test
    void passwordsAreMaskedWhereverTheyAre() {
        assertThat(LedgerLocation.mask("jdbc:postgresql://db/ci?user=triage&password=s3cr&t&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/ci?user=triage&password=***&t&ssl=true");
        assertThat(LedgerLocation.mask("jdbc:postgresql://db/ci?PASSWORD=x;other")).isEqualTo(
                "jdbc:postgresql://db/ci?PASSWORD=***;other");
        assertThat(LedgerLocation.mask("jdbc:postgresql://triage:p%40ss@db:5432/ci"))
                .isEqualTo("jdbc:postgresql://triage:***@db:5432/ci");
        assertThat(LedgerLocation.mask("cannot connect to jdbc:postgresql://u:pw@h/x (password=pw)"))
                .isEqualTo("cannot connect to jdbc:postgresql://u:***@h/x (password=***"); // a password may hold any character: all up to a separator goes
        assertThat(LedgerLocation.mask("jdbc:postgresql://db:5432/ci?user=triage")).isEqualTo(
                "jdbc:postgresql://db:5432/ci?user=triage");
        assertThat(LedgerLocation.mask("triage-ledger.db")).isEqualTo("triage-ledger.db");
        // A message names the location, then ": ": masking it twice changes nothing.
        String message = LedgerLocation.mask("jdbc:postgresql://db/ci?password=pw: cannot connect to the ledger");
        assertThat(message).isEqualTo("jdbc:postgresql://db/ci?password=***: cannot connect to the ledger");
        assertThat(LedgerLocation.mask(message)).isEqualTo(message);
        assertThat(LedgerLocation.mask("jdbc:postgresql://db/ci?password=a:b:")).isEqualTo(
                "jdbc:postgresql://db/ci?password=***");
    }

    @Test
    void userInformationBecomesDriverProperties() {
        LedgerLocation location = LedgerLocation.parse("jdbc:postgresql://triage:p%40ss@db:5432/ci?ssl=true");
        assertThat(location.kind()).isEqualTo(LedgerLocation.Kind.POSTGRESQL);
        assertThat(location.url()).isEqualTo("jdbc:postgresql://db:5432/ci?ssl=true");
        assertThat(location.properties().getProperty("user")).isEqualTo("triage");
        assertThat(location.properties().getProperty("password")).isEqualTo("p@ss");
        assertThat(location.display()).isEqualTo("jdbc:postgresql://triage:***@db:5432/ci?ssl=true");
        assertThat(location.toString()).doesNotContain("p%40ss");
    }

    @Test
    void aPathIsASqliteFile() throws SQLException {
        LedgerLocation location = LedgerLocation.parse(tmp.resolve("ledger.db").toString());
        assertThat(location.kind()).isEqualTo(LedgerLocation.Kind.SQLITE);
        assertThat(location.url()).isEqualTo("jdbc:sqlite:" + tmp.resolve("ledger.db").toAbsolutePath());
        // WAL is set on connecting (with retries while another process turns a new file to WAL).
        try (Connection connection = location.connect(); Statement statement = connection.createStatement();
                ResultSet mode = statement.executeQuery("PRAGMA journal_mode")) {
            assertThat(mode.next()).isTrue();
            assertThat(mode.getString(1)).isEqualToIgnoringCase("wal");
        }
        assertThat(location.properties().getProperty("busy_timeout")).isEqualTo("120000");
        assertThat(location.properties().getProperty("transaction_mode")).isEqualTo("IMMEDIATE");
    }

    /** "x.db " was checked against the outputs as "x.db " and opened by SQLite as "x.db" (a report of that name overwrote it). */
    @Test
    void whiteSpaceAroundALocationIsNotPartOfIt() {
        Path file = tmp.resolve("ledger.db");
        assertThat(LedgerLocation.parse(file + " \n").sqliteFile()).contains(file.toAbsolutePath());
        assertThat(LedgerLocation.parse("  " + file).sqliteFile()).contains(file.toAbsolutePath());
        assertThat(LedgerLocation.parse(" jdbc:postgresql://db/ci\n").url()).isEqualTo("jdbc:postgresql://db/ci");
    }

    /** Was an internal error (URLDecoder's IllegalArgumentException) with a stack trace. */
    @Test
    void aPercentThatEncodesNothingInTheUserInformationIsAClearError() {
        assertThatThrownBy(() -> LedgerLocation.parse("jdbc:postgresql://sp:Zq%zz@localhost/trdb"))
                .isInstanceOf(UserError.class)
                .hasMessage("jdbc:postgresql://sp:***@localhost/trdb: the user or password before @ holds a % that is"
                        + " not followed by two hex digits: write a % as %25 (a / as %2F, a @ as %40)");
    }

    /** A server that accepted the connection and never answered hung every run for good. */
    @Test
    void aPostgresLoginHasATimeoutTheUrlMayChange() {
        assertThat(LedgerLocation.parse("jdbc:postgresql://db/ci").properties().getProperty("loginTimeout"))
                .isEqualTo("30");
    }

    @Test
    void badLocationsAreClearErrors() {
        assertThatThrownBy(() -> LedgerLocation.parse("jdbc:mysql://db/ci?password=x")).isInstanceOf(UserError.class)
                .hasMessage("jdbc:mysql://db/ci?password=***: unsupported ledger location: give a SQLite file path"
                        + " or a jdbc:postgresql: URL");
        assertThatThrownBy(() -> LedgerLocation.parse(" ")).hasMessageContaining("ledger location is empty");
        assertThatThrownBy(() -> Ledger.open(tmp.toString())).isInstanceOf(LedgerError.class)
                .hasMessageEndingWith(": cannot open ledger: it is a folder, not a SQLite file");
        assertThatThrownBy(() -> Ledger.open(tmp.resolve("no/such/folder/ledger.db").toString()))
                .isInstanceOf(LedgerError.class)
                .hasMessageEndingWith(": cannot open ledger: folder " + tmp.resolve("no/such/folder") + " does not exist");
        assertThatThrownBy(() -> LedgerLocation.parse(tmp.resolve("a?b.db").toString()))
                .hasMessageEndingWith(": a SQLite ledger path may not contain '?'");
        Path dangling = tmp.resolve("dangling.db");
        try {
            Files.createSymbolicLink(dangling, tmp.resolve("gone/ledger.db"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThatThrownBy(() -> Ledger.open(dangling.toString())).isInstanceOf(LedgerError.class)
                .hasMessage(dangling + ": cannot open ledger: it is a symbolic link to " + tmp.resolve("gone/ledger.db")
                        + ", which does not exist");
    }

    @Test
    void aRawAtSignInAPasswordIsPartOfThePassword() {
        LedgerLocation location = LedgerLocation.parse("jdbc:postgresql://h2:Raw@Pw1@localhost:5999/h2db");
        assertThat(location.url()).isEqualTo("jdbc:postgresql://localhost:5999/h2db");
        assertThat(location.properties().getProperty("user")).isEqualTo("h2");
        assertThat(location.properties().getProperty("password")).isEqualTo("Raw@Pw1");
        assertThat(location.display()).isEqualTo("jdbc:postgresql://h2:***@localhost:5999/h2db");
        // Even a raw '/', which ends the authority, leaves no piece of the password in a message.
        assertThat(LedgerLocation.mask("jdbc:postgresql://h2:a/b@c@localhost/h2db: cannot connect (x@y)"))
                .isEqualTo("jdbc:postgresql://h2:***@localhost/h2db: cannot connect (x@y)");
    }

    @Test
    void aDriversMessageLosesTheLocationsPasswordWhereverItIs() {
        LedgerLocation location = LedgerLocation.parse("jdbc:postgresql://h2:Raw%40Pw1@localhost/h2db");
        assertThat(location.causeOf(new SQLException("no host Raw@Pw1x, nor Raw%40Pw1")))
                .isEqualTo("no host ***x, nor ***");
        LedgerLocation inQuery = LedgerLocation.parse("jdbc:postgresql://localhost/h2db?password=Qu%3Dery9&user=h2");
        assertThat(inQuery.causeOf(new SQLException("bad option Qu=ery9"))).isEqualTo("bad option ***");
        LedgerLocation notEncoded = LedgerLocation.parse("jdbc:postgresql://localhost/h2db?password=50%off");
        assertThat(notEncoded.causeOf(new SQLException("no 50%off"))).isEqualTo("no ***");
    }

    @Test
    void theJdbcPrefixIsCaseInsensitive() {
        LedgerLocation location = LedgerLocation.parse("JDBC:PostgreSQL://h2:TypoPw5@localhost/h2db");
        assertThat(location.kind()).isEqualTo(LedgerLocation.Kind.POSTGRESQL);
        assertThat(location.url()).isEqualTo("jdbc:postgresql://localhost/h2db");
        assertThat(location.properties().getProperty("password")).isEqualTo("TypoPw5");
        assertThat(location.display()).isEqualTo("JDBC:PostgreSQL://h2:***@localhost/h2db");
    }

    @Test
    void aUrlOfAnotherKindIsRefusedNotTakenForAPath() {
        for (String libpq : List.of("postgres://h2:TypoPw3@localhost/h2db", "postgresql://h2:TypoPw3@localhost/h2db",
                "POSTGRES://h2:TypoPw3@localhost/h2db")) {
            assertThatThrownBy(() -> LedgerLocation.parse(libpq)).isInstanceOf(UserError.class)
                    .hasMessage(libpq.replace("TypoPw3", "***") + ": a libpq URL is not a ledger location: write it"
                            + " as jdbc:postgresql://host:5432/database?user=NAME, the password as"
                            + " user:PASSWORD@host or a password parameter");
        }
        for (String other : List.of("mysql://h2:TypoPw4@localhost/h2db", "file:///tmp/ledger.db",
                "Jdbc:mysql://db/ci?password=TypoPw4")) {
            assertThatThrownBy(() -> LedgerLocation.parse(other)).isInstanceOf(UserError.class)
                    .hasMessageEndingWith(": unsupported ledger location: give a SQLite file path or a jdbc:postgresql:"
                            + " URL")
                    .message().doesNotContain("TypoPw4");
        }
        // A PostgreSQL URL that lost its "jdbc:postgresql:" is no path: as one, its "folder"
        // (/u:password@host) was named in the error, password and all.
        for (String schemeless : List.of("//h2:TypoPw6@localhost/h2db", "//h2:TypoPw6@localhost:5432/h2db",
                "h2:TypoPw6@localhost/h2db", "//localhost/h2db?user=h2&password=TypoPw6")) {
            String masked = schemeless.replace("TypoPw6", "***");
            assertThatThrownBy(() -> LedgerLocation.parse(schemeless)).isInstanceOf(UserError.class)
                    .hasMessage(masked + ": looks like a database URL without its scheme, not a SQLite file path:"
                            + " for PostgreSQL write jdbc:postgresql:" + (masked.startsWith("//") ? "" : "//") + masked
                            + " (the form jdbc:postgresql://host:5432/database?user=NAME)");
        }
        assertThatThrownBy(() -> LedgerLocation.parse("//localhost:5432/h2db")).isInstanceOf(UserError.class)
                .hasMessageStartingWith("//localhost:5432/h2db: looks like a database URL without its scheme");
        assertThatThrownBy(() -> LedgerLocation.parse("ledger.db?password=TypoPw7")).isInstanceOf(UserError.class)
                .hasMessage("ledger.db?password=***: a SQLite ledger path may not contain '?'");
        assertThat(LedgerLocation.parse("//" + tmp.resolve("ledger.db")).kind()).isEqualTo(LedgerLocation.Kind.SQLITE);
        // A path that merely holds a colon is still a path.
        assertThat(LedgerLocation.parse(tmp.resolve("a:b.db").toString()).kind()).isEqualTo(LedgerLocation.Kind.SQLITE);
    }

    @Test
    void theOptionWinsOverTheEnvironment() {
        String fromEnv = tmp.resolve("env.db").toString();
        String fromOption = tmp.resolve("option.db").toString();
        assertThat(LedgerLocation.fromOptionOrEnvironment(fromOption, name -> fromEnv).url()).endsWith("option.db");
        assertThat(LedgerLocation.fromOptionOrEnvironment(null, name -> name.equals("TRIAGE_RULES_LEDGER") ? fromEnv
                : null).url()).endsWith("env.db");
        assertThat(LedgerLocation.fromOptionOrEnvironment(null, name -> null)).isNull();
        assertThat(LedgerLocation.fromOptionOrEnvironment(null, name -> "")).isNull();
    }
}
