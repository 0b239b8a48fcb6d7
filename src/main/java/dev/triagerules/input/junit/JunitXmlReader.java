package dev.triagerules.input.junit;

import com.ctc.wstx.api.WstxInputProperties;
import com.ctc.wstx.exc.WstxEOFException;
import com.ctc.wstx.stax.WstxInputFactory;
import dev.triagerules.base.TextLimit;
import dev.triagerules.base.UserError;
import dev.triagerules.base.VisibleText;
import dev.triagerules.input.junit.TestCaseResult.Kind;
import dev.triagerules.input.junit.TestCaseResult.Problem;
import dev.triagerules.input.junit.TestCaseResult.Status;
import dev.triagerules.input.junit.TestCaseResult.Text;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Streams a JUnit XML report: the Surefire/Ant schema and its dialects (Surefire and
 * Failsafe with reruns, Gradle, pytest xunit1 and xunit2, go-junit-report and gotestsum,
 * cargo-nextest, mocha-junit-reporter), {@code <testsuites>} and {@code <testsuite>}
 * nested to any depth. Each {@code <testcase>} reaches the handler when its end tag is
 * read; the document is never held, and every text kept is bounded, so memory stays flat
 * whatever the size of the report.
 *
 * <p>Hostile input is refused, not interpreted: a DOCTYPE (and so any entity, external or
 * not) stops the read, as do attributes over {@link #MAX_ATTRIBUTE_CHARS} and nesting
 * deeper than {@link #MAX_DEPTH}. A report that is not well-formed, or whose root is not
 * {@code <testsuites>}/{@code <testsuite>}, stops the read with a {@link JunitXmlException}
 * located at file:line:column; the test cases before it have been handed over.
 */
public final class JunitXmlReader {
    /** The head kept of each text (message, stack trace, output, property value). */
    public static final int MAX_TEXT_CHARS = 16 * 1024;
    /** Longer attributes stop the read (a message attribute is rarely more than a few KiB). */
    public static final int MAX_ATTRIBUTE_CHARS = 4 << 20;
    /** Deeper nesting stops the read. */
    public static final int MAX_DEPTH = 256;
    /** Flaky attempts and reruns kept per test case (all are counted). */
    public static final int MAX_ATTEMPTS_KEPT = 16;
    /** Properties kept per element (suite or case); further ones are ignored. */
    public static final int MAX_PROPERTIES = 1024;

    private static final XMLInputFactory FACTORY = secureFactory();

    private final String sourceName;
    private final InputStream in;
    /** The encoding a report without a byte-order mark was decoded as here, or null (Woodstox decodes). */
    private Charset decodedAs;

    public JunitXmlReader(String sourceName, InputStream in) {
        this.sourceName = sourceName;
        this.in = in;
    }

    /**
     * Woodstox rather than the JDK's reader: the JDK's holds a whole CDATA section in
     * memory (Surefire writes stack traces and output as CDATA); measured, it ran out of a
     * 64 MB heap on a 300 MB section, which Woodstox read in 4,000-character pieces.
     */
    private static XMLInputFactory secureFactory() {
        XMLInputFactory factory = new WstxInputFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        // With no DTD no entity is declared: replacing makes any reference other than the
        // predefined five an error (not replacing would silently drop one in an attribute).
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        factory.setProperty(WstxInputProperties.P_MAX_ATTRIBUTE_SIZE, MAX_ATTRIBUTE_CHARS);
        factory.setProperty(WstxInputProperties.P_MAX_ELEMENT_DEPTH, MAX_DEPTH);
        factory.setProperty(WstxInputProperties.P_MAX_ENTITY_COUNT, 1L);
        return factory;
    }

    /** Reads every test case in document order; returns how many there were. */
    public long read(Consumer<TestCaseResult> handler) {
        XMLStreamReader xml;
        try {
            xml = open();
        } catch (XMLStreamException e) {
            throw located(e.getLocation(), message(e), e);
        }
        try {
            return new Walk(xml, handler).run();
        } catch (XMLStreamException e) {
            // Woodstox's limit violations carry no location; the reader knows where it is.
            throw located(e.getLocation() != null ? e.getLocation() : xml.getLocation(), message(e), e);
        } finally {
            try {
                xml.close();
            } catch (XMLStreamException e) {
                // Closing a reader of a broken document may fail again; the read has reported it.
            }
        }
    }

    /**
     * Woodstox finds the encoding from a byte-order mark or an XML declaration, but a
     * report in UTF-16 or UTF-32 saved without a mark and without a declaration (which
     * auto-detection takes for XML) would be read as UTF-8 and fail on its first zero
     * byte: such a report is decoded here, strictly, as what its zero bytes say.
     */
    private XMLStreamReader open() throws XMLStreamException {
        InputStream buffered = in.markSupported() ? in : new BufferedInputStream(in);
        byte[] head;
        try {
            buffered.mark(4);
            head = buffered.readNBytes(4);
            buffered.reset();
        } catch (IOException e) {
            throw new XMLStreamException(e.getMessage(), e);
        }
        Optional<Charset> wide = InputFormat.unmarkedWideCharset(head);
        if (wide.isEmpty()) {
            return FACTORY.createXMLStreamReader(sourceName, buffered);
        }
        Reader reader = new InputStreamReader(buffered, wide.get().newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        decodedAs = wide.get();
        return FACTORY.createXMLStreamReader(sourceName, reader);
    }

    /** A problem with a report, located at file:line:column. */
    public static final class JunitXmlException extends UserError {
        private static final long serialVersionUID = 1L;

        private final long line;
        private final int column;
        private final String problem;

        JunitXmlException(String sourceName, long line, int column, String problem, Throwable cause) {
            super(VisibleText.inMessage(sourceName) + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "")
                    + ": " + problem, cause);
            this.line = line;
            this.column = column;
            this.problem = problem;
        }

        /** 1-based; 0 when unknown. */
        public long line() {
            return line;
        }

        /** 1-based; 0 when unknown. */
        public int column() {
            return column;
        }

        /** What is wrong, without the location. */
        public String problem() {
            return problem;
        }
    }

    private JunitXmlException located(Location at, String problem, Throwable cause) {
        if (badBytes(cause)) {
            // Woodstox meets bad bytes while filling its buffer, ahead of where it says it is
            // (1:1 for an error on line 2): no line rather than a wrong one; its message gives
            // the character.
            at = null;
        }
        int column = at == null ? 0 : Math.max(0, at.getColumnNumber());
        if (cause instanceof WstxEOFException && at != null && at.getLineNumber() > 0) {
            // Woodstox places an early end at the last character it read, and after a final
            // line break at column 0 of the next line; the input ends just after it.
            column++;
        }
        return new JunitXmlException(sourceName, at == null ? 0 : Math.max(0, at.getLineNumber()), column, problem,
                cause);
    }

    /** Whether decoding the bytes failed (as opposed to the XML built from them). */
    private static boolean badBytes(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.io.CharConversionException || cause instanceof CharacterCodingException) {
                return true;
            }
        }
        return false;
    }

    /** Woodstox appends the location to its message; it is printed in front instead. */
    private String message(XMLStreamException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CharacterCodingException && decodedAs != null) {
                return "not valid " + decodedAs.name() + " (a report without a byte-order mark whose first"
                        + " character has a zero byte is read as UTF-16 or UTF-32)";
            }
        }
        String text = e.getMessage() == null ? e.toString() : e.getMessage();
        int at = text.indexOf("\n at [");
        // ", byte #-1": Woodstox's UTF-8 decoder does not count bytes.
        String problem = (at >= 0 ? text.substring(0, at) : text).strip().replace(", byte #-1)", ")");
        return "not well-formed XML: " + problem;
    }

    // ---- the walk over the document ----

    private static final class Suite {
        final String name;
        final String file;
        final String timestamp;
        final Map<String, String> properties = new LinkedHashMap<>();

        Suite(String name, String file, String timestamp) {
            this.name = name;
            this.file = file;
            this.timestamp = timestamp;
        }
    }

    /** A failure, error, flaky attempt or rerun being read. */
    private static final class ProblemBuilder {
        final Kind kind;
        final String type;
        final String message;
        final BoundedText text = new BoundedText();
        final BoundedText stackTrace = new BoundedText();
        final BoundedText systemOut = new BoundedText();
        final BoundedText systemErr = new BoundedText();

        ProblemBuilder(Kind kind, String type, String message) {
            this.kind = kind;
            this.type = type;
            this.message = message;
        }

        Problem build() {
            // Surefire puts a rerun's trace in <stackTrace>, a final failure's in the element itself.
            Text body = stackTrace.length() > 0 ? stackTrace.build() : text.build();
            return new Problem(kind, type, message, body, systemOut.build(), systemErr.build());
        }
    }

    private static final class CaseBuilder {
        final long line;
        final String classname;
        final String name;
        final String file;
        final String sourceLine;
        final String timestamp;
        Problem failure;
        String skipMessage;
        final List<Problem> flaky = new ArrayList<>();
        int flakyCount;
        final List<Problem> reruns = new ArrayList<>();
        int rerunCount;
        final Map<String, String> properties = new LinkedHashMap<>();
        final BoundedText systemOut = new BoundedText();
        final BoundedText systemErr = new BoundedText();

        CaseBuilder(long line, String classname, String name, String file, String sourceLine, String timestamp) {
            this.line = line;
            this.classname = classname;
            this.name = name;
            this.file = file;
            this.sourceLine = sourceLine;
            this.timestamp = timestamp;
        }
    }

    private final class Walk {
        private final XMLStreamReader xml;
        private final Consumer<TestCaseResult> handler;
        private final Deque<Suite> suites = new ArrayDeque<>();
        private final Deque<String> elements = new ArrayDeque<>();
        private Runner runner;
        private RunnerHints hints;
        private CaseBuilder testCase;
        private ProblemBuilder problem;
        private BoundedText text; // where character data goes now, or null
        private String propertyName; // a <property> whose value is its text
        private Map<String, String> propertyTarget;
        private long cases;

        Walk(XMLStreamReader xml, Consumer<TestCaseResult> handler) {
            this.xml = xml;
            this.handler = handler;
        }

        long run() throws XMLStreamException {
            while (xml.hasNext()) {
                switch (xml.next()) {
                    case XMLStreamConstants.DTD -> throw located(xml.getLocation(),
                            "a DOCTYPE is not allowed in a JUnit report (entities are refused)", null);
                    case XMLStreamConstants.START_ELEMENT -> start(xml.getLocalName());
                    case XMLStreamConstants.END_ELEMENT -> end(xml.getLocalName());
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (text != null) {
                            text.append(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
                        }
                    }
                    case XMLStreamConstants.ENTITY_REFERENCE -> throw located(xml.getLocation(),
                            "undeclared entity &" + xml.getLocalName() + "; (entities are refused)", null);
                    default -> {
                        // comments, processing instructions, end of document
                    }
                }
            }
            if (elements.isEmpty() && cases == 0 && hints == null) {
                throw located(xml.getLocation(), "empty document: no <testsuites> or <testsuite>", null);
            }
            return cases;
        }

        private void start(String element) throws XMLStreamException {
            if (elements.isEmpty() && hints == null) {
                if (!element.equals("testsuites") && !element.equals("testsuite")) {
                    throw located(xml.getLocation(), "not a JUnit XML report: the root element is <" + element
                            + ">, expected <testsuites> or <testsuite>", null);
                }
                hints = new RunnerHints(element, attribute("name"), attribute("noNamespaceSchemaLocation"),
                        attribute("uuid"), attribute("hostname"));
            }
            elements.push(element);
            if (testCase == null) {
                startOutsideCase(element);
            } else {
                startInsideCase(element);
            }
        }

        private void startOutsideCase(String element) {
            switch (element) {
                case "testsuite", "testsuites" -> {
                    Suite parent = suites.peek();
                    String name = attribute("name");
                    String file = attribute("file");
                    String timestamp = attribute("timestamp");
                    suites.push(new Suite(name, file.isEmpty() && parent != null ? parent.file : file,
                            timestamp.isEmpty() && parent != null ? parent.timestamp : timestamp));
                    if (element.equals("testsuite") && hints.firstSuiteName == null) {
                        hints.firstSuiteName = name;
                    }
                }
                case "property" -> property(suites.isEmpty() ? null : suites.peek().properties);
                case "testcase" -> {
                    Suite suite = suites.peek();
                    String timestamp = attribute("timestamp");
                    testCase = new CaseBuilder(xml.getLocation().getLineNumber(), attribute("classname"),
                            attribute("name"), attribute("file"), attribute("line"),
                            timestamp.isEmpty() && suite != null ? suite.timestamp : timestamp);
                }
                default -> {
                    // suite-level system-out/err and unknown elements: not part of any case
                }
            }
        }

        private void startInsideCase(String element) {
            Kind kind = Kind.of(element);
            if (kind != null && problem == null) {
                problem = new ProblemBuilder(kind, bounded(attribute("type")), bounded(attribute("message")));
                text = problem.text;
                return;
            }
            switch (element) {
                case "skipped" -> {
                    testCase.skipMessage = bounded(attribute("message"));
                    text = null;
                }
                case "stackTrace" -> text = problem == null ? null : problem.stackTrace;
                case "system-out" -> text = problem != null ? problem.systemOut : testCase.systemOut;
                case "system-err" -> text = problem != null ? problem.systemErr : testCase.systemErr;
                case "property" -> property(testCase.properties);
                default -> text = null;
            }
        }

        private void property(Map<String, String> target) {
            String name = attribute("name");
            if (target == null || name.isEmpty() || target.size() >= MAX_PROPERTIES && !target.containsKey(name)) {
                text = null;
                return;
            }
            String value = xml.getAttributeValue(null, "value");
            if (value != null) {
                target.put(bounded(name), bounded(value));
                text = null;
            } else { // some writers put the value in the element's text
                propertyName = bounded(name);
                propertyTarget = target;
                text = new BoundedText();
            }
        }

        private void end(String element) {
            elements.pop();
            if (element.equals("property") && propertyName != null) {
                propertyTarget.put(propertyName, text.build().head());
                propertyName = null;
                propertyTarget = null;
            }
            if (testCase == null) {
                if (element.equals("testsuite") || element.equals("testsuites")) {
                    suites.pop();
                }
                text = null;
                return;
            }
            Kind kind = Kind.of(element);
            if (kind != null && problem != null && problem.kind == kind && !insideProblem()) {
                endProblem();
                text = null;
            } else if (element.equals("testcase")) {
                deliver();
            } else {
                // back to the enclosing element's own text (a problem's text around <stackTrace>)
                text = problem != null && isProblemElement(elements.peek()) ? problem.text : null;
            }
        }

        /** Whether a problem element of the same kind is still open (they do not nest in practice). */
        private boolean insideProblem() {
            for (String open : elements) {
                if (Kind.of(open) != null) {
                    return true;
                }
                if (open.equals("testcase")) {
                    return false;
                }
            }
            return false;
        }

        private boolean isProblemElement(String element) {
            return element != null && Kind.of(element) != null;
        }

        private void endProblem() {
            Problem done = problem.build();
            problem = null;
            switch (done.kind()) {
                case FAILURE, ERROR -> {
                    if (testCase.failure == null) {
                        testCase.failure = done;
                    }
                }
                case FLAKY_FAILURE, FLAKY_ERROR -> {
                    testCase.flakyCount++;
                    if (testCase.flaky.size() < MAX_ATTEMPTS_KEPT) {
                        testCase.flaky.add(done);
                    }
                }
                case RERUN_FAILURE, RERUN_ERROR -> {
                    testCase.rerunCount++;
                    if (testCase.reruns.size() < MAX_ATTEMPTS_KEPT) {
                        testCase.reruns.add(done);
                    }
                }
            }
        }

        private void deliver() {
            CaseBuilder c = testCase;
            testCase = null;
            text = null;
            cases++;
            if (runner == null) {
                runner = hints.runner(suites.isEmpty() ? Map.of() : suites.peekLast().properties, suites);
            }
            Problem failure = c.failure;
            Status status = failure != null ? (failure.kind() == Kind.ERROR ? Status.ERROR : Status.FAILED)
                    : c.skipMessage != null ? Status.SKIPPED : Status.PASSED;
            Map<String, String> properties = new LinkedHashMap<>();
            for (Iterator<Suite> outerFirst = suites.descendingIterator(); outerFirst.hasNext(); ) {
                properties.putAll(outerFirst.next().properties);
            }
            properties.putAll(c.properties);
            Suite suite = suites.peek();
            handler.accept(new TestCaseResult(sourceName, c.line, runner, suite == null ? "" : suite.name,
                    suite == null ? "" : suite.file, c.timestamp, c.classname, c.name, c.file, c.sourceLine, status,
                    failure, c.skipMessage, c.flaky, c.flakyCount, c.reruns, c.rerunCount, properties,
                    c.systemOut.build(), c.systemErr.build()));
        }

        private String attribute(String name) {
            for (int i = 0; i < xml.getAttributeCount(); i++) {
                String local = xml.getAttributeLocalName(i); // with its prefix: namespaces are not resolved
                if (local.equals(name) || local.endsWith(":" + name)) {
                    return xml.getAttributeValue(i);
                }
            }
            return "";
        }
    }

    private static String bounded(String text) {
        return TextLimit.cut(text, MAX_TEXT_CHARS);
    }

    /** What the root element and the first suite say about the tool that wrote the report. */
    private static final class RunnerHints {
        final String root;
        final String rootName;
        final String schema;
        final String uuid;
        final String hostname;
        String firstSuiteName;

        RunnerHints(String root, String rootName, String schema, String uuid, String hostname) {
            this.root = root;
            this.rootName = rootName;
            this.schema = schema;
            this.uuid = uuid;
            this.hostname = hostname;
        }

        Runner runner(Map<String, String> outerProperties, Deque<Suite> suites) {
            if (schema.contains("failsafe")) {
                return Runner.FAILSAFE;
            }
            if (schema.contains("surefire")) {
                return Runner.SUREFIRE;
            }
            for (Suite suite : suites) {
                if (suite.properties.containsKey("go.version")) {
                    return Runner.GO;
                }
            }
            if (rootName.equals("pytest tests") || "pytest".equals(firstSuiteName)) {
                return Runner.PYTEST;
            }
            if (rootName.equals("Mocha Tests")) {
                return Runner.MOCHA;
            }
            if (rootName.equals("nextest-run") || (root.equals("testsuites") && !uuid.isEmpty())) {
                return Runner.NEXTEST;
            }
            if (root.equals("testsuite") && !hostname.isEmpty()) {
                return Runner.GRADLE;
            }
            return Runner.JUNIT;
        }
    }
}
