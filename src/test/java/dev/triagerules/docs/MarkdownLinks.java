package dev.triagerules.docs;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Relative links of Markdown files that lead nowhere: a missing file, or a {@code #fragment}
 * that names no heading of the target (GitHub's heading ids). Links inside code blocks and
 * code spans are text, not links; links with a scheme ({@code https:}, {@code mailto:})
 * are not followed.
 */
final class MarkdownLinks {
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+).*?\\1");
    private static final Pattern INLINE_LINK = Pattern.compile("!?\\[(?:[^\\]\\[]|\\[[^\\]]*\\])*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern REFERENCE_DEFINITION = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s+.*)?$");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    private final Path root;
    private final Map<Path, Set<String>> anchorsByFile = new HashMap<>();

    /** @param root the folder problems are reported relative to */
    MarkdownLinks(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Every dead link of the file, as {@code file:line: link: why}. */
    List<String> deadLinks(Path markdown) throws IOException {
        Path file = markdown.toAbsolutePath().normalize();
        List<String> problems = new ArrayList<>();
        List<String> lines = proseLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line == null) {
                continue;
            }
            List<String> targets = new ArrayList<>();
            Matcher definition = REFERENCE_DEFINITION.matcher(line);
            if (definition.matches()) {
                targets.add(definition.group(1));
            }
            Matcher link = INLINE_LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
            while (link.find()) {
                targets.add(link.group(1));
            }
            for (String target : targets) {
                String why = whyDead(file, target);
                if (why != null) {
                    problems.add(root.relativize(file) + ":" + (i + 1) + ": " + target + ": " + why);
                }
            }
        }
        return problems;
    }

    private String whyDead(Path from, String target) throws IOException {
        if (SCHEME.matcher(target).find()) {
            return null;
        }
        int hash = target.indexOf('#');
        String pathPart = URLDecoder.decode(hash >= 0 ? target.substring(0, hash) : target, StandardCharsets.UTF_8);
        String fragment = hash >= 0 ? target.substring(hash + 1) : null;
        Path resolved = pathPart.isEmpty() ? from : from.getParent().resolve(pathPart).normalize();
        if (!Files.exists(resolved)) {
            return "no such file " + root.relativize(resolved);
        }
        if (fragment != null && !fragment.isEmpty()) {
            if (!resolved.getFileName().toString().endsWith(".md") || Files.isDirectory(resolved)) {
                return "a #fragment on a file that is not Markdown";
            }
            if (!anchors(resolved).contains(fragment)) {
                return "no heading #" + fragment + " in " + root.relativize(resolved);
            }
        }
        return null;
    }

    /** GitHub's heading ids of a file: lowercased, punctuation dropped, spaces to hyphens, repeats numbered. */
    Set<String> anchors(Path markdown) throws IOException {
        Path file = markdown.toAbsolutePath().normalize();
        Set<String> cached = anchorsByFile.get(file);
        if (cached != null) {
            return cached;
        }
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : proseLines(file)) {
            Matcher heading = line == null ? null : HEADING.matcher(line);
            if (heading != null && heading.matches()) {
                String slug = slug(heading.group(1));
                int repeats = seen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(repeats == 0 ? slug : slug + "-" + repeats);
            }
        }
        anchorsByFile.put(file, anchors);
        return anchors;
    }

    static String slug(String headingText) {
        String text = headingText.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1"); // a link's text only
        return text.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "")
                .replace(' ', '-');
    }

    /** The file's lines, with lines inside fenced code blocks (and the fences) as null. */
    private static List<String> proseLines(Path file) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        String fence = null;
        for (int i = 0; i < lines.size(); i++) {
            Matcher opening = FENCE.matcher(lines.get(i));
            if (fence == null) {
                if (opening.find()) {
                    fence = opening.group(1);
                    lines.set(i, null);
                }
            } else {
                // A fence closes with at least as many of the same character, and nothing else.
                String line = lines.get(i).strip();
                char fenceChar = fence.charAt(0);
                if (line.length() >= fence.length() && line.chars().allMatch(c -> c == fenceChar)) {
                    fence = null;
                }
                lines.set(i, null);
            }
        }
        return lines;
    }
}
