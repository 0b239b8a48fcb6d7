package dev.triagerules.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README.md is a short front door, and every relative link of it and of docs/ leads somewhere. */
class DocumentationLinksTest {
    private static final Path README = Path.of("README.md");
    private static final Path DOCS = Path.of("docs");
    private static final int README_MAX_LINES = 250;

    @Test
    void readmeAndDocsHaveNoDeadLinks() throws IOException {
        MarkdownLinks links = new MarkdownLinks(Path.of(""));
        List<String> dead = new ArrayList<>();
        for (Path page : pages()) {
            dead.addAll(links.deadLinks(page));
        }
        assertEquals(List.of(), dead, "dead links in README.md or docs/");
    }

    @Test
    void readmeIsAFrontDoor() throws IOException {
        long lines = Files.readAllLines(README, StandardCharsets.UTF_8).size();
        assertTrue(lines <= README_MAX_LINES, "README.md has " + lines + " lines; at most " + README_MAX_LINES
                + " (the manual belongs in docs/)");
    }

    @Test
    void findsMissingFilesAndHeadingsButNotCode(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("other.md"), """
                # Other page
                ## Exit codes: 0, 1 and `2`
                ## Exit codes: 0, 1 and `2`
                ```sh
                # not a heading
                ```
                """);
        Files.writeString(dir.resolve("page.md"), """
                [ok](other.md) [ok](other.md#other-page) [ok](#here) [ok](other.md#exit-codes-0-1-and-2-1)
                ## Here
                [web](https://example.org/nowhere) `[code](missing-in-a-code-span.md)`
                ```
                [in a block](missing-in-a-block.md)
                ```
                [gone](missing.md) ![img](missing.png) [no heading](other.md#not-a-heading)
                [ref]: missing-too.md
                """);
        List<String> dead = new MarkdownLinks(dir).deadLinks(dir.resolve("page.md"));
        assertEquals(List.of(
                "page.md:7: missing.md: no such file missing.md",
                "page.md:7: missing.png: no such file missing.png",
                "page.md:7: other.md#not-a-heading: no heading #not-a-heading in other.md",
                "page.md:8: missing-too.md: no such file missing-too.md"), dead);
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(README));
        try (Stream<Path> files = Files.walk(DOCS)) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        assertTrue(pages.size() > 1, "docs/ holds no page");
        return pages;
    }
}
