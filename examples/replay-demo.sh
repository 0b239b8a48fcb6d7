#!/bin/sh
# Stands in for the conformance suite in the bundled example log's replay commands, so
# that `triage-rules replay` can be tried anywhere (see docs/replay-and-gate.md). It
# reads what replay puts in the environment; exit 1 means "the failure came back".
# Scenarios ending in case_3 fail on odd attempts only: a flaky replay.
echo "replaying $TRIAGE_INCIDENT_ID: $TRIAGE_PACKET_ID $TRIAGE_SCENARIO_ID ($TRIAGE_MODE)" \
     "seed $TRIAGE_SEED, attempt $TRIAGE_ATTEMPT"
case "$TRIAGE_SCENARIO_ID" in
  *case_3) [ $((TRIAGE_ATTEMPT % 2)) -eq 1 ] && exit 1 || exit 0 ;;
esac
echo "assertion failed: expected parity with the reference" >&2
exit 1
