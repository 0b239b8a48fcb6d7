package dev.triagerules.report;

import dev.triagerules.engine.ClassifiedEntry;
import dev.triagerules.history.Determinism;
import dev.triagerules.input.LogEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The incidents of a report as JUnit XML, for CI systems that read it (GitLab's
 * {@code artifacts:reports:junit}, Jenkins' JUnit plugin): a {@code <testsuite>} per class,
 * a {@code <testcase>} per incident (classname the suite, name the scenario) whose
 * {@code <failure>} says severity, owner, occurrences, verdict and the replay command.
 *
 * <p>Written with the JDK's {@link XMLStreamWriter}, in report order, with no timestamp or
 * host: the same report gives the same bytes. Characters XML 1.0 cannot carry (most
 * control characters, lone surrogates) become U+FFFD; the {@code message} attribute holds
 * the reason code on one line (parsers turn line breaks in attributes into spaces), the
 * text of the failure holds it whole.
 *
 * <p>A writer over the in-memory report rather than the JSON read back, as
 * {@link GithubAnnotations} is: it runs right after triage, where everything it needs is.
 */
public final class JunitReportWriter {
    private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();

    private JunitReportWriter() {
    }

    public static void write(TriageReport report, OutputStream out) throws IOException {
        Map<String, List<FoldedIncident>> byClass = new LinkedHashMap<>();
        for (FoldedIncident incident : report.incidents()) {
            byClass.computeIfAbsent(incident.first().getCrashClass(), c -> new ArrayList<>()).add(incident);
        }
        try {
            XMLStreamWriter xml = XML.createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuites");
            xml.writeAttribute("name", "triage-rules");
            xml.writeAttribute("tests", String.valueOf(report.incidents().size()));
            xml.writeAttribute("failures", String.valueOf(report.incidents().size()));
            xml.writeAttribute("errors", "0");
            for (Map.Entry<String, List<FoldedIncident>> suite : byClass.entrySet()) {
                writeSuite(xml, suite.getKey(), suite.getValue());
            }
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.flush();
            xml.close();
        } catch (XMLStreamException e) {
            // The writer wraps the stream's own failure (a full disk): that is the error, and the
            // caller names the file ("cannot write: cannot write JUnit XML: ..." said it twice).
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot write JUnit XML: " + e.getMessage(), e);
        }
    }

    private static void writeSuite(XMLStreamWriter xml, String crashClass, List<FoldedIncident> incidents)
            throws XMLStreamException {
        xml.writeCharacters("\n  ");
        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", clean(crashClass));
        xml.writeAttribute("tests", String.valueOf(incidents.size()));
        xml.writeAttribute("failures", String.valueOf(incidents.size()));
        xml.writeAttribute("errors", "0");
        List<String> names = testcaseNames(incidents);
        for (int i = 0; i < incidents.size(); i++) {
            FoldedIncident folded = incidents.get(i);
            ClassifiedEntry incident = folded.first();
            LogEntry entry = incident.entry();
            xml.writeCharacters("\n    ");
            xml.writeStartElement("testcase");
            xml.writeAttribute("classname", clean(entry.suiteId()));
            xml.writeAttribute("name", names.get(i));
            xml.writeCharacters("\n      ");
            xml.writeStartElement("failure");
            xml.writeAttribute("message", clean(oneLine(entry.reasonCode())));
            xml.writeAttribute("type", clean(incident.getCrashClass()));
            xml.writeCharacters(clean(failureText(folded)));
            xml.writeEndElement();
            xml.writeCharacters("\n    ");
            xml.writeEndElement();
        }
        xml.writeCharacters("\n  ");
        xml.writeEndElement();
    }

    /**
     * The testcase names of one suite's incidents, in order, cleaned: the scenario; for a
     * later incident of the same test (another reason) {@code scenario #2}, {@code #3} ...
     * A CI system takes classname and name for the test, so no two may share them: a
     * suffix skips any name a testcase of the suite has as its scenario (a scenario may be
     * called {@code x #2}) or was already given.
     */
    static List<String> testcaseNames(List<FoldedIncident> incidents) {
        Set<String> scenarios = new HashSet<>();
        for (FoldedIncident folded : incidents) {
            LogEntry entry = folded.first().entry();
            scenarios.add(testKey(clean(entry.suiteId()), clean(entry.scenarioId())));
        }
        Set<String> given = new HashSet<>();
        Map<String, Integer> lastSuffix = new HashMap<>();
        List<String> names = new ArrayList<>(incidents.size());
        for (FoldedIncident folded : incidents) {
            LogEntry entry = folded.first().entry();
            String classname = clean(entry.suiteId());
            String scenario = clean(entry.scenarioId());
            String name = scenario;
            if (!given.add(testKey(classname, name))) {
                String test = testKey(classname, scenario);
                int suffix = lastSuffix.getOrDefault(test, 1);
                do {
                    suffix++;
                    name = scenario + " #" + suffix;
                } while (scenarios.contains(testKey(classname, name)) || !given.add(testKey(classname, name)));
                lastSuffix.put(test, suffix);
            }
            names.add(name);
        }
        return names;
    }

    private static String testKey(String classname, String name) {
        return classname + "\0" + name;
    }

    /** What a CI page shows for the incident. */
    static String failureText(FoldedIncident folded) {
        ClassifiedEntry incident = folded.first();
        LogEntry entry = incident.entry();
        StringBuilder text = new StringBuilder();
        text.append("reason_code: ").append(entry.reasonCode()).append('\n');
        String masked = incident.incident().getFailure().getMaskedReasonCode();
        if (masked != null) {
            text.append("masked_reason_code: ").append(masked).append('\n');
        }
        text.append("class: ").append(incident.getCrashClass()).append('\n');
        text.append("severity: ").append(incident.getSeverity()).append('\n');
        text.append("owner: ").append(incident.getOwnerHint()).append('\n');
        text.append("occurrences: ").append(folded.occurrences()).append('\n');
        Determinism determinism = folded.determinism();
        if (determinism != null) {
            text.append("verdict: ").append(determinism.verdict());
            if (!determinism.evidence().isEmpty()) {
                text.append(" (").append(determinism.evidence().get(0)).append(')');
            }
            text.append('\n');
        }
        text.append("incident: ").append(folded.incidentId()).append('\n');
        text.append("packet: ").append(entry.packetId()).append(", mode: ").append(entry.mode()).append('\n');
        if (!entry.replayCommand().isEmpty()) {
            text.append("replay: ").append(entry.replayCommand()).append('\n');
        }
        return text.toString();
    }

    private static String oneLine(String text) {
        return text.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    }

    /** The text with every character XML 1.0 cannot carry replaced by U+FFFD. */
    static String clean(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok;
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                if (out != null) {
                    out.append(c).append(text.charAt(i + 1));
                }
                i++;
                continue;
            }
            ok = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd);
            if (!ok && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.append(ok ? c : '\ufffd');
            }
        }
        return out == null ? text : out.toString();
    }
}
