package dev.triagerules.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drools.base.rule.LineMappings;
import org.drools.compiler.builder.impl.KnowledgeBuilderImpl;
import org.drools.compiler.compiler.DescrBuildError;
import org.drools.compiler.compiler.ImportError;
import org.drools.compiler.compiler.PackageRegistry;
import org.drools.drl.ast.descr.ImportDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.kie.internal.builder.KnowledgeBuilderResult;
import org.kie.internal.jci.CompilationProblem;

/**
 * The place in its DRL file of a compile error that Drools 10 reports at the wrong line:
 * an import it cannot resolve at line 1 (or -1), any error in a rule's consequence at
 * the rule's first line, and a constraint it cannot analyse at its pattern's first line. Drools knows no better (its line numbers inside the consequence,
 * MVEL's {@code [Line: N]}, are the rule's again), so the place is computed from what the
 * error does say: the import's target, MVEL's {@code [Near : {... TEXT ....}]} with its
 * caret, or the line of the Java compiler's generated class.
 */
final class CompileErrorPlaces {
    /** A place and the message to show there; column 0: not known. */
    record Place(int line, int column, String message) {
    }

    private static final Pattern MVEL_ERROR = Pattern.compile("\\[Error: (.*?)]\\s*\\n?\\s*\\[Near : \\{\\.\\.\\. (.*?) \\.\\.\\.\\.}]"
            + "[ \\t]*\\n([ \\t]*)\\^", Pattern.DOTALL);
    private static final Pattern UNANALYSABLE = Pattern.compile("^Unable to Analyse Expression (.+?):\\s*\\[Error:",
            Pattern.DOTALL);
    /** MVEL's own place, which counts from the pattern, not the file. */
    private static final Pattern MVEL_LINE_COLUMN = Pattern.compile("\\s*\\[Line: \\d+, Column: \\d+]");
    private static final Pattern MVEL_NEAR_LINE = Pattern.compile("(?m)^\\[Near : \\{\\.\\.\\. ");
    /**
     * Lines of a Java consequence's generated method before the consequence's first line,
     * after the offset Drools records: the signature and the {@code kcontext} and
     * {@code drools} locals (Drools 10.2.0's javaRule.mvel; a test holds it to that).
     */
    private static final int JAVA_CONSEQUENCE_PREAMBLE = 3;

    private CompileErrorPlaces() {
    }

    /** Where {@code result}, an error in the DRL {@code text} parsed as {@code descr}, is; empty: as Drools says. */
    static List<Place> locate(KnowledgeBuilderResult result, PackageDescr descr, String text,
            KnowledgeBuilderImpl builder) {
        if (text == null) {
            return List.of();
        }
        if (result instanceof ImportError importError) {
            Place place = importPlace(importError.getGlobal(), descr, text, result.getMessage());
            return place == null ? List.of() : List.of(place);
        }
        if (result instanceof DescrBuildError error && error.getDescr() instanceof RuleDescr rule
                && rule.getConsequence() instanceof String consequence && !consequence.isBlank()) {
            return consequencePlaces(error, rule, consequence, text, builder);
        }
        if (result instanceof DescrBuildError error && error.getLine() > 0) {
            Place place = constraintPlace(error.getMessage(), error.getLine(), text);
            return place == null ? List.of() : List.of(place);
        }
        return List.of();
    }

    /**
     * A constraint Drools cannot analyse is reported at its pattern's first line; in a pattern
     * written over several lines, the constraint itself is found from there, by its text.
     */
    private static Place constraintPlace(String message, int patternLine, String text) {
        Matcher unanalysable = UNANALYSABLE.matcher(message);
        if (!unanalysable.find()) {
            return null;
        }
        String[] words = unanalysable.group(1).strip().split("\\s+");
        StringBuilder expression = new StringBuilder();
        for (String word : words) {
            expression.append(expression.isEmpty() ? "" : "\\s*").append(Pattern.quote(word));
        }
        Matcher found = Pattern.compile(expression.toString()).matcher(text);
        if (words[0].isEmpty() || !found.find(offsetOfLine(text, patternLine))) {
            return null;
        }
        int line = lineOf(text, found.start());
        return new Place(line, found.start() - offsetOfLine(text, line) + 1,
                MVEL_LINE_COLUMN.matcher(message).replaceAll(""));
    }

    private static Place importPlace(String target, PackageDescr descr, String text, String message) {
        if (target == null) {
            return null;
        }
        if (descr != null) {
            for (ImportDescr anImport : descr.getImports()) {
                if (target.equals(anImport.getTarget()) && anImport.getLine() > 0) {
                    return new Place(anImport.getLine(), column(text, anImport.getLine(), target), message);
                }
            }
        }
        // Static and function imports come back without a line: find the import itself.
        Matcher line = Pattern.compile("(?m)^[ \\t]*import\\b[^;\\n]*?" + Pattern.quote(target)).matcher(text);
        if (line.find()) {
            int lineNumber = lineOf(text, line.start());
            return new Place(lineNumber, column(text, lineNumber, target), message);
        }
        return null;
    }

    /**
     * The places of an error in a rule's consequence: the line at fault when the error says
     * enough to find it, else the {@code then} line, quoting what the error names.
     */
    private static List<Place> consequencePlaces(DescrBuildError error, RuleDescr rule, String consequence,
            String text, KnowledgeBuilderImpl builder) {
        String prefix = "rule \"" + rule.getName() + "\" consequence: ";
        int thenLine = rule.getConsequenceLine();
        int start = thenLine > 0 ? text.indexOf(consequence, offsetOfLine(text, thenLine)) : text.indexOf(consequence);
        int firstLine = start < 0 ? 0 : lineOf(text, start);
        if (error.getObject() instanceof CompilationProblem[] problems && problems.length > 0) {
            List<Place> places = new ArrayList<>();
            for (CompilationProblem problem : problems) {
                int line = firstLine == 0 ? 0 : javaLine(problem, error.getNamespace(), builder, consequence, firstLine);
                places.add(line > 0
                        ? new Place(line, 0, prefix + problem.getMessage() + ", at \"" + lineText(text, line) + "\"")
                        : new Place(thenLine, 0, prefix + problem.getMessage() + " (the Java compiler gives no line"
                                + " of the consequence)"));
            }
            return places;
        }
        String message = error.getMessage();
        Matcher mvel = MVEL_ERROR.matcher(message);
        if (mvel.find()) {
            String what = mvel.group(1).strip();
            String near = mvel.group(2);
            int caret = caretInNear(message, mvel);
            int at = start < 0 ? -1 : find(consequence, near, caret);
            if (at >= 0) {
                int line = lineOf(text, start + at);
                int column = start + at - offsetOfLine(text, line) + 1;
                return List.of(new Place(line, column, prefix + what + ", at \"" + lineText(text, line) + "\""));
            }
            return List.of(new Place(thenLine, 0, prefix + what + ", near \"" + near.strip() + "\""));
        }
        if (thenLine > 0 && message.contains("'consequence'")) {
            return List.of(new Place(thenLine, 0, prefix + flat(message)));
        }
        return List.of();
    }

    /** The DRL line of a Java compiler problem in the class generated for the consequence; 0 if unknown. */
    private static int javaLine(CompilationProblem problem, String namespace, KnowledgeBuilderImpl builder,
            String consequence, int firstLine) {
        String fileName = problem.getFileName();
        if (fileName == null || !fileName.endsWith(".java") || builder == null) {
            return 0;
        }
        PackageRegistry registry = builder.getPackageRegistry(namespace);
        LineMappings mapping = registry == null ? null : registry.getDialectRuntimeRegistry()
                .getLineMappings(fileName.substring(0, fileName.length() - ".java".length()).replace('/', '.'));
        if (mapping == null) {
            return 0;
        }
        int inConsequence = problem.getStartLine() - mapping.getOffset() - JAVA_CONSEQUENCE_PREAMBLE;
        int consequenceLines = (int) consequence.stripTrailing().lines().count();
        return inConsequence >= 1 && inConsequence <= consequenceLines ? firstLine + inConsequence - 1 : 0;
    }

    /** Where MVEL's caret points into its near text (0: the start). */
    private static int caretInNear(String message, Matcher mvel) {
        Matcher nearLine = MVEL_NEAR_LINE.matcher(message);
        if (!nearLine.find(mvel.start())) {
            return 0;
        }
        int nearStart = nearLine.end() - offsetOfLineAt(message, nearLine.end());
        int caret = mvel.group(3).length();
        return Math.max(0, Math.min(mvel.group(2).length() - 1, caret - nearStart));
    }

    /**
     * Where in the consequence the near text's caret is: the longest start of the near text
     * (through the caret) found in it, else the identifier at the caret. MVEL quotes the
     * consequence as it rewrote it ({@code modify} blocks become calls), so all of it may
     * not be there. -1: not found.
     */
    private static int find(String consequence, String near, int caret) {
        for (int length = near.length(); length > caret && length > 0; length--) {
            String head = near.substring(0, length);
            if (head.isBlank()) {
                break;
            }
            int at = consequence.indexOf(head);
            if (at >= 0) {
                return at + caret;
            }
        }
        int from = caret;
        int to = caret;
        while (from > 0 && Character.isJavaIdentifierPart(near.charAt(from - 1))) {
            from--;
        }
        while (to < near.length() && Character.isJavaIdentifierPart(near.charAt(to))) {
            to++;
        }
        if (to - from < 2) {
            return -1;
        }
        Matcher word = Pattern.compile("(?<![\\w$])" + Pattern.quote(near.substring(from, to)) + "(?![\\w$])")
                .matcher(consequence);
        return word.find() ? word.start() : -1;
    }

    private static int offsetOfLine(String text, int line) {
        int offset = 0;
        for (int i = 1; i < line && offset >= 0; i++) {
            offset = text.indexOf('\n', offset);
            offset = offset < 0 ? -1 : offset + 1;
        }
        return Math.max(0, offset);
    }

    private static int offsetOfLineAt(String text, int offset) {
        return text.lastIndexOf('\n', offset - 1) + 1;
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String lineText(String text, int line) {
        int start = offsetOfLine(text, line);
        int end = text.indexOf('\n', start);
        return text.substring(start, end < 0 ? text.length() : end).strip();
    }

    /** The column (from 1) of {@code target} on a line; 0 when it is not there. */
    private static int column(String text, int line, String target) {
        int at = lineText(text, line).isEmpty() ? -1 : text.indexOf(target, offsetOfLine(text, line));
        int end = text.indexOf('\n', offsetOfLine(text, line));
        return at < 0 || (end >= 0 && at > end) ? 0 : at - offsetOfLine(text, line) + 1;
    }

    private static String flat(String message) {
        return message.strip().replaceAll("\\s*\\n\\s*", " ");
    }
}
