package dev.triagerules.cli;

import dev.triagerules.base.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A shipped pack (rules with their tests/, and policy) copied into a temp folder to break. */
record PackCopy(Path rules, Path policy) {

    /** Copies {@code <source>/rules} and {@code <source>/policy}; source "" is the default pack. */
    static PackCopy of(String source, Path into) throws IOException {
        Path from = source.isEmpty() ? Path.of("") : Path.of(source);
        PackCopy copy = new PackCopy(into.resolve("rules"), into.resolve("policy"));
        FileTrees.copy(from.resolve("rules"), copy.rules);
        FileTrees.copy(from.resolve("policy"), copy.policy);
        return copy;
    }

    /** Replaces one exact text in a file, failing loudly when it is not there. */
    static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        if (!text.contains(from)) {
            throw new AssertionError(file + " has no \"" + from + "\"");
        }
        Files.writeString(file, text.replace(from, to));
    }

    /** {@code COMMAND --rules R --policy P MORE...}. */
    String[] args(String command, String... more) {
        return Stream.concat(Stream.of(command, "--rules", rules.toString(), "--policy", policy.toString()),
                Stream.of(more)).toArray(String[]::new);
    }

    static List<String> lines(String output) {
        return output.isEmpty() ? List.of() : List.of(output.split("\n", -1)).subList(0,
                output.split("\n", -1).length - (output.endsWith("\n") ? 1 : 0));
    }

    /** Rules that a test table shows shadowed, and a rule no case exercises. */
    static final String SHADOWED_AND_UNTESTED_DRL = """
            package triage;

            dialect "mvel"

            import dev.triagerules.engine.Failure;

            // Shadowed: every keyset failure is claimed by dispatch_routing (salience 400) first.
            rule "keyset_routing"
                @class("dispatch_routing")
                salience 100
            when
                $f : Failure( crashClass == null, reason contains "keyset" )
            then
                modify( $f ) { classify( drools ) }
            end

            // Untested: no table case mentions vmap.
            rule "vmap_trace"
                @class("autograd_state")
                salience 450
            when
                $f : Failure( crashClass == null, reason contains "vmap" )
            then
                modify( $f ) { classify( drools ) }
            end
            """;
}
