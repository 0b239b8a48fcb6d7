package dev.triagerules.replay;

import dev.triagerules.base.VisibleText;
import java.util.ArrayList;
import java.util.List;

/**
 * The strict form a replay command must have to run without a shell: words of
 * {@code A-Z a-z 0-9 _ . / : = , @ + % - ^} separated by spaces, where a word may also hold
 * {@code #} anywhere but at its start and end with {@code $}, the first word a program (no
 * leading '-', no '='), and optionally a comment: a word starting with {@code #} and
 * everything after it, made of the same characters, which is dropped as {@code sh} would
 * drop it ({@code # mode=strict} in the upstream's commands).
 *
 * <p>Those three are literal in POSIX {@code sh} exactly there: {@code #} starts a comment
 * only at the start of a word, {@code ^} means nothing, and a {@code $} followed by a blank
 * or the end expands nothing; so Surefire's {@code -Dtest=Class#method} and go's
 * {@code -run ^Name$} pass, while {@code $NAME}, {@code ${...}}, {@code $(...)} and
 * {@code $1} do not. Nothing else passes: no quotes, {@code ; & | ` ( ) < > * ? [ ] { } ~ ! \ '}
 * or newline, no tab or other control character, no character outside ASCII (look-alikes
 * such as a fullwidth semicolon). So for every command accepted here, running its words
 * directly (execve) means exactly what {@code sh -c} would have made of it, and what a
 * person who pastes it into a shell gets: no expansion, redirection, substitution or second
 * command can hide in one.
 */
public final class CommandWords {
    private static final String WORD_PUNCTUATION = "_./:=,@+%-^";

    /** The words to run ({@code argv}), or why the command does not have the strict form. */
    public record Parsed(List<String> argv, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    private CommandWords() {
    }

    public static Parsed parse(String command) {
        List<String> argv = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean comment = false;
        int column = 0;
        for (int i = 0; i < command.length(); ) {
            int c = command.codePointAt(i);
            i += Character.charCount(c);
            column++;
            if (c == ' ') {
                if (!comment && word.length() > 0) {
                    argv.add(word.toString());
                    word.setLength(0);
                }
                continue;
            }
            if (c == '#' && (comment || word.length() == 0)) {
                comment = true;
                continue;
            }
            if (!isWordCharacter(c) && !literalInWord(c, comment || word.length() > 0, command, i)) {
                return refused(describe(c) + " at column " + column + " is not allowed");
            }
            if (!comment) {
                word.append((char) c);
            }
        }
        if (word.length() > 0) {
            argv.add(word.toString());
        }
        if (argv.isEmpty()) {
            return new Parsed(List.of(), "the command has no words");
        }
        String program = argv.get(0);
        if (program.startsWith("-") || program.contains("=")) {
            return new Parsed(List.of(), "the first word \"" + program + "\" is not a program"
                    + " (it starts with '-' or holds '=')");
        }
        return new Parsed(List.copyOf(argv), null);
    }

    /**
     * Whether {@code c}, which is not a word character, is still literal where it stands:
     * {@code #} after the start of a word, {@code $} at its end ({@code next} is the index
     * after {@code c}).
     */
    private static boolean literalInWord(int c, boolean inWord, String text, int next) {
        return switch (c) {
            case '#' -> inWord;
            case '$' -> next == text.length() || text.charAt(next) == ' ';
            default -> false;
        };
    }

    /**
     * The words as one line a person can read and paste: a word that is not plain is
     * single-quoted, with anything outside printable ASCII escaped ({@link VisibleText#ascii}).
     */
    public static String display(List<String> argv) {
        StringBuilder line = new StringBuilder();
        for (String arg : argv) {
            if (line.length() > 0) {
                line.append(' ');
            }
            boolean plain = isPlain(arg);
            line.append(plain ? arg : "'" + VisibleText.ascii(arg).replace("'", "'\\''") + "'");
        }
        return line.toString();
    }

    /** A word that means itself in {@code sh}, so needs no quotes. */
    private static boolean isPlain(String word) {
        if (word.isEmpty() || word.startsWith("#")) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (!isWordCharacter(c) && !literalInWord(c, i > 0, word, i + 1)) {
                return false;
            }
        }
        return true;
    }

    static boolean isWordCharacter(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || (c < 128 && WORD_PUNCTUATION.indexOf(c) >= 0);
    }

    private static Parsed refused(String what) {
        return new Parsed(List.of(), what + " (a command runs only as words of letters, digits and "
                + WORD_PUNCTUATION.replace("", " ").strip() + " separated by spaces, # inside a word and $ at its"
                + " end, with an optional # comment)");
    }

    /** {@code ';' (U+003B)}, or only the code point for what is not printable ASCII. */
    private static String describe(int c) {
        String code = String.format("U+%04X", c);
        return c > 0x20 && c < 0x7f ? "character '" + (char) c + "' (" + code + ")" : "character " + code;
    }
}
