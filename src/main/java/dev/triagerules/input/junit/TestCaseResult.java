package dev.triagerules.input.junit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one {@code <testcase>} of a JUnit XML report says, with every text bounded (see
 * {@link JunitXmlReader#MAX_TEXT_CHARS}).
 *
 * @param report      the report file it came from, as given
 * @param line        line of its {@code <testcase>} start tag (1-based)
 * @param runner      the tool that wrote the report, as recognised by content ({@link Runner})
 * @param suite       name of the innermost enclosing {@code <testsuite>}; empty when it has none
 * @param suiteFile   {@code file} of the innermost enclosing suite that has one (mocha); empty otherwise
 * @param timestamp   the case's {@code timestamp}, else the innermost suite's that has one; empty otherwise
 * @param classname   {@code classname}; empty when absent
 * @param name        {@code name}; empty when absent
 * @param file        {@code file} (pytest xunit1, some runners); empty when absent
 * @param sourceLine  {@code line}, as written; empty when absent
 * @param status      the final outcome
 * @param failure     the {@code <failure>} or {@code <error>}; null when it passed or was skipped
 * @param skipMessage the {@code <skipped>} message; null unless skipped
 * @param flaky       {@code flakyFailure}/{@code flakyError}: attempts that failed before one passed
 *                    (the first {@link JunitXmlReader#MAX_ATTEMPTS_KEPT} kept)
 * @param flakyCount  how many there were
 * @param reruns      {@code rerunFailure}/{@code rerunError}: reruns that failed again (the first
 *                    {@link JunitXmlReader#MAX_ATTEMPTS_KEPT} kept)
 * @param rerunCount  how many there were
 * @param properties  suite properties (outermost first) overlaid by the case's own; name to value
 * @param systemOut   the case's {@code <system-out>} head
 * @param systemErr   the case's {@code <system-err>} head
 */
public record TestCaseResult(
        String report,
        long line,
        Runner runner,
        String suite,
        String suiteFile,
        String timestamp,
        String classname,
        String name,
        String file,
        String sourceLine,
        Status status,
        Problem failure,
        String skipMessage,
        List<Problem> flaky,
        int flakyCount,
        List<Problem> reruns,
        int rerunCount,
        Map<String, String> properties,
        Text systemOut,
        Text systemErr) {

    public TestCaseResult {
        flaky = List.copyOf(flaky);
        reruns = List.copyOf(reruns);
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /** The final outcome of a test case. */
    public enum Status { PASSED, SKIPPED, FAILED, ERROR }

    /** The element a failure was reported in. */
    public enum Kind {
        FAILURE("failure"), ERROR("error"), FLAKY_FAILURE("flakyFailure"), FLAKY_ERROR("flakyError"),
        RERUN_FAILURE("rerunFailure"), RERUN_ERROR("rerunError");

        private final String element;

        Kind(String element) {
            this.element = element;
        }

        public String element() {
            return element;
        }

        /** An error (the test could not run as written) rather than a failed assertion. */
        public boolean isError() {
            return this == ERROR || this == FLAKY_ERROR || this == RERUN_ERROR;
        }

        static Kind of(String element) {
            for (Kind kind : values()) {
                if (kind.element.equals(element)) {
                    return kind;
                }
            }
            return null;
        }
    }

    /**
     * A failure, an error or one attempt of a rerun.
     *
     * @param type    {@code type}; empty when absent
     * @param message {@code message}; empty when absent; bounded
     * @param text    the element's text, or its {@code <stackTrace>} (Surefire reruns)
     */
    public record Problem(Kind kind, String type, String message, Text text, Text systemOut, Text systemErr) {
    }

    /**
     * The head of a text that may be long.
     *
     * @param head   at most {@link JunitXmlReader#MAX_TEXT_CHARS} characters
     * @param length the whole text's length in characters
     */
    public record Text(String head, long length) {
        public static final Text EMPTY = new Text("", 0);

        public boolean truncated() {
            return length > head.length();
        }
    }

    /** Failed or errored in the end (reruns did not save it). */
    public boolean failed() {
        return status == Status.FAILED || status == Status.ERROR;
    }

    /** Passed in the end after failed attempts: Surefire's and nextest's flaky test. */
    public boolean passedOnRerun() {
        return status == Status.PASSED && flakyCount > 0;
    }

    /** The failure an incident is made of: the final one, or for a flaky test its first failed attempt. */
    public Problem firstFailure() {
        if (failure != null) {
            return failure;
        }
        return flaky.isEmpty() ? null : flaky.get(0);
    }
}
