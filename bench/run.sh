#!/usr/bin/env bash
# Side-by-side benchmark against the upstream tool; see bench/bench.py and docs/performance.md.
#
#   REF=/path/to/ref-v1 bench/run.sh            254-entry real log, 300,000 entries (370 MB),
#                                               and triage-rules alone: rule edit, --no-cache, --history
#   REF=/path/to/ref-v1 bench/run.sh --huge     also 3,000,000 entries (3.7 GB)
#   bench/run.sh --only 300k                    one case (--list names them); without REF, ours alone
set -euo pipefail
exec python3 "$(dirname "$0")/bench.py" "$@"
