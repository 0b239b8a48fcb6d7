package dev.triagerules.input.junit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A field template of the {@code junit} policy: literal text and {@code {placeholder}}s,
 * {@code {property:NAME}} for a property, and {@code {{} / {}}} for literal braces.
 * Rendering substitutes each placeholder's value through an encoder (identity for ids,
 * shell quoting for replay commands); a placeholder without a value makes the template
 * incomplete, so the next alternative is tried.
 */
public final class FieldTemplate {
    /** The placeholders a template may use besides {@code property:NAME}. */
    public static final Set<String> PLACEHOLDERS = Set.of("runner", "suite", "suite_file", "classname",
            "classname_path", "name", "method", "file", "line", "type", "message", "failure", "kind", "timestamp");

    private final String source;
    private final List<String> literals; // literal before each placeholder, then the tail
    private final List<String> placeholders;

    private FieldTemplate(String source, List<String> literals, List<String> placeholders) {
        this.source = source;
        this.literals = literals;
        this.placeholders = placeholders;
    }

    /** Parses a template; throws {@link IllegalArgumentException} saying what is wrong. */
    public static FieldTemplate parse(String template) {
        if (template == null) {
            throw new IllegalArgumentException("a template may not be null");
        }
        List<String> literals = new ArrayList<>();
        List<String> placeholders = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{' && template.startsWith("{{}", i)) {
                literal.append('{');
                i += 3;
            } else if (c == '{' && template.startsWith("{}}", i)) {
                literal.append('}');
                i += 3;
            } else if (c == '{') {
                int end = template.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed { in template \"" + template + "\"");
                }
                String name = template.substring(i + 1, end);
                if (!PLACEHOLDERS.contains(name) && !(name.startsWith("property:") && name.length() > 9)) {
                    throw new IllegalArgumentException("unknown placeholder {" + name + "} in template \"" + template
                            + "\"; known: " + new TreeSet<>(PLACEHOLDERS) + " and {property:NAME}");
                }
                literals.add(literal.toString());
                literal.setLength(0);
                placeholders.add(name);
                i = end + 1;
            } else if (c == '}') {
                throw new IllegalArgumentException("unopened } in template \"" + template + "\" (write {}} for a brace)");
            } else {
                literal.append(c);
                i++;
            }
        }
        literals.add(literal.toString());
        return new FieldTemplate(template, List.copyOf(literals), List.copyOf(placeholders));
    }

    /**
     * The text with every placeholder replaced by its encoded value; null when a
     * placeholder has no value (null or empty) or the encoder refuses it (returns null).
     */
    public String render(Function<String, String> values, UnaryOperator<String> encoder) {
        StringBuilder out = new StringBuilder(literals.get(0));
        for (int i = 0; i < placeholders.size(); i++) {
            String value = values.apply(placeholders.get(i));
            if (value == null || value.isEmpty()) {
                return null;
            }
            String encoded = encoder.apply(value);
            if (encoded == null) {
                return null;
            }
            out.append(encoded).append(literals.get(i + 1));
        }
        return out.toString();
    }

    /** The first of the templates that renders completely; null when none does. */
    public static String first(List<FieldTemplate> templates, Function<String, String> values,
            UnaryOperator<String> encoder) {
        for (FieldTemplate template : templates) {
            String rendered = template.render(values, encoder);
            if (rendered != null) {
                return rendered;
            }
        }
        return null;
    }

    public static List<FieldTemplate> parseAll(List<String> templates) {
        return templates.stream().map(FieldTemplate::parse).toList();
    }

    @Override
    public String toString() {
        return source;
    }
}
