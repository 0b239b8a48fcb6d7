package dev.triagerules.history;

/** What a flaky-or-deterministic verdict is about: one scenario of one packet in one mode. */
public record ScenarioKey(String packetId, String suiteId, String scenarioId, String mode) {
}
