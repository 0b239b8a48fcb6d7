#!/usr/bin/env bash
# Benchmark of the incident ledger (SQLite):
#   1. the cost of a triage run that records into a ledger (--ledger), against the same run
#      without (300,000-entry bench log; whole `triage-rules` processes, in $RUNS alternating
#      pairs, default 3, so that a change in the machine's load hits both alike; medians);
#   2. `triage-rules ledger incidents` on a ledger of 1,000 recorded runs, and the ledger's
#      size per run (skipped with INGEST_ONLY=1). The ledgers are filled through the test
#      driver LedgerBench, which records runs without a JVM start each.
# Logs come from bench/generate-log.py into $BENCH_DIR (default /tmp/triage-bench), reused.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
dir="${BENCH_DIR:-/tmp/triage-bench}"
runs="${RUNS:-3}"
filled_runs="${FILL_RUNS:-1000}"
mkdir -p "$dir"
command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }

gen() { # entries fail-rate pad seed file
  [ -s "$5" ] || python3 "$here/bench/generate-log.py" --entries "$1" --fail-rate "$2" --pad-bytes "$3" --seed "$4" >"$5"
}
gen 300000 0.10 600 11 "$dir/300k.jsonl"
for seed in $(seq 1 10); do gen 30000 0.10 600 "$seed" "$dir/30k-$seed.jsonl"; done

(cd "$here" && mvn -B -q -DskipTests package test-compile) >/dev/null
# The tool as just built: a source edited meanwhile must not make the launcher rebuild mid-run.
export TRIAGE_RULES_BUILD=0
# With the class-data archive, as on a user's machine, even where CI=true would skip it.
export TRIAGE_RULES_CDS="${TRIAGE_RULES_CDS:-1}"
export XDG_CACHE_HOME="$dir/cache"
cp="$here/target/triage-rules.jar:$here/target/lib/*:$here/target/test-classes"
# The launcher's JVM flags (bin/triage-rules), without its class-data archive (it does not
# cover the test driver): both cases run alike.
java_run=(java -XX:+UseSerialGC -Xms128m -XX:TieredStopAtLevel=1 -Dtriage.home="$here" -cp "$cp")
cd "$here"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

measure() { # label, then the command
  local label="$1"; shift
  local results=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M %U %S" -o "$dir/time.txt" "$@" >/dev/null
    results+=("$(cat "$dir/time.txt")")
  done
  # Medians of wall time and of CPU time (user + system): on a shared machine the CPU
  # time is the steadier measure of the work done.
  local wall cpu rss
  wall=$(printf '%s\n' "${results[@]}" | awk '{ print $1 }' | median)
  cpu=$(printf '%s\n' "${results[@]}" | awk '{ print $3 + $4 }' | median)
  rss=$(printf '%s\n' "${results[@]}" | awk '{ print $2 }' | median)
  printf '%-48s wall %6.2f s   cpu %6.2f s   peak RSS %5.0f MiB\n' "$label" "$wall" "$cpu" "$((rss / 1024))"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | sed -n 1p), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "openssl: $(command -v openssl || echo 'not installed (JDK SHA-256: much slower under C1)')"

# The main command as users run it: the launcher, with its JVM flags and class-data archive
# (trained on ledger runs too). The first two runs warm the rule cache and create the ledger.
main_run=(bin/triage-rules -q --input "$dir/300k.jsonl" --output "$dir/out.json")
rm -f "$dir/ingest.db"*
"${main_run[@]}" && "${main_run[@]}" --ledger "$dir/ingest.db"
plain=() ledger=()
for _ in $(seq "$runs"); do
  /usr/bin/time -f "%e %M %U %S" -o "$dir/time.txt" "${main_run[@]}"; plain+=("$(cat "$dir/time.txt")")
  /usr/bin/time -f "%e %M %U %S" -o "$dir/time.txt" "${main_run[@]}" --ledger "$dir/ingest.db"; ledger+=("$(cat "$dir/time.txt")")
done
report() { # label, then the "wall rss user sys" lines
  local label="$1"; shift
  local wall cpu rss
  wall=$(printf '%s\n' "$@" | awk '{ print $1 }' | median)
  cpu=$(printf '%s\n' "$@" | awk '{ print $3 + $4 }' | median)
  rss=$(printf '%s\n' "$@" | awk '{ print $2 }' | median)
  printf '%-48s wall %6.2f s   cpu %6.2f s   peak RSS %5.0f MiB\n' "$label" "$wall" "$cpu" "$((rss / 1024))"
}
report "300,000 entries, plain run" "${plain[@]}"
report "300,000 entries, --ledger (SQLite)" "${ledger[@]}"
echo "pairs (wall s, cpu s: plain | ledger):"
for i in "${!plain[@]}"; do
  echo "${plain[$i]} | ${ledger[$i]}" | awk -F'|' '{ split($1, p, " "); split($2, l, " ");
    printf "  %.2f %.2f | %.2f %.2f   cpu ratio %.2f\n", p[1], p[3] + p[4], l[1], l[3] + l[4], (l[3] + l[4]) / (p[3] + p[4]) }'
done
[ "${INGEST_ONLY:-}" = 1 ] && exit 0

# Two histories of $filled_runs runs of 30,000 entries (10 % failing) each:
#   steady: every run the same log, as when the same failures recur run after run;
#   churn:  ten logs with different failing scenarios in turn, so that every run resolves
#           and regresses hundreds of incidents (a worst case for the ledger's size).
# Build the launcher's class-data archive on an empty ledger (read commands make none, and
# refuse one an older build left with an older schema).
rm -f "$dir/empty.db"*
bin/triage-rules ledger migrate --ledger "$dir/empty.db" >/dev/null
bin/triage-rules ledger runs --ledger "$dir/empty.db" >/dev/null
for history in steady churn; do
  rm -f "$dir/$history.db"*
  logs=("$dir/30k-1.jsonl")
  [ "$history" = churn ] && for seed in $(seq 2 10); do logs+=("$dir/30k-$seed.jsonl"); done
  "${java_run[@]}" dev.triagerules.ledger.LedgerBench fill "$dir/$history.db" "$filled_runs" "${logs[@]}"
  measure "ledger incidents, $history, $filled_runs runs" bin/triage-rules ledger incidents --ledger "$dir/$history.db"
  measure "ledger incidents --json, $history" bin/triage-rules ledger incidents --json --ledger "$dir/$history.db"
  bytes=$(cat "$dir/$history.db"* | wc -c)
  echo "$history ledger: $(bin/triage-rules ledger incidents --ledger "$dir/$history.db" | tail -n +2 | wc -l) incidents, $((bytes / 1024 / 1024)) MiB, $((bytes / filled_runs / 1024)) KiB per run"
done
