package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SQLite ledger in a folder the process may not write (a read-only mount, another user's
 * folder): the commands that only read it work and leave nothing behind, and a run that
 * would record into it says why it cannot. The processes really lack the rights
 * ({@link UnprivilegedProcess}).
 */
class ReadOnlyLedgerTest {
    private static final String LOG = Path.of("examples", "sample-e2e.jsonl").toAbsolutePath().toString();

    @TempDir
    Path tmp;

    UnprivilegedProcess process;
    Path shelf;

    @BeforeEach
    void prepare() throws Exception {
        process = UnprivilegedProcess.in(tmp);
        // '#' and '%' mean something in a SQLite URI filename: the read-only open must escape them.
        shelf = Files.createDirectories(tmp.resolve("shelf").resolve("copy #1 100%"));
    }

    @AfterEach
    void writableAgain() throws Exception {
        try (Stream<Path> walk = Files.walk(tmp.resolve("shelf"))) {
            for (Path path : walk.toList()) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                        Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    @Test
    void theReadingCommandsReadACopyInAFolderTheyMayNotWrite() throws Exception {
        String recorded = tmp.resolve("ledger.db").toString();
        CliRunner.run("-q", "--input", LOG, "--output", tmp.resolve("run1.json").toString(), "--ledger", recorded)
                .assertOk();
        assertThat(tmp.resolve("ledger.db-wal")).as("closed cleanly: everything is in the file").doesNotExist();
        String incidents = CliRunner.run("ledger", "incidents", "--json", "--ledger", recorded).assertOk().out();
        String runs = CliRunner.run("ledger", "runs", "--ledger", recorded).assertOk().out();
        Path copy = Files.copy(Path.of(recorded), shelf.resolve("ledger.db"));
        readOnly(copy);

        assertThat(process.run("ledger", "incidents", "--json", "--ledger", copy.toString()).assertOk().out())
                .isEqualTo(incidents);
        assertThat(process.run("ledger", "runs", "--ledger", copy.toString()).assertOk().out()).isEqualTo(runs);
        // A pull request's run judged against it: every incident is seen again.
        Path judged = process.scratch().resolve("judged.json");
        CliRunner.Result judging = process.run("--input", LOG, "--output", judged.toString(), "--ledger",
                copy.toString(), "--no-record").assertOk();
        assertThat(judging.err()).contains("(judged against the ledger, not recorded)");
        assertThat(Files.readString(judged)).contains("\"status\": \"recurring\"")
                .doesNotContain("\"status\": \"new\"");

        // Recording needs the folder: the run says so, writes its report, and records nothing.
        Path recordedOut = process.scratch().resolve("recorded.json");
        CliRunner.Result recording = process.run("-q", "--input", LOG, "--output", recordedOut.toString(),
                "--ledger", copy.toString()).assertExit(4);
        assertThat(recording.err()).isEqualTo(copy + ": cannot write the ledger: the file is read-only for this"
                + " user, and its folder " + shelf + " is not writable (SQLite keeps ledger.db-wal and -shm beside the"
                + " file) (this run is not recorded; the outputs are written)\n  hint: run it as a user who may write "
                + copy + " and its folder, or on a copy of the ledger in a folder you may write\n");
        assertThat(recordedOut).exists();

        try (Stream<Path> files = Files.list(shelf)) {
            assertThat(files).containsExactly(copy);
        }
        assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(Path.of(recorded)));
    }

    /**
     * Another user's ledger in a folder anyone may write (a shared CI cache, mode 1777): a
     * read-only reader left -wal and -shm files of its own there, which the owner could then
     * neither write nor (sticky folder) delete, and every later run failed.
     */
    @Test
    void aReaderOfAnotherUsersLedgerInASharedFolderLeavesNothingBehind() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shelf").resolve("shared"));
        Path ledger = shared.resolve("ledger.db");
        CliRunner.run("-q", "--input", LOG, "--output", tmp.resolve("run1.json").toString(), "--ledger",
                ledger.toString()).assertOk();
        Files.setPosixFilePermissions(ledger, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        String runs = process.run("ledger", "runs", "--ledger", ledger.toString()).assertOk().out();
        process.run("ledger", "incidents", "--ledger", ledger.toString()).assertOk();

        assertThat(runs.lines()).hasSize(2);
        try (Stream<Path> files = Files.list(shared)) {
            assertThat(files).containsExactly(ledger);
        }
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void aRunStillInTheWriteAheadLogIsRead() throws Exception {
        Path ledger = shelf.resolve("ledger.db");
        CliRunner.run("-q", "--input", LOG, "--output", tmp.resolve("run1.json").toString(), "--ledger",
                ledger.toString()).assertOk();
        // A reader that stays open keeps SQLite from folding the next run into the file when it closes.
        try (Connection open = DriverManager.getConnection("jdbc:sqlite:" + ledger)) {
            assertThat(count(open, "SELECT COUNT(*) FROM ledger_run")).isEqualTo(1);
            CliRunner.run("-q", "--input", LOG, "--output", tmp.resolve("run2.json").toString(), "--ledger",
                    ledger.toString()).assertOk();
            try (Connection fileAlone = DriverManager.getConnection("jdbc:sqlite:file:"
                    + ledger.toString().replace("%", "%25").replace("#", "%23") + "?immutable=1")) {
                assertThat(count(fileAlone, "SELECT COUNT(*) FROM ledger_run")).as("run 2 only in the -wal file")
                        .isEqualTo(1);
            }
            readOnly(ledger);

            String runs = process.run("ledger", "runs", "--ledger", ledger.toString()).assertOk().out();
            assertThat(runs.lines()).hasSize(3).element(2).asString().startsWith("2 ");
        }
    }

    @Test
    void aRunStillInTheWriteAheadLogOfAFolderTheyMayNotWriteIsAClearError() throws Exception {
        Path recorded = tmp.resolve("ledger.db");
        CliRunner.run("-q", "--input", LOG, "--output", tmp.resolve("run1.json").toString(), "--ledger",
                recorded.toString()).assertOk();
        Path copy = shelf.resolve("ledger.db");
        Path wal = shelf.resolve("ledger.db-wal");
        // Run 2 only in the -wal file (a reader that stays open keeps it from being folded in),
        // copied with it, without the -shm index: a CI cache or artifact saved mid-way.
        try (Connection open = DriverManager.getConnection("jdbc:sqlite:" + recorded)) {
            assertThat(count(open, "SELECT COUNT(*) FROM ledger_run")).isEqualTo(1);
            CliRunner.run("-q", "--input", LOG, "--output", tmp.resolve("run2.json").toString(), "--ledger",
                    recorded.toString()).assertOk();
            Files.copy(recorded, copy);
            Files.copy(Path.of(recorded + "-wal"), wal);
        }
        assertThat(Files.size(wal)).isPositive();
        Files.setPosixFilePermissions(wal, PosixFilePermissions.fromString("r--r--r--"));
        readOnly(copy);

        for (String query : new String[] {"runs", "incidents"}) {
            CliRunner.Result read = process.run("ledger", query, "--ledger", copy.toString()).assertExit(1);
            assertThat(read.err()).isEqualTo(copy + ": cannot read the ledger: its folder " + shelf + " is not"
                    + " writable, and its write-ahead log ledger.db-wal holds changes not yet checkpointed into the"
                    + " file, which SQLite cannot read without writing beside it\n  hint: someone who may write to "
                    + shelf + " must checkpoint it (any 'triage-rules ledger' command they run on it does, e.g."
                    + " 'triage-rules ledger runs --ledger " + copy + "'); or copy ledger.db and ledger.db-wal together"
                    + " into a folder you may write and read the copy\n");
        }
        Path out = process.scratch().resolve("recorded.json");
        CliRunner.Result recording = process.run("-q", "--input", LOG, "--output", out.toString(), "--ledger",
                copy.toString()).assertExit(4);
        assertThat(recording.err()).startsWith(copy + ": cannot write the ledger: the file is read-only for this"
                + " user, and its folder " + shelf + " is not writable (SQLite keeps ledger.db-wal and -shm beside the"
                + " file); its write-ahead log ledger.db-wal holds changes not yet checkpointed into the file (this"
                + " run is not recorded; the outputs are written)\n  hint: ");
        assertThat(out).exists();
        try (Stream<Path> files = Files.list(shelf)) {
            assertThat(files).containsExactlyInAnyOrder(copy, wal);
        }

        // What the hint says works: whoever may write there reads it, which checkpoints it.
        Files.setPosixFilePermissions(shelf, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(wal, PosixFilePermissions.fromString("rw-r--r--"));
        CliRunner.run("ledger", "runs", "--ledger", copy.toString()).assertOk();
        assertThat(wal).doesNotExist();
        readOnly(copy);
        assertThat(process.run("ledger", "runs", "--ledger", copy.toString()).assertOk().out().lines()).hasSize(3);
    }

    private static void readOnly(Path ledgerFile) throws Exception {
        Files.setPosixFilePermissions(ledgerFile, PosixFilePermissions.fromString("r--r--r--"));
        Files.setPosixFilePermissions(ledgerFile.getParent(), PosixFilePermissions.fromString("r-xr-xr-x"));
    }

    private static long count(Connection connection, String sql) throws Exception {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

}
