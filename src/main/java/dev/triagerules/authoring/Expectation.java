package dev.triagerules.authoring;

/**
 * What a test case expects. Only {@code crashClass} is required; null fields are not checked.
 *
 * @param owner the class's {@code owner_hint} in policy
 * @param rule  the name of the rule that must classify the failure
 */
public record Expectation(String crashClass, String severity, String owner, String rule) {
}
