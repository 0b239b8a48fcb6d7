package dev.triagerules.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.util.OSInfo;

/** sqlite-jdbc's native library is loaded from beside the driver's jar when the build unpacked it there. */
class SqliteNativeLibraryTest {
    @TempDir
    Path tmp;

    @Test
    void theFolderIsNamedAfterTheDriversJar() {
        assertThat(SqliteNativeLibrary.unpackedFolder(Path.of("/opt/tool/lib/sqlite-jdbc-3.54.1.0.jar")))
                .isEqualTo(Path.of("/opt/tool/lib/sqlite-jdbc-3.54.1.0.native/org/sqlite/native",
                        OSInfo.getNativeLibFolderPathForCurrentOS()));
        assertThat(SqliteNativeLibrary.unpackedFolder(Path.of("/work/target/classes"))).isNull();
    }

    @Test
    void aLedgerLoadsTheUnpackedLibraryInsteadOfExtractingOne() throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("lib"));
        Path driverJar = lib.resolve("sqlite-jdbc-test.jar");
        Files.copy(driverJarOnClassPath(), driverJar);
        Path folder = SqliteNativeLibrary.unpackedFolder(driverJar);
        String inJar = "org/sqlite/native/" + OSInfo.getNativeLibFolderPathForCurrentOS() + "/libsqlitejdbc.so";
        try (ZipFile zip = new ZipFile(driverJar.toFile())) {
            ZipEntry entry = zip.getEntry(inJar);
            assertThat(entry).as("%s in the driver's jar", inJar).isNotNull();
            Files.createDirectories(folder);
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, folder.resolve("libsqlitejdbc.so"));
            }
        }
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));

        assertThat(probe(driverJar, javaTmp)).containsExactly(folder.resolve("libsqlitejdbc.so").toString());

        // Without the unpacked folder the driver extracts its library into the temp folder, as before.
        try (Stream<Path> files = Files.walk(lib.resolve("sqlite-jdbc-test.native"))) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
        assertThat(probe(driverJar, javaTmp)).singleElement().asString().startsWith(javaTmp + File.separator);
    }

    /** Where a separate JVM, with the given driver jar, loaded the native library from. */
    private List<String> probe(Path driverJar, Path javaTmp) throws IOException, InterruptedException {
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classPath.add(entry.equals(driverJarOnClassPath().toString()) ? driverJar.toString() : entry);
        }
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + javaTmp, "-cp", String.join(File.pathSeparator, classPath),
                SqliteNativeProbe.class.getName(), tmp.resolve("ledger.db").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as("probe exit; stdout:\n%s", out).isZero();
        return out.lines().toList();
    }

    private static Path driverJarOnClassPath() {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (Path.of(entry).getFileName().toString().startsWith("sqlite-jdbc-") && entry.endsWith(".jar")) {
                return Path.of(entry);
            }
        }
        throw new AssertionError("no sqlite-jdbc jar on the class path");
    }
}
