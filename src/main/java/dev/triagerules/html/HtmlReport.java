package dev.triagerules.html;

import dev.triagerules.base.AtomicOutput;
import dev.triagerules.base.OutputSet;
import dev.triagerules.report.ReportFile;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.WriterOutput;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The HTML report: one self-contained page (styles and script inline, no network) that
 * shows a triage report to people. Rendered by the jte template {@code report.jte},
 * precompiled at build time, whose {@code Html} content type escapes every value by
 * context, attributes included, after making hidden characters visible
 * ({@link VisibleHtmlOutput}). A strict Content-Security-Policy allows only the inline
 * style sheet and script, by their SHA-256 hashes.
 *
 * <p>The page is a pure function of its inputs (it shows the report's own time, never the
 * clock's), so under {@code SOURCE_DATE_EPOCH} its bytes are as reproducible as the report's.
 */
public final class HtmlReport {
    private static final String TEMPLATE = "report.jte";
    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(null, ContentType.Html,
            HtmlReport.class.getClassLoader(), "dev.triagerules.html.templates");
    private static final String STYLE = resource("report.css");
    private static final String SCRIPT = resource("report.js");
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src '" + sha256(STYLE)
            + "'; script-src '" + sha256(SCRIPT) + "'; img-src data:; base-uri 'none'; form-action 'none'";

    private HtmlReport() {
    }

    /**
     * Writes the page for a report to {@code target}, atomically: readers see the old file or the whole new one.
     *
     * @param trends  the ledger's history, or null for none
     * @param replays a replay summary read with {@link ReplayRecords#read}, or null for none
     */
    public static void write(Path target, ReportFile report, HtmlTrends trends, ReplayRecords replays) {
        AtomicOutput.write(target, body(page(report, trends, replays)));
    }

    /** As {@link #write(Path, ReportFile, HtmlTrends, ReplayRecords)}, as one of a command's {@code outputs}. */
    public static void write(OutputSet outputs, Path target, ReportFile report, HtmlTrends trends,
            ReplayRecords replays) {
        outputs.write(target, body(page(report, trends, replays)));
    }

    private static AtomicOutput.Body body(HtmlPage page) {
        return out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            render(page, writer);
            writer.flush();
        };
    }

    /** The page as text. */
    public static String render(ReportFile report, HtmlTrends trends, ReplayRecords replays) {
        StringWriter text = new StringWriter();
        try {
            render(page(report, trends, replays), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    static HtmlPage page(ReportFile report, HtmlTrends trends, ReplayRecords replays) {
        return HtmlPageBuilder.build(report, trends, replays, STYLE, SCRIPT, CONTENT_SECURITY_POLICY);
    }

    private static void render(HtmlPage page, Writer writer) throws IOException {
        try {
            ENGINE.render(TEMPLATE, page, new VisibleHtmlOutput(new WriterOutput(writer)));
        } catch (gg.jte.TemplateException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " beside " + HtmlReport.class);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A CSP source expression for inline content: {@code sha256-<base64 of the UTF-8 bytes' digest>}. */
    static String sha256(String inline) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(inline.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
    }
}
