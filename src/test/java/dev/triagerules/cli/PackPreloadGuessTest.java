package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triagerules.engine.RuleCache;
import dev.triagerules.engine.RulePack;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Main#preload}: the folders of a plain triage read off its arguments before picocli
 * parses them, and no preload where the pack is not loaded from the cache. Every
 * {@link CliRunner} test runs with the preload as {@code main} does; this one also checks
 * that a wrong guess is not taken.
 */
class PackPreloadGuessTest {
    @TempDir
    Path tmp;

    @Test
    void thePackOfAPlainTriageIsTheBundledOneInTheUsersCache() {
        RulePack.Preload preload = Main.preload(new String[] {"--input", "x.jsonl", "--output", "r.json", "-q"});

        assertThat(preload).isNotNull();
        assertThat(preload.isFor(Home.defaultRules(), Home.defaultPolicy(), cache(RuleCache.defaultDir()))).isTrue();
    }

    @Test
    void foldersGivenEitherWayAreTheOnesPreloaded() {
        RulePack.Preload spaced = Main.preload(new String[] {"--input", "x", "--rules", "r", "--policy", "p",
            "--cache-dir", "c", "--output", "o"});
        RulePack.Preload joined = Main.preload(new String[] {"--rules=r", "--policy=p", "--cache-dir=c", "--input=x"});

        assertThat(spaced.isFor(Path.of("r"), Path.of("p"), cache(Path.of("c")))).isTrue();
        assertThat(joined.isFor(Path.of("r"), Path.of("p"), cache(Path.of("c")))).isTrue();
        assertThat(joined.isFor(Path.of("r"), Path.of("p"), cache(RuleCache.defaultDir()))).isFalse();
    }

    @Test
    void noPreloadWhereThePackIsNotLoadedFromTheCache() {
        assertThat(Main.preload(new String[] {"check"})).as("a subcommand").isNull();
        assertThat(Main.preload(new String[] {"--input", "x", "--output", "o", "--no-cache"})).isNull();
        assertThat(Main.preload(new String[] {"@args.txt"})).as("an argument file").isNull();
        assertThat(Main.preload(new String[] {"--help"})).isNull();
        assertThat(Main.preload(new String[] {"--input", "x", "--output", "o", "--rules"})).as("no value").isNull();
    }

    @Test
    void aPreloadForOtherFoldersIsNotTaken() throws Exception {
        PackCopy pack = PackCopy.of("", tmp);
        Path log = Path.of("examples", "sample-e2e.jsonl");
        Path cacheDir = tmp.resolve("cache");
        CliRunner.run("--input", log.toString(), "--output", tmp.resolve("warm.json").toString(),
                "--cache-dir", cacheDir.toString(), "-q").assertOk();
        // Loads the bundled pack from the warm cache; the command names the copy.
        RulePack.Preload bundled = Main.preload(new String[] {"--cache-dir", cacheDir.toString()});
        String[] args = {"--input", log.toString(), "--output", tmp.resolve("copy.json").toString(), "--rules",
            pack.rules().toString(), "--policy", pack.policy().toString(), "--cache-dir", cacheDir.toString(), "-q"};

        assertThat(Main.commandLine(bundled, args).execute(args)).isZero();

        String report = Files.readString(tmp.resolve("copy.json"));
        assertThat(report).contains("\"path\": \"" + pack.rules() + "\"", "\"path\": \"" + pack.policy() + "\"")
                .doesNotContain("\"path\": \"" + Home.defaultRules() + "\"");
    }

    private static RuleCache cache(Path dir) {
        return new RuleCache(dir, RuleCache.defaultSigningKeyFile(), warning -> { });
    }
}
