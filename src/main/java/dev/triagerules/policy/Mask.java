package dev.triagerules.policy;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One entry of the policy key {@code masks}: text matching {@code pattern} (a Java regular
 * expression) is replaced by {@code replacement}, taken literally.
 */
public record Mask(@JsonProperty("pattern") String pattern, @JsonProperty("replacement") String replacement) {
}
