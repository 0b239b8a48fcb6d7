package dev.triagerules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triagerules.base.FileTrees;
import dev.triagerules.cli.CliRunner;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher, {@code bin/triage-rules}, on the packaged tool (failsafe runs this after
 * {@code package}): the README's first command, the user's own JVM flags, and the SQLite
 * driver's native library loaded from beside its jar. Each run has a cache and config
 * folder of its own.
 *
 * <p>A training takes ~20 s (more than the rest of most tests): only tests about making an
 * archive train one.
 */
class LauncherIT {
    private static final String EXAMPLE = "examples/sample-e2e.jsonl";

    /** The archive the project's launcher keeps for the JVM on the PATH. */
    private static Path projectArchive;

    @TempDir
    Path tmp;

    /**
     * The runs in the project folder share its archive, trained here once as a user's first
     * run trains it (in CI; a developer's checkout may have it already). Tests that need an
     * archive in their own copy of the tool, but are not about making one, get a copy of it.
     */
    @BeforeAll
    static void trainTheProjectsArchiveOnce(@TempDir Path scratch) throws Exception {
        // The JVM names the archive the launcher gave it among its flags (on stderr, where the
        // launcher sends the JVM's own output).
        Run run = launch(scratch, Path.of(""), Path.of("bin", "triage-rules"),
                Map.of("TRIAGE_RULES_JAVA_OPTS", "-XX:+PrintFlagsFinal"), "--version").assertOk();
        assertThat(run.out()).isEqualTo(CliRunner.run("--version").assertOk().out());
        String flag = run.err().lines().filter(line -> line.contains(" SharedArchiveFile ")).findFirst().orElseThrow();
        projectArchive = Path.of(flag.replaceFirst(".*= (.*?) +\\{.*", "$1"));
        assertThat(projectArchive).as("the project's archive").isNotEmptyFile()
                .hasParentRaw(Path.of("target", "cds").toRealPath());
    }

    /** The link homeCopy makes to the build's libraries: JUnit warns about every such link it deletes. */
    @AfterEach
    void removeTheLinkToTheLibraries() throws IOException {
        Path lib = tmp.resolve("home/target/lib");
        if (Files.isSymbolicLink(lib)) {
            Files.delete(lib);
        }
    }

    @Test
    void theReadmesFirstCommandWritesWhatTheToolWrites() throws Exception {
        Path report = tmp.resolve("triage.json");
        launch(Map.of(), "--input", EXAMPLE, "--output", report.toString()).assertOk();

        Path inProcess = tmp.resolve("in-process.json");
        CliRunner.run("-q", "--input", EXAMPLE, "--output", inProcess.toString()).assertOk();
        assertThat(withoutTime(report)).isEqualTo(withoutTime(inProcess));
        assertThat(withoutTime(report).get("incidents")).isNotEmpty();
    }

    @Test
    void aSmallHeapOfTheUsersOwnReplacesTheLaunchersInitialHeap() throws Exception {
        // The launcher's -Xms128m beside a smaller -Xmx made the JVM refuse to start.
        Path report = tmp.resolve("small-heap.json");
        launch(Map.of("TRIAGE_RULES_JAVA_OPTS", "-Xmx64m"), "-q", "--input", EXAMPLE, "--output", report.toString())
                .assertOk();
        assertThat(report).isNotEmptyFile();
    }

    @Test
    void theLaunchersCollectorUnlessTheUserNamesOne() throws Exception {
        // Two collectors on one command line make the JVM refuse to start.
        Path report = tmp.resolve("collector.json");
        Run ours = launch(Map.of("TRIAGE_RULES_JAVA_OPTS", "-Xlog:gc=info:stderr"), "-q", "--input", EXAMPLE,
                "--output", report.toString()).assertOk();
        assertThat(ours.err()).contains("Using Parallel");
        Run theirs = launch(Map.of("TRIAGE_RULES_JAVA_OPTS", "-XX:+UseSerialGC -Xlog:gc=info:stderr"), "-q",
                "--input", EXAMPLE, "--output", report.toString()).assertOk();
        assertThat(theirs.err()).contains("Using Serial").doesNotContain("Using Parallel");
    }

    @Test
    void aLedgerRunLoadsTheSqliteLibraryUnpackedBesideItsDriver() throws Exception {
        Run run = launch(Map.of("TRIAGE_RULES_JAVA_OPTS", "-Xlog:library=info:stderr"), "-q", "--input", EXAMPLE,
                "--output", tmp.resolve("triage.json").toString(), "--ledger", tmp.resolve("ledger.db").toString());
        run.assertOk();
        List<String> loaded = run.err().lines().filter(line -> line.contains("Loaded library")
                && line.contains("libsqlitejdbc")).toList();
        assertThat(loaded).singleElement().asString()
                .containsPattern("target/lib/sqlite-jdbc-[^/]+\\.native/org/sqlite/native/.+/libsqlitejdbc\\.so");
    }

    @Test
    void withBuildOffTheToolIsUsedAsBuiltThoughASourceIsNewer() throws Exception {
        Path pom = Path.of("pom.xml").toAbsolutePath();
        FileTime was = Files.getLastModifiedTime(pom);
        FileTime jar = Files.getLastModifiedTime(Path.of("target", "triage-rules.jar"));
        try {
            Files.setLastModifiedTime(pom, FileTime.fromMillis(jar.toMillis() + 60_000));
            Run run = launch(Map.of("TRIAGE_RULES_BUILD", "0"), "-q", "--input", EXAMPLE, "--output",
                    tmp.resolve("as-built.json").toString()).assertOk();
            assertThat(run.err()).doesNotContain("building");
            assertThat(tmp.resolve("as-built.json")).isNotEmptyFile();
        } finally {
            Files.setLastModifiedTime(pom, was);
        }
    }

    @Test
    void aPackWithJavaDialectRulesStillGetsItsClassDataArchiveOnce() throws Exception {
        // Compiling java-dialect consequences loads ECJ, a signed jar: JDK 17 crashed dumping
        // its lambdas, no archive was made, and every run trained and dumped again (~20 s).
        Path home = homeCopy();
        Path rule = home.resolve("rules/unclassified.drl");
        Files.writeString(rule, Files.readString(rule).replace("dialect \"mvel\"", "dialect \"java\""));
        Path launcher = home.resolve("bin/triage-rules");

        launch(home, launcher, Map.of(), "-q", "--input", EXAMPLE, "--output", tmp.resolve("first.json").toString())
                .assertOk().assertQuiet();
        Path archive = archives(home).get(0);
        assertThat(archive).isNotEmptyFile();
        FileTime made = Files.getLastModifiedTime(archive);
        launch(home, launcher, Map.of(), "-q", "--input", EXAMPLE, "--output", tmp.resolve("second.json").toString())
                .assertOk().assertQuiet();
        assertThat(Files.getLastModifiedTime(archive)).isEqualTo(made);
        try (var left = Files.list(home)) {
            assertThat(left.map(path -> path.getFileName().toString())).as("a crashed JVM's report in the user's folder")
                    .noneMatch(name -> name.startsWith("hs_err"));
        }
    }

    @Test
    void anArchiveThatCannotBeMadeIsNotTriedAgainUntilTheJarChanges() throws Exception {
        // A java on the PATH whose -Xshare:dump fails, as a JDK that cannot dump these classes
        // (what the training runs record plays no part).
        Path home = homeCopy();
        Path dumps = tmp.resolve("dumps.txt");
        Path bin = javaThatSkipsTraining("fake-java",
                "case \" $* \" in *\" -Xshare:dump \"*) echo dump >>'" + dumps + "'; exit 1 ;; esac\n");
        Map<String, String> env = Map.of("PATH", bin + File.pathSeparator + System.getenv("PATH"));
        Path launcher = home.resolve("bin/triage-rules");

        launch(home, launcher, env, "-q", "--input", EXAMPLE, "--output", tmp.resolve("first.json").toString())
                .assertOk().assertQuiet();
        assertThat(Files.readAllLines(dumps)).as("with lambdas, then without").hasSize(2);
        assertThat(archives(home)).isEmpty();
        launch(home, launcher, env, "-q", "--input", EXAMPLE, "--output", tmp.resolve("second.json").toString())
                .assertOk().assertQuiet();
        assertThat(Files.readAllLines(dumps)).as("not tried again").hasSize(2);

        Path jar = home.resolve("target/triage-rules.jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        launch(home, launcher, env, "-q", "--input", EXAMPLE, "--output", tmp.resolve("third.json").toString())
                .assertOk();
        assertThat(Files.readAllLines(dumps)).as("a new jar is tried again").hasSize(4);
    }

    @Test
    void eachJvmGetsAnArchiveOfItsOwn() throws Exception {
        // An archive is the dumping JVM's: another rejected it on every run (and said so on stdout).
        // A JDK of another version: this one's java behind a release file of its own.
        Path home = homeCopyWithAnArchive();
        Path otherJdk = javaThatSkipsTraining("other-jdk");
        Files.writeString(otherJdk.resolveSibling("release"), "JAVA_VERSION=\"17\"\nJAVA_RUNTIME_VERSION=\"17-other+1\"\n");
        Map<String, String> other = Map.of("PATH", otherJdk + File.pathSeparator + System.getenv("PATH"));
        Path launcher = home.resolve("bin/triage-rules");

        launch(home, launcher, Map.of(), "-q", "--input", EXAMPLE, "--output", tmp.resolve("first.json").toString())
                .assertOk().assertQuiet();
        assertThat(archives(home)).hasSize(1);
        Path first = archives(home).get(0);
        FileTime made = Files.getLastModifiedTime(first);
        launch(home, launcher, other, "-q", "--input", EXAMPLE, "--output", tmp.resolve("other.json").toString())
                .assertOk().assertQuiet();
        assertThat(archives(home)).hasSize(2).anySatisfy(path -> assertThat(path.getFileName().toString())
                .contains("other-jdk").endsWith("17-other+1.jsa"));
        launch(home, launcher, Map.of(), "-q", "--input", EXAMPLE, "--output", tmp.resolve("again.json").toString())
                .assertOk().assertQuiet();
        assertThat(Files.getLastModifiedTime(first)).as("the first JVM's archive kept").isEqualTo(made);
    }

    /**
     * In a container without a locale the JVM reads file names as ASCII: a non-ASCII name
     * was an internal error, and annotations printed '?' for every non-ASCII letter. The
     * names are made and given by sh, so that this test's own locale plays no part.
     */
    @Test
    void nonAsciiNamesAndTextWorkWithoutALocale() throws Exception {
        String log = "{\"schema_version\":\"ft-conformance-log-v1\",\"ts_unix_ms\":1,\"suite_id\":\"s\","
                + "\"scenario_id\":\"sc\",\"fixture_id\":\"f\",\"packet_id\":\"P\",\"mode\":\"strict\",\"seed\":1,"
                + "\"env_fingerprint\":\"e\",\"artifact_refs\":[],\"replay_command\":\"sh x\",\"outcome\":\"fail\","
                + "\"reason_code\":\"scheduler_caf\\u00e9\"}";
        String script = "cd \"$1\" && printf '%s\\n' \"$2\" > \"$(printf 'caf\\303\\251.jsonl')\" && "
                + "\"$3\" -q --input \"$(printf 'caf\\303\\251.jsonl')\" --output \"$(printf 'r\\303\\251sum\\303\\251.json')\""
                + " --annotations github && test -s \"$(printf 'r\\303\\251sum\\303\\251.json')\" && echo WRITTEN && "
                + "java -jar \"$4\" -q --input \"$(printf 'caf\\303\\251.jsonl')\" --output plain.json";
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", script, "sh", tmp.toString(), log,
                Path.of("bin", "triage-rules").toAbsolutePath().toString(),
                Path.of("target", "triage-rules.jar").toAbsolutePath().toString());
        builder.environment().keySet().removeIf(name -> name.equals("LANG") || name.startsWith("LC_"));
        builder.environment().put("TRIAGE_RULES_CDS", "0");
        builder.environment().put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        Path out = tmp.resolve("locale-out.txt");
        Path err = tmp.resolve("locale-err.txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);

        assertThat(stdout).as(stderr).contains("::scheduler_caf\u00e9%0Aowner ").contains("WRITTEN\n");
        // java -jar has no launcher to set a locale: a clear error, not an internal one.
        assertThat(process.exitValue()).as(stderr).isEqualTo(1);
        assertThat(stderr).contains(": cannot be a file name here: ").contains("run with a UTF-8 locale")
                .doesNotContain("internal error");
    }

    @Test
    void inCiNoArchiveIsMadeUnlessAskedFor() throws Exception {
        // A CI job starts from a clean checkout: an archive would cost ~20 s for one run.
        Path home = homeCopy();
        Path launcher = home.resolve("bin/triage-rules");
        String path = javaThatSkipsTraining("java") + File.pathSeparator + System.getenv("PATH");
        launch(home, launcher, Map.of("PATH", path, "CI", "true"), "-q", "--input", EXAMPLE, "--output",
                tmp.resolve("ci.json").toString()).assertOk().assertQuiet();
        assertThat(archives(home)).isEmpty();
        assertThat(tmp.resolve("ci.json")).isNotEmptyFile();
        launch(home, launcher, Map.of("PATH", path, "CI", "true", "TRIAGE_RULES_CDS", "1"), "-q", "--input", EXAMPLE,
                "--output", tmp.resolve("asked.json").toString()).assertOk().assertQuiet();
        assertThat(archives(home)).hasSize(1);
    }

    @Test
    void anArchiveTheJvmCannotUseLeavesStdoutAlone() throws Exception {
        // The JVM reports an unusable archive on stdout by default: in the middle of JSON a user pipes on.
        Path home = homeCopyWithAnArchive();
        Path launcher = home.resolve("bin/triage-rules");
        launch(home, launcher, Map.of(), "--version").assertOk();
        Path archive = archives(home).get(0);
        Files.write(archive, new byte[4096]);
        Files.setLastModifiedTime(archive, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        stampAsMade(archive); // as if the JVM had dumped it so: the launcher would make another

        Run run = launch(home, launcher, Map.of(), "--version").assertOk().assertQuiet();
        assertThat(run.out()).isEqualTo(CliRunner.run("--version").assertOk().out());
    }

    @Test
    void anArchiveCutShortOrChangedSinceItWasMadeIsMadeAgainNotMapped() throws Exception {
        // The JVM maps the archive: one changed in place (a write, a copy over it) crashed
        // every run until the jar changed; one cut short (half copied) it refuses, and every
        // run started as slowly as without one.
        WithArchive made = withArchive();
        Path home = made.home();
        Path launcher = made.launcher();
        Map<String, String> env = made.env();
        Path archive = made.archive();
        long whole = Files.size(archive);

        writable(archive);
        try (FileChannel channel = FileChannel.open(archive, StandardOpenOption.WRITE)) {
            channel.truncate(whole / 2);
        }
        launch(home, launcher, env, "-q", "--input", EXAMPLE, "--output", tmp.resolve("cut.json").toString())
                .assertOk().assertQuiet();
        assertThat(archive).as("made again").hasSize(whole);

        damageTheMiddle(archive);
        launch(home, launcher, env, "-q", "--input", EXAMPLE, "--output", tmp.resolve("changed.json").toString())
                .assertOk().assertQuiet();
        assertThat(withoutTime(tmp.resolve("changed.json"))).isEqualTo(withoutTime(tmp.resolve("cut.json")));
        assertThat(middleIsZeroed(archive)).as("made again").isFalse();
    }

    @Test
    void anArchiveDamagedWithItsTimeKeptCrashesOneRunNotTheNext() throws Exception {
        // Damage that keeps the file's time (the disk, a copy that keeps times) is not seen
        // before the JVM maps it: it crashed every run until the jar changed.
        WithArchive withArchive = withArchive();
        Path home = withArchive.home();
        Path launcher = withArchive.launcher();
        Map<String, String> env = withArchive.env();
        Path archive = withArchive.archive();
        FileTime made = Files.getLastModifiedTime(archive);
        damageTheMiddle(archive);
        Files.setLastModifiedTime(archive, made);

        Run crashed = launch(home, launcher, env, "-q", "--input", EXAMPLE, "--output",
                tmp.resolve("crashed.json").toString());
        assertThat(crashed.exitCode()).as("the JVM's fatal error (SIGABRT after the SIGSEGV)").isEqualTo(134);
        assertThat(archives(home)).as("removed by the crashed JVM").isEmpty();
        launch(home, launcher, env, "-q", "--input", EXAMPLE, "--output", tmp.resolve("next.json").toString())
                .assertOk().assertQuiet();
        assertThat(tmp.resolve("next.json")).isNotEmptyFile();
        assertThat(archives(home)).as("made again").singleElement()
                .satisfies(again -> assertThat(middleIsZeroed(again)).isFalse());
    }

    @Test
    void aCrashedJvmSaysOnStderrWhereItsReportIsAndLeavesTheWorkingFolderAlone() throws Exception {
        // HotSpot wrote hs_err_pid*.log into whatever folder the user ran from (a repository,
        // a CI workspace), and said so on stdout only. A crash of a real JVM: an archive
        // damaged with its time kept, as above.
        WithArchive withArchive = withArchive();
        Path home = withArchive.home();
        Path archive = withArchive.archive();
        FileTime made = Files.getLastModifiedTime(archive);
        damageTheMiddle(archive);
        Files.setLastModifiedTime(archive, made);
        Path folder = Files.createDirectories(tmp.resolve("working-folder"));

        Run crashed = launch(folder, withArchive.launcher(), withArchive.env(), "-q", "--input",
                home.resolve(EXAMPLE).toString(), "--output", tmp.resolve("crashed.json").toString());
        assertThat(crashed.exitCode()).as("the JVM's fatal error").isEqualTo(134);
        assertThat(folder).as("the working folder").isEmptyDirectory();
        Path report;
        try (var reports = Files.list(home.resolve("target/crashes"))) {
            report = reports.toList().get(0);
        }
        assertThat(report.getFileName().toString()).matches("hs_err_pid[0-9]+\\.log");
        assertThat(report).content().contains("A fatal error has been detected by the Java Runtime Environment");
        assertThat(crashed.err()).contains("triage-rules: the Java VM crashed: its report is " + report + "\n");
    }

    @Test
    void archivesLeftHalfInstalledByLaunchersThatAreGoneAreRemovedNotThoseOfRunningOnes() throws Exception {
        // A launcher killed while copying an archive in left <archive>.<pid>.new (40 MB) for good.
        Path home = homeCopyWithAnArchive();
        Path archive = archives(home).get(0);
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        long gone = ended.pid();
        long running = ProcessHandle.current().pid();
        String name = archive.getFileName().toString();
        List<Path> stale = new ArrayList<>();
        List<Path> kept = new ArrayList<>();
        for (String left : List.of(name, name + ".made", "other-jvm.jsa", "other-jvm.jsa.made")) {
            stale.add(Files.writeString(archive.resolveSibling(left + "." + gone + ".new"), "half"));
            kept.add(Files.writeString(archive.resolveSibling(left + "." + running + ".new"), "in progress"));
        }
        kept.add(Files.writeString(archive.resolveSibling(name + ".not-a-pid.new"), "not the launcher's"));

        launch(home, home.resolve("bin/triage-rules"), Map.of(), "--version").assertOk().assertQuiet();
        assertThat(stale).allSatisfy(path -> assertThat(path).doesNotExist());
        assertThat(kept).allSatisfy(path -> assertThat(path).exists());
        assertThat(archives(home)).as("the archive itself").containsExactly(archive);
    }

    /** A copy of the project whose launcher has made its archive once (training skipped), and how it ran. */
    private record WithArchive(Path home, Path launcher, Map<String, String> env, Path archive) {
    }

    private WithArchive withArchive() throws Exception {
        Path home = homeCopy();
        Path launcher = home.resolve("bin/triage-rules");
        Map<String, String> env = Map.of("PATH", javaThatSkipsTraining("java") + File.pathSeparator
                + System.getenv("PATH"));
        launch(home, launcher, env, "--version").assertOk().assertQuiet();
        return new WithArchive(home, launcher, env, archives(home).get(0));
    }

    @Test
    void anArchiveThatCrashesTheJvmAgainIsNotMadeAgainUntilTheJarChanges() throws Exception {
        // A crash that comes back with a new archive (a JVM bug with these classes, or a crash
        // that is not the archive's) must not cost a training on every run. A java whose
        // dumps are all damaged.
        Path home = homeCopy();
        Path launcher = home.resolve("bin/triage-rules");
        Path dumps = tmp.resolve("dumps.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path bin = javaThatSkipsTraining("damaging-java", "case \" $* \" in *\" -Xshare:dump \"*)\n"
                + "  echo dump >>'" + dumps + "'\n"
                + "  '" + java + "' \"$@\" || exit\n"
                + "  for arg; do case \"$arg\" in -XX:SharedArchiveFile=*) archive=\"${arg#*=}\" ;; esac; done\n"
                + "  chmod u+w \"$archive\"\n"
                + "  dd if=/dev/zero of=\"$archive\" bs=4096 count=16 conv=notrunc"
                + " seek=$(( $(wc -c <\"$archive\") / 2 / 4096 )) 2>/dev/null\n"
                + "  exit ;;\n"
                + "esac\n");
        Map<String, String> env = Map.of("PATH", bin + File.pathSeparator + System.getenv("PATH"));

        for (String run : List.of("first", "second")) {
            Run crashed = launch(home, launcher, env, "-q", "--input", EXAMPLE, "--output",
                    tmp.resolve(run + ".json").toString());
            assertThat(crashed.exitCode()).as(run).isEqualTo(134);
        }
        assertThat(Files.readAllLines(dumps)).hasSize(2);
        launch(home, launcher, env, "-q", "--input", EXAMPLE, "--output", tmp.resolve("third.json").toString())
                .assertOk().assertQuiet();
        assertThat(Files.readAllLines(dumps)).as("not made again").hasSize(2);
        assertThat(archives(home)).isEmpty();
    }

    @Test
    void aToolInstalledWhereTheUserMayNotWriteRunsWithItsArchiveInTheirCache() throws Exception {
        // Installed by root, run by a CI user: the launcher trained for 15 s, then could not
        // move the archive in and stopped the run with exit 1.
        Path user = Files.createDirectories(tmp.resolve("user"));
        String withJava = javaThatSkipsTraining("java") + File.pathSeparator + System.getenv("PATH");
        Path home = installedWhereTheUserMayNotWrite(user);
        try {
            for (String run : List.of("first", "second")) {
                runAsUser(home, home, Map.of("PATH", withJava, "HOME", user.toString()), run).assertOk().assertQuiet();
                assertThat(user.resolve(run + ".json")).isNotEmptyFile();
            }
            assertThat(archives(home)).isEmpty();
            try (var cached = Files.walk(user.resolve(".cache/triage-rules/cds"))) {
                assertThat(cached.filter(path -> path.toString().endsWith(".jsa"))).singleElement()
                        .satisfies(path -> assertThat(path.getParent().getFileName().toString())
                                .isEqualTo(home.toString().replaceAll("[^A-Za-z0-9._+-]", "_")));
            }
        } finally {
            writableAgain(home);
        }
    }

    @Test
    void whereNoArchiveCanBeKeptNoneIsTrainedAndNothingIsSaid() throws Exception {
        // With a HOME the user may not write (or none: /nonexistent) every run trained for
        // ~20 s and printed mkdir's and mv's errors despite -q; a relative XDG_CACHE_HOME or
        // HOME made a cache folder in the user's working folder. A java on the PATH that
        // counts its starts: one per run is the run itself, no training.
        Path user = Files.createDirectories(tmp.resolve("user"));
        Path home = installedWhereTheUserMayNotWrite(user);
        Path starts = user.resolve("java-starts.txt");
        Path bin = Files.createDirectories(tmp.resolve("counting-java"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho start >>'" + starts + "'\n"
                + "exec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        String path = bin + File.pathSeparator + System.getenv("PATH");
        try {
            runAsUser(home, user, Map.of("PATH", path, "HOME", "/nonexistent"), "no-home").assertOk().assertQuiet();
            runAsUser(home, user, Map.of("PATH", path, "HOME", "relative-home", "XDG_CACHE_HOME", "relative-cache"),
                    "relative").assertOk().assertQuiet();
            assertThat(Files.readAllLines(starts)).as("JVMs started: the runs only").hasSize(2);
            try (var made = Files.list(user)) {
                assertThat(made.map(file -> file.getFileName().toString())).as("in the working folder")
                        .containsExactlyInAnyOrder("java-starts.txt", "no-home.json", "no-home.out", "no-home.err",
                                "relative.json", "relative.out", "relative.err");
            }
            assertThat(archives(home)).isEmpty();
        } finally {
            writableAgain(home);
        }
    }

    @Test
    void withoutAUsableTempFolderTheRunGoesOnWithoutAnArchive() throws Exception {
        // mktemp failed where set -e is off: the training ran with an empty work folder and
        // wrote its class lists, ledger and report into /.
        Path home = homeCopy();
        Path folder = Files.createDirectories(tmp.resolve("working-folder"));
        launch(folder, home.resolve("bin/triage-rules"), Map.of("TMPDIR", tmp.resolve("no-such-folder").toString()),
                "-q", "--input", home.resolve(EXAMPLE).toString(), "--output", tmp.resolve("no-temp.json").toString())
                .assertOk().assertQuiet();
        assertThat(tmp.resolve("no-temp.json")).isNotEmptyFile();
        assertThat(archives(home)).isEmpty();
        assertThat(folder).isEmptyDirectory();
    }

    @Test
    void theUsersJavaOptionsAreNotFileNamePatterns() throws Exception {
        // -Xlog:gc* was globbed in the working folder: a file named -Xlog:gc-old.log there
        // became the JVM's option, which it refused.
        Path folder = Files.createDirectories(tmp.resolve("logs"));
        Files.createFile(folder.resolve("-Xlog:gc-old.log"));
        Run run = launch(folder, Path.of("bin", "triage-rules"), Map.of("TRIAGE_RULES_JAVA_OPTS", "-Xlog:gc*",
                "TRIAGE_RULES_CDS", "0"), "-q", "--input", Path.of(EXAMPLE).toAbsolutePath().toString(), "--output",
                tmp.resolve("glob.json").toString()).assertOk().assertQuiet();
        assertThat(run.out()).contains("[gc");
    }

    @Test
    void runsStartedTogetherOnAFreshCloneBuildOnceAndAnEditDuringTheBuildIsBuiltNextTime() throws Exception {
        // Two first runs each ran Maven in one target folder (the later one could take a
        // half-written jar); a source edited while Maven ran ended up older than the jar
        // that lacked it, and was never built. A Maven on the PATH that counts its runs: the
        // first is the real one; the later ones are about the launcher's bookkeeping, not
        // Maven's, and put back the jar the first made (a real one compiled every source
        // again, ~25 s of CPU: the generated template sources are new on every build). The
        // second edits a source as it starts.
        Path clone = tmp.resolve("clone");
        for (String part : List.of("bin", "src/main", "rules", "policy", "examples")) {
            FileTrees.copy(Path.of(part), clone.resolve(part));
        }
        Files.copy(Path.of("pom.xml"), clone.resolve("pom.xml"));
        Path edited = clone.resolve("src/main/java/dev/triagerules/cli/Main.java");
        Path bin = Files.createDirectories(tmp.resolve("edit-then-mvn"));
        Path builds = tmp.resolve("builds.txt");
        Path mvn = bin.resolve("mvn");
        Path built = tmp.resolve("built.jar");
        Files.writeString(mvn, "#!/bin/sh\n"
                + "echo build >>'" + builds + "'\n"
                + "if [ \"$(wc -l <'" + builds + "')\" -eq 1 ]; then exec '" + onPath("mvn") + "' \"$@\"; fi\n"
                + "if [ \"$(wc -l <'" + builds + "')\" -eq 2 ]; then sleep 1; touch '" + edited + "'; fi\n"
                + "cp '" + built + "' target/triage-rules.jar\n");
        assertThat(mvn.toFile().setExecutable(true)).isTrue();
        Map<String, String> env = Map.of("PATH", bin + File.pathSeparator + javaThatSkipsTraining("java")
                + File.pathSeparator + System.getenv("PATH"), "TRIAGE_RULES_CDS", "0");
        Path launcher = clone.resolve("bin/triage-rules");
        // The first runs make the class-data archive too: a clone has no target/ yet, and the
        // archive belongs beside the jar (it went to the user's cache, and the next run made another).
        Map<String, String> first = new HashMap<>(env);
        first.remove("TRIAGE_RULES_CDS");
        first.put("CI", "false");

        List<Process> together = new ArrayList<>();
        for (String run : List.of("a", "b")) {
            List<String> command = List.of(launcher.toString(), "-q", "--input", EXAMPLE, "--output",
                    tmp.resolve(run + ".json").toString());
            ProcessBuilder builder = new ProcessBuilder(command).directory(clone.toFile());
            builder.environment().putAll(first);
            builder.environment().put("XDG_CACHE_HOME", tmp.resolve("cache-" + run).toString());
            together.add(builder.redirectInput(new File("/dev/null")).redirectOutput(tmp.resolve(run + ".out").toFile())
                    .redirectError(tmp.resolve(run + ".err").toFile()).start());
        }
        List<String> errs = new ArrayList<>();
        for (int i = 0; i < together.size(); i++) {
            assertThat(together.get(i).waitFor(10, TimeUnit.MINUTES)).as("the launcher finished").isTrue();
            String err = Files.readString(tmp.resolve(List.of("a", "b").get(i) + ".err"));
            assertThat(together.get(i).exitValue()).as("exit status; stderr:\n%s", err).isZero();
            errs.add(err);
        }
        assertThat(errs).as("one of them built").filteredOn(err -> err.contains("building")).hasSize(1);
        assertThat(Files.readAllLines(builds)).hasSize(1);
        assertThat(withoutTime(tmp.resolve("a.json"))).isEqualTo(withoutTime(tmp.resolve("b.json")));
        assertThat(archives(clone)).hasSize(1);
        assertThat(tmp.resolve("cache-a/triage-rules/cds")).doesNotExist();
        assertThat(tmp.resolve("cache-b/triage-rules/cds")).doesNotExist();

        // A build again, during which Main.java is edited.
        Files.move(clone.resolve("target/triage-rules.jar"), built);
        launch(clone, launcher, env, "-q", "--input", EXAMPLE, "--output", tmp.resolve("c.json").toString())
                .assertOk();
        Run afterTheEdit = launch(clone, launcher, env, "-q", "--input", EXAMPLE, "--output",
                tmp.resolve("d.json").toString()).assertOk();
        assertThat(afterTheEdit.err()).as("the source edited during the build is built").contains("building");
        Run settled = launch(clone, launcher, env, "-q", "--input", EXAMPLE, "--output",
                tmp.resolve("e.json").toString()).assertOk();
        assertThat(settled.err()).isEmpty();
        assertThat(Files.readAllLines(builds)).hasSize(3);

        // A build with no usable temp folder: mktemp's own error stopped the run before Maven ran.
        Files.createFile(clone.resolve("target/.stale"));
        Map<String, String> noTemp = new HashMap<>(env);
        noTemp.put("TMPDIR", tmp.resolve("no-such-folder").toString());
        Run withoutTemp = launch(clone, launcher, noTemp, "-q", "--input", EXAMPLE, "--output",
                tmp.resolve("f.json").toString()).assertOk();
        assertThat(withoutTemp.err()).contains("building").doesNotContain("mktemp");
        assertThat(Files.readAllLines(builds)).hasSize(4);
        assertThat(withoutTime(tmp.resolve("f.json"))).isEqualTo(withoutTime(tmp.resolve("a.json")));
    }

    private static Path onPath(String program) {
        for (String folder : System.getenv("PATH").split(File.pathSeparator)) {
            Path candidate = Path.of(folder, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(program + " is not on the PATH");
    }

    /**
     * A java, first on a PATH, for tests about whether and where an archive is made rather than
     * what it holds: the launcher's training runs, which only record the classes they load
     * (~20 s in all), record none and end at once, so the archive is dumped in about a second
     * from an empty class list; the rest is this JVM's. Anyone may run it (runAsUser). Its
     * folder {@code tmp/<name>/bin} is returned; {@code cases}, lines of sh, come first.
     */
    private Path javaThatSkipsTraining(String name, String... cases) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve(name).resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\n" + String.join("", cases)
                + "for arg; do case \"$arg\" in -XX:DumpLoadedClassList=*) : >\"${arg#*=}\"; exit 0 ;; esac; done\n"
                + "exec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' \"$@\"\n");
        Set<PosixFilePermission> anyoneMayRun = PosixFilePermissions.fromString("rwxr-xr-x");
        for (Path path : List.of(java, bin, bin.getParent())) {
            Files.setPosixFilePermissions(path, anyoneMayRun);
        }
        return bin;
    }

    private static List<Path> walk(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            return paths.filter(path -> !Files.isSymbolicLink(path)).toList();
        }
    }

    /**
     * A {@link #homeCopy} with libraries of its own (the link into this checkout is one another
     * user may not enter), which no one may write, and {@code user}, a folder every user may.
     */
    private Path installedWhereTheUserMayNotWrite(Path user) throws IOException {
        Path home = homeCopy();
        Path lib = home.resolve("target/lib");
        Files.delete(lib);
        FileTrees.copy(Path.of("target", "lib"), lib);
        for (Path path : walk(tmp)) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            permissions.addAll(Set.of(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE));
            if (path.startsWith(home)) {
                permissions.removeAll(Set.of(PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE,
                        PosixFilePermission.OTHERS_WRITE));
            } else if (path.startsWith(user)) {
                permissions.add(PosixFilePermission.OTHERS_WRITE);
            }
            Files.setPosixFilePermissions(path, permissions);
        }
        return home;
    }

    /** So that the temp folder can be removed. */
    private static void writableAgain(Path home) throws IOException {
        for (Path path : walk(home)) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            permissions.add(PosixFilePermission.OWNER_WRITE);
            Files.setPosixFilePermissions(path, permissions);
        }
    }

    /**
     * Runs the launcher of this install in {@code folder} on the example, as a user who may
     * not write it: root writes anywhere, so as root (in CI) the user nobody. No XDG folders,
     * no TRIAGE_RULES_ settings; the report, stdout and stderr go to {@code tmp/user/<run>.*}.
     */
    private Run runAsUser(Path home, Path folder, Map<String, String> env, String run)
            throws IOException, InterruptedException {
        boolean root = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        List<String> command = new ArrayList<>();
        if (root) {
            command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        Path user = tmp.resolve("user");
        command.addAll(List.of(home.resolve("bin/triage-rules").toString(), "-q", "--input",
                home.resolve(EXAMPLE).toString(), "--output", user.resolve(run + ".json").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("XDG_") || name.startsWith("TRIAGE_RULES_")
                || name.equals("CI"));
        builder.environment().putAll(env);
        Process process = builder.redirectInput(new File("/dev/null")).redirectOutput(user.resolve(run + ".out").toFile())
                .redirectError(user.resolve(run + ".err").toFile()).start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("the launcher finished").isTrue();
        return new Run(process.exitValue(), Files.readString(user.resolve(run + ".out")),
                Files.readString(user.resolve(run + ".err")));
    }

    /**
     * Zeros 64 KiB in the middle of the archive, in place (its size kept): in any of the
     * JVM's regions of an archive of the JDK's classes, enough to crash JDK 17 mapping it.
     */
    private static void damageTheMiddle(Path archive) throws IOException {
        writable(archive);
        try (FileChannel channel = FileChannel.open(archive, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(64 * 1024), channel.size() / 2 / 4096 * 4096);
        }
    }

    private static boolean middleIsZeroed(Path archive) throws IOException {
        ByteBuffer middle = ByteBuffer.allocate(64 * 1024);
        try (FileChannel channel = FileChannel.open(archive)) {
            channel.read(middle, channel.size() / 2 / 4096 * 4096);
        }
        return middle.position() == middle.capacity() && middle.flip().equals(ByteBuffer.allocate(64 * 1024));
    }

    /** The JVM makes the archives it dumps read-only. */
    private static void writable(Path file) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        permissions.add(PosixFilePermission.OWNER_WRITE);
        Files.setPosixFilePermissions(file, permissions);
    }

    private static List<Path> archives(Path home) throws IOException {
        Path folder = home.resolve("target/cds");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (var files = Files.list(folder)) {
            return files.filter(path -> path.toString().endsWith(".jsa")).sorted().toList();
        }
    }

    /**
     * The launcher, the tool as built (its own jar, the libraries linked), the pack and the
     * example in a folder of their own: what the launcher makes beside the jar stays there.
     */
    private Path homeCopy() throws IOException {
        Path home = tmp.resolve("home");
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("target"));
        Files.copy(Path.of("bin", "triage-rules"), home.resolve("bin/triage-rules"));
        Files.copy(Path.of("target", "triage-rules.jar"), home.resolve("target/triage-rules.jar"));
        Files.createSymbolicLink(home.resolve("target/lib"), Path.of("target", "lib").toAbsolutePath());
        for (String folder : List.of("rules", "policy", "examples")) {
            FileTrees.copy(Path.of(folder), home.resolve(folder));
        }
        return home;
    }

    /**
     * A {@link #homeCopy} with the project's archive in place of one its first run would train:
     * the launcher keeps and uses it (the JVM, finding another jar on the class path than the
     * one it was made with, quietly shares only the JDK's classes from it).
     */
    private Path homeCopyWithAnArchive() throws IOException {
        Path home = homeCopy();
        // Copied after the jar, so not older than it: an archive older than its jar is trained again.
        Path folder = Files.createDirectories(home.resolve("target/cds"));
        Path archive = Files.copy(projectArchive, folder.resolve(projectArchive.getFileName()));
        stampAsMade(archive);
        return home;
    }

    /** The stamp the launcher makes beside an archive it made: without it, the archive is made again. */
    private static void stampAsMade(Path archive) throws IOException {
        Path stamp = archive.resolveSibling(archive.getFileName() + ".made");
        Files.deleteIfExists(stamp);
        Files.setLastModifiedTime(Files.createFile(stamp), Files.getLastModifiedTime(archive));
    }

    private JsonNode withoutTime(Path report) throws IOException {
        ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(report.toFile());
        tree.remove("generated_unix_ms");
        return tree;
    }

    record Run(int exitCode, String out, String err) {
        Run assertOk() {
            assertThat(exitCode).as("exit status; stdout:\n%s\nstderr:\n%s", out, err).isZero();
            return this;
        }

        /** Nothing on stderr: the launcher's own work (building an archive) is silent. */
        Run assertQuiet() {
            assertThat(err).as("stderr").isEmpty();
            return this;
        }
    }

    /** Runs bin/triage-rules from the project folder, with its own cache and config folders and this environment. */
    private Run launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return launch(Path.of(""), Path.of("bin", "triage-rules"), env, args);
    }

    /** Runs this launcher in this working folder. */
    private Run launch(Path folder, Path launcher, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        return launch(tmp, folder, launcher, env, args);
    }

    /** Runs this launcher in this working folder, with cache, config and output files in {@code scratch}. */
    private static Run launch(Path scratch, Path folder, Path launcher, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(launcher.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toAbsolutePath().toFile());
        builder.environment().remove("TRIAGE_RULES_LEDGER");
        builder.environment().remove("TRIAGE_RULES_JAVA_OPTS");
        builder.environment().remove("CI"); // a CI of these tests' own would turn the archive off
        builder.environment().put("XDG_CACHE_HOME", scratch.resolve("cache").toString());
        builder.environment().put("XDG_CONFIG_HOME", scratch.resolve("config").toString());
        builder.environment().putAll(env);
        Path out = scratch.resolve("launcher-out.txt");
        Path err = scratch.resolve("launcher-err.txt");
        Process process = builder.redirectInput(new File("/dev/null")).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("the launcher finished").isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
