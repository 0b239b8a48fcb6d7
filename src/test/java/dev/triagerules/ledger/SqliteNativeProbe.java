package dev.triagerules.ledger;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A separate JVM that opens a SQLite ledger and prints where sqlite-jdbc's native library
 * was loaded from (its mapping in /proc/self/maps), for {@link SqliteNativeLibraryTest}.
 */
final class SqliteNativeProbe {
    private SqliteNativeProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (Ledger ledger = Ledger.open(args[0])) {
            ledger.runs();
        }
        Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(line -> line.endsWith("libsqlitejdbc.so"))
                .map(line -> line.substring(line.indexOf('/')))
                .distinct()
                .forEach(System.out::println);
    }
}
