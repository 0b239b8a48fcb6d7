package dev.triagerules.ledger;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sqlite.util.LibraryLoaderUtil;
import org.sqlite.util.OSInfo;

/**
 * Points sqlite-jdbc at the native library the build unpacked beside its jar
 * ({@code target/lib/sqlite-jdbc-VERSION.native}, see pom.xml). Without it the driver
 * extracts the library from its jar into the temp folder on every run: 60 ms of CPU per
 * run on the bench, and a file left in /tmp by every run that is killed. Anything
 * unexpected (a jar elsewhere, no unpacked folder, a platform it lacks, a path the user
 * set) leaves the driver to its own way.
 */
final class SqliteNativeLibrary {
    static final String PATH_PROPERTY = "org.sqlite.lib.path";

    private SqliteNativeLibrary() {
    }

    /** Before the driver's first connection; idempotent. */
    static synchronized void useUnpacked() {
        if (System.getProperty(PATH_PROPERTY) != null) {
            return;
        }
        Path folder = unpackedFolder();
        if (folder != null && Files.isRegularFile(folder.resolve(LibraryLoaderUtil.getNativeLibName()))) {
            System.setProperty(PATH_PROPERTY, folder.toString());
        }
    }

    /** The platform's folder of the unpacked libraries beside the driver's jar; null when the driver is no jar. */
    static Path unpackedFolder() {
        try {
            return unpackedFolder(Path.of(org.sqlite.JDBC.class.getProtectionDomain().getCodeSource().getLocation()
                    .toURI()));
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** {@code lib/sqlite-jdbc-V.jar} gives {@code lib/sqlite-jdbc-V.native/org/sqlite/native/OS/ARCH}. */
    static Path unpackedFolder(Path driverJar) {
        String name = driverJar.getFileName().toString();
        if (!name.endsWith(".jar")) {
            return null;
        }
        return driverJar.resolveSibling(name.substring(0, name.length() - ".jar".length()) + ".native")
                .resolve("org/sqlite/native").resolve(OSInfo.getNativeLibFolderPathForCurrentOS());
    }
}
