package dev.triagerules.policy;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What happens to an incident of a given severity beyond routing (policy key
 * {@code escalation.<severity>}).
 *
 * @param escalateImmediately      page the owner now rather than at the next triage review
 * @param linkedBeadId             tracking bead every such incident links to (e.g. {@code bd-3v0.7}), or null
 * @param attachArtifactPaths      list the incident's parity artifacts and the e2e log in the report
 * @param replayTranscriptRequired the incident may not be closed without a reproducible replay transcript
 */
public record Escalation(
        @JsonProperty("escalate_immediately") boolean escalateImmediately,
        @JsonProperty("linked_bead_id") String linkedBeadId,
        @JsonProperty("attach_artifact_paths") boolean attachArtifactPaths,
        @JsonProperty("replay_transcript_required") boolean replayTranscriptRequired) {
}
