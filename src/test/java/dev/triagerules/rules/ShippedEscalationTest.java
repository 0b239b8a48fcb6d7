package dev.triagerules.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triagerules.engine.Incident;
import dev.triagerules.policy.Escalation;
import org.junit.jupiter.api.Test;

/**
 * What the rule tables cannot say: the escalation a classified failure carries, from the
 * shipped policy. Every other rule case lives in the tables ({@code rules/tests/*.yaml},
 * run by {@code authoring.RuleTableTest}).
 */
class ShippedEscalationTest {

    @Test
    void aCriticalClassIsEscalatedWithItsBeadAndNeedsATranscript() {
        Incident incident = Packs.classify(Packs.v1(), "dependency_cycle_detected");
        assertThat(incident.getCrashClass()).isEqualTo("autograd_state");
        Escalation escalation = incident.getEscalation();
        assertThat(escalation).isNotNull();
        assertThat(escalation.escalateImmediately()).isTrue();
        assertThat(escalation.linkedBeadId()).isEqualTo("bd-3v0.7");
        assertThat(escalation.replayTranscriptRequired()).isTrue();
    }

    @Test
    void theCatchAllIsNotEscalated() {
        Incident incident = Packs.classify(Packs.v1(), "mystery");
        assertThat(incident.getCrashClass()).isEqualTo("unclassified");
        assertThat(incident.getEscalation()).isNull();
    }
}
