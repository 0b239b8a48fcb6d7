package dev.triagerules.engine;

import dev.triagerules.input.LogEntry;
import org.kie.api.definition.type.ClassReactive;
import org.kie.api.runtime.rule.RuleContext;

/**
 * The fact the classification rules see: one failed log entry. Rules match on its
 * fields (bean getters) and claim it with {@code modify($f) { classify(drools) }}; the
 * first rule to do so wins because every classification rule guards on
 * {@code crashClass == null}.
 */
@ClassReactive // classify() is no bean setter: property reactivity would not see it change crashClass
public final class Failure {
    /** Rule metadata key naming the crash class a rule assigns: {@code @class("dispatch_routing")}. */
    public static final String CLASS_METADATA = "class";

    private final LogEntry entry;
    private final long lineNumber;
    private final String reason;
    private String crashClass;
    private String rule;

    public Failure(LogEntry entry, long lineNumber) {
        this.entry = entry;
        this.lineNumber = lineNumber;
        this.reason = foldAsciiCase(entry.reasonCode());
    }

    /**
     * Lowercases ASCII letters only, as the upstream matcher does; {@code String.toLowerCase}
     * would also fold non-ASCII letters and depend on the locale.
     */
    public static String foldAsciiCase(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] folded = text.toCharArray();
                for (int j = i; j < folded.length; j++) {
                    char d = folded[j];
                    if (d >= 'A' && d <= 'Z') {
                        folded[j] = (char) (d + ('a' - 'A'));
                    }
                }
                return new String(folded);
            }
        }
        return text;
    }

    /**
     * Called from a rule's consequence: takes the class from the rule's {@code @class}
     * metadata.
     */
    public void classify(RuleContext drools) {
        Object declared = drools.getRule().getMetaData().get(CLASS_METADATA);
        if (!(declared instanceof String name) || name.isBlank()) {
            throw new IllegalStateException("rule \"" + drools.getRule().getName()
                    + "\" calls classify(drools) but has no @" + CLASS_METADATA + "(\"...\") annotation");
        }
        this.crashClass = name;
        this.rule = drools.getRule().getName();
    }

    public LogEntry getEntry() {
        return entry;
    }

    public long getLineNumber() {
        return lineNumber;
    }

    /** The reason code with ASCII letters lowercased: what patterns match against. */
    public String getReason() {
        return reason;
    }

    /** The reason code exactly as logged. */
    public String getReasonCode() {
        return entry.reasonCode();
    }

    public String getPacketId() {
        return entry.packetId();
    }

    public String getSuiteId() {
        return entry.suiteId();
    }

    public String getScenarioId() {
        return entry.scenarioId();
    }

    public String getFixtureId() {
        return entry.fixtureId();
    }

    public String getMode() {
        return entry.mode();
    }

    public String getOutcome() {
        return entry.outcome();
    }

    public String getEnvFingerprint() {
        return entry.envFingerprint();
    }

    public String getReplayCommand() {
        return entry.replayCommand();
    }

    /** Null until a rule classifies this failure. */
    public String getCrashClass() {
        return crashClass;
    }

    /** Name of the rule that classified this failure, or null. */
    public String getRule() {
        return rule;
    }

    @Override
    public String toString() {
        return "Failure[line " + lineNumber + ", reason_code=" + entry.reasonCode() + ", class=" + crashClass + "]";
    }
}
