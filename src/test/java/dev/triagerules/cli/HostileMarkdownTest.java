package dev.triagerules.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triagerules.LogLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A log written by an attacker: its text must reach the Markdown summary as text only. */
class HostileMarkdownTest {
    private static final String REASON = "scheduler\n## owned heading <script>alert(1)</script> [x](http://evil.example)";
    private static final String COMMAND = "cargo test\r```\n## not a heading\n</pre><script>alert(2)</script>";

    @TempDir
    Path tmp;

    @Test
    void theSummaryShowsHostileLogTextLiterally() throws Exception {
        checkSummary(List.of(), 0, List.of("Crash triage: 1 incident from 1 failure", "Escalated incidents (1)"));
    }

    /** The incidents that failed the job are listed with the same escaping. */
    @Test
    void theFailedTheJobSectionShowsHostileLogTextLiterally() throws Exception {
        checkSummary(List.of("--fail-on", "low"), 3, List.of("Crash triage: 1 incident from 1 failure",
                "Failed the job: --fail-on low (1)", "Escalated incidents (1)"));
    }

    /**
     * A policy that names {@code @ft-autograd-owners} means to notify that team: the summary
     * keeps the mention. The log's own {@code @octocat} and {@code #12} sit in a code span,
     * where GitHub links nothing, and its ESC and bidi override show as escapes there.
     */
    @Test
    void thePolicysOwnersStillMentionAndTheLogsControlsShow() throws Exception {
        Path policy = Files.createDirectories(tmp.resolve("policy"));
        try (var files = Files.list(Home.defaultPolicy())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Files.writeString(policy.resolve(file.getFileName().toString()), Files.readString(file)
                        .replace("owner_hint: ft-autograd-owners", "owner_hint: \"@ft-autograd-owners\""));
            }
        }
        Path log = LogLines.write(tmp.resolve("e2e.jsonl"), List.of(LogLines.entry("FT-P2C-002", "s1", "strict",
                "fail", "scheduler @octocat #12\u001b[2J\u202Eexe", 7)));
        Path md = tmp.resolve("summary.md");

        CliRunner.run("--input", log.toString(), "--output", tmp.resolve("r.json").toString(), "--markdown",
                md.toString(), "--policy", policy.toString(), "-q").assertOk();
        String text = Files.readString(md);
        assertTrue(text.contains("\n| autograd\\_state | critical | @ft-autograd-owners | 1 | 1 |\n"), text);
        assertTrue(text.contains(" **autograd\\_state** (critical, @ft-autograd-owners): "
                + "`scheduler @octocat #12\\u001b[2J\\u202eexe` in "), text);
    }

    private void checkSummary(List<String> options, int exit, List<String> expectedHeadings) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode entry = (ObjectNode) json.readTree(LogLines.entry("FT-P2C-002\n# pkt", "s1 | x ](http://evil.example)",
                "strict`<b>", "fail", REASON, 7));
        entry.put("replay_command", COMMAND);
        Path log = LogLines.write(tmp.resolve("e2e.jsonl"), List.of(entry.toString()));
        Path md = tmp.resolve("summary.md");

        List<String> args = new ArrayList<>(List.of("--input", log.toString(), "--output",
                tmp.resolve("r.json").toString(), "--markdown", md.toString(), "-q"));
        args.addAll(options);
        CliRunner.Result result = CliRunner.run(args.toArray(String[]::new));

        assertEquals(exit, result.exitCode(), result.err());
        Node document = Parser.builder().build().parse(Files.readString(md));
        List<String> headings = new ArrayList<>();
        List<String> code = new ArrayList<>();
        document.accept(new AbstractVisitor() {
            @Override
            public void visit(Heading heading) {
                headings.add(text(heading));
            }

            @Override
            public void visit(FencedCodeBlock block) {
                code.add(block.getLiteral());
            }

            @Override
            public void visit(HtmlInline html) {
                throw new AssertionError("raw HTML from the log: " + html.getLiteral());
            }

            @Override
            public void visit(HtmlBlock html) {
                throw new AssertionError("raw HTML from the log: " + html.getLiteral());
            }

            @Override
            public void visit(Link link) {
                throw new AssertionError("a link from the log: " + link.getDestination());
            }

            @Override
            public void visit(Image image) {
                throw new AssertionError("an image from the log: " + image.getDestination());
            }
        });
        assertEquals(expectedHeadings, headings);
        // A lone CR is no line break to a shell: it shows, as on the terminal, and so does the LF in the reason.
        assertEquals(List.of("cargo test\\r```\n## not a heading\n</pre><script>alert(2)</script>\n"), code);
        String text = Files.readString(md);
        assertTrue(text.contains("`scheduler\\n## owned heading <script>alert(1)</script> [x](http://evil.example)`"),
                text);
        assertFalse(text.contains("\n#\u0020pkt"), text);
    }

    private static String text(Node node) {
        StringBuilder out = new StringBuilder();
        node.accept(new AbstractVisitor() {
            @Override
            public void visit(Text text) {
                out.append(text.getLiteral());
            }

            @Override
            public void visit(Code code) {
                out.append(code.getLiteral());
            }
        });
        return out.toString();
    }
}
