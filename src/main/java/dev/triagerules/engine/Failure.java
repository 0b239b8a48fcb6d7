package dev.triagerules.engine;

import dev.triagerules.input.LogEntry;
import dev.triagerules.policy.ReasonMasks;
import org.kie.api.definition.type.ClassReactive;
import org.kie.api.runtime.rule.RuleContext;

/**
 * The fact the classification rules see: the fields of one failed log entry that
 * classification may use. Rules match on them (bean getters) and claim the failure with
 * {@code modify($f) { classify(drools) }}; the first rule to do so wins because every
 * classification rule guards on {@code crashClass == null}.
 *
 * <p>Seed, timestamp, artifacts and line number are left out on purpose: a classification
 * then depends on these fields alone, so failures with equal fields are classified once
 * ({@link Classifier}), which on a large log is most of them.
 */
@SessionFact
@ClassReactive // classify() is no bean setter: property reactivity would not see it change crashClass
public final class Failure {
    /** Rule metadata key naming the crash class a rule assigns: {@code @class("dispatch_routing")}. */
    public static final String CLASS_METADATA = "class";

    private final String reasonCode;
    /** The folded reason code, made when a rule first asks: most failures equal one classified before. */
    private String reason;
    private final String packetId;
    private final String suiteId;
    private final String scenarioId;
    private final String fixtureId;
    private final String mode;
    private final String outcome;
    private final String envFingerprint;
    private final String replayCommand;
    private final String maskedReasonCode;
    private String crashClass;
    private String rule;

    /** The fields of {@code entry} the rules may see; its seed, timestamp and artifacts stay out. */
    public Failure(LogEntry entry) {
        this(entry, ReasonMasks.NONE);
    }

    /** As {@link #Failure(LogEntry)}, with the reason code also masked when policy declares masks. */
    public Failure(LogEntry entry, ReasonMasks masks) {
        this.maskedReasonCode = masks.enabled() ? masks.apply(entry.reasonCode()) : null;
        this.reasonCode = entry.reasonCode();
        this.packetId = entry.packetId();
        this.suiteId = entry.suiteId();
        this.scenarioId = entry.scenarioId();
        this.fixtureId = entry.fixtureId();
        this.mode = entry.mode();
        this.outcome = entry.outcome();
        this.envFingerprint = entry.envFingerprint();
        this.replayCommand = entry.replayCommand();
    }

    private Failure(Failure other) {
        this.maskedReasonCode = other.maskedReasonCode;
        this.reasonCode = other.reasonCode;
        this.reason = other.reason;
        this.packetId = other.packetId;
        this.suiteId = other.suiteId;
        this.scenarioId = other.scenarioId;
        this.fixtureId = other.fixtureId;
        this.mode = other.mode;
        this.outcome = other.outcome;
        this.envFingerprint = other.envFingerprint;
        this.replayCommand = other.replayCommand;
    }

    /** A failure with the same logged fields, not yet classified: to run the rules over it again. */
    Failure unclassified() {
        return new Failure(this);
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

    /** The reason code with ASCII letters lowercased: what patterns match against. */
    public String getReason() {
        if (reason == null) {
            reason = foldAsciiCase(reasonCode);
        }
        return reason;
    }

    /** The reason code exactly as logged. */
    public String getReasonCode() {
        return reasonCode;
    }

    /**
     * The reason code after the policy's masks: what folding and the incident id use when
     * masks are on; null when policy declares none. Rules still match the logged one.
     */
    public String getMaskedReasonCode() {
        return maskedReasonCode;
    }

    public String getPacketId() {
        return packetId;
    }

    public String getSuiteId() {
        return suiteId;
    }

    public String getScenarioId() {
        return scenarioId;
    }

    public String getFixtureId() {
        return fixtureId;
    }

    public String getMode() {
        return mode;
    }

    public String getOutcome() {
        return outcome;
    }

    public String getEnvFingerprint() {
        return envFingerprint;
    }

    public String getReplayCommand() {
        return replayCommand;
    }

    /** Null until a rule classifies this failure. */
    public String getCrashClass() {
        return crashClass;
    }

    /** Name of the rule that classified this failure, or null. */
    public String getRule() {
        return rule;
    }

    /** Same logged fields (what the rules see), so the same classification. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Failure that && reasonCode.equals(that.reasonCode) && packetId.equals(that.packetId)
                && suiteId.equals(that.suiteId) && scenarioId.equals(that.scenarioId)
                && fixtureId.equals(that.fixtureId) && mode.equals(that.mode) && outcome.equals(that.outcome)
                && envFingerprint.equals(that.envFingerprint) && replayCommand.equals(that.replayCommand);
    }

    @Override
    public int hashCode() {
        // Objects.hash without its array: every failure of a large log is hashed.
        int h = reasonCode.hashCode();
        h = 31 * h + packetId.hashCode();
        h = 31 * h + suiteId.hashCode();
        h = 31 * h + scenarioId.hashCode();
        h = 31 * h + fixtureId.hashCode();
        h = 31 * h + mode.hashCode();
        h = 31 * h + outcome.hashCode();
        h = 31 * h + envFingerprint.hashCode();
        return 31 * h + replayCommand.hashCode();
    }

    @Override
    public String toString() {
        return "Failure[reason_code=" + reasonCode + ", class=" + crashClass + "]";
    }
}
