#!/usr/bin/env python3
"""Side-by-side benchmark of triage-rules and the upstream tool (run it as bench/run.sh).

    REF=/path/to/ref-v1 bench/run.sh [--huge] [--only CASE,...] [--list]

Runs the two tools in alternating pairs (A B A B ...) on the same log and prints, per
case, each tool's median wall time, CPU time (user + sys) and peak RSS, the median of
the per-pair ratios, and the goal of issue 17 with met / not met. The machine is shared
and its speed drifts: only ratios of runs made next to each other mean anything.

Without REF it times triage-rules alone. Environment:
  REF         the upstream binary (bench/README: docs/performance.md, "Building the reference")
  PAIRS       pairs per case (default 5; the small case runs twice as many)
  HUGE_PAIRS  pairs for the 3,000,000-entry case (default 3)
  BENCH_DIR   where generated logs are kept and reused (default /tmp/triage-bench)
  TRIAGE      the launcher to time (default bin/triage-rules of this checkout)
  JAVA        the java whose -version is timed (default: the one on PATH, which the launcher runs)
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# A real upstream log (254 entries, all passing), copied from the upstream project so that
# the benchmark needs nothing beside the checkout but the reference binary.
REAL_SMALL_LOG = os.path.join(HERE, "bench", "logs", "e2e_matrix_gate_window_v1.jsonl")
GNU_TIME = "/usr/bin/time"

# The goals of issue 17: (case, metric) -> (comparison, bound, text).
RATIO_GOALS = {
    ("300k", "wall"): 0.8,
    ("300k", "cpu"): 1.2,
    ("300k", "rss"): 0.3,
    ("3m", "wall"): 0.4,
}
SMALL_VS_JAVA_VERSION_GOAL = 10.0
HUGE_RSS_GOAL_MIB = 400
# "Flat in entries": ten times the entries may cost at most this much more peak RSS.
FLAT_RSS_GROWTH = 1.25


class Case:
    def __init__(self, key, label, log, args=(), with_ref=True, before_each=None, pairs=None):
        self.key, self.label, self.log, self.args = key, label, log, list(args)
        self.with_ref, self.before_each, self.pairs = with_ref, before_each, pairs


class Run:
    """One timed process: wall (s, from this harness), CPU (user + sys, s) and peak RSS (KiB) from GNU time."""

    def __init__(self, wall, user, sys_, rss_kib):
        self.wall, self.cpu, self.rss = wall, user + sys_, rss_kib / 1024.0


def timed(command, scratch, env=None):
    # GNU time's own %e has 10 ms resolution, too coarse for java -version's ~30 ms: the
    # wall time is taken here around it (the extra fork costs both sides the same ~1 ms).
    time_file = os.path.join(scratch, "time.txt")
    err_file = os.path.join(scratch, "stderr.txt")
    with open(err_file, "wb") as err:
        start = time.perf_counter()
        status = subprocess.call([GNU_TIME, "-f", "%e %U %S %M", "-o", time_file] + command,
                                 stdout=subprocess.DEVNULL, stderr=err, env=env)
        wall = time.perf_counter() - start
    if status != 0:
        with open(err_file, errors="replace") as err:
            sys.exit("bench: %s exited with %d:\n%s" % (" ".join(command), status, err.read()[-4000:]))
    with open(time_file) as f:
        fields = f.read().split()[-4:]
    return Run(wall, float(fields[1]), float(fields[2]), float(fields[3]))


def generate(entries, path):
    if os.path.exists(path) and os.path.getsize(path) > 0:
        return path
    print("bench: generating %s (%d entries) ..." % (path, entries), file=sys.stderr)
    partial = path + ".partial"
    with open(partial, "wb") as out:
        subprocess.check_call([sys.executable, os.path.join(HERE, "bench", "generate-log.py"),
                               "--entries", str(entries), "--fail-rate", "0.10", "--pad-bytes", "600",
                               "--seed", "11"], stdout=out)
    os.replace(partial, path)
    return path


def machine(java):
    cpu = platform.processor() or "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        ram_gib = int(f.readline().split()[1]) / (1 << 20)
    version = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()
    jdk = version[1] if len(version) > 1 else version[0]
    return "%d cores, %.0f GiB, %s, %s" % (os.cpu_count(), ram_gib, cpu, jdk.strip())


def median(values):
    return statistics.median(values)


def fmt_time(seconds):
    return "%.3f s" % seconds if seconds < 0.1 else "%.2f s" % seconds


def fmt_rss(mib):
    return "%.0f MiB" % mib if mib < 4096 else "%.1f GiB" % (mib / 1024)


def reports_agree(ours_path, ref_path):
    """The upstream report's keys, values and incident order, as in ../shared/golden (time and path aside)."""
    with open(ours_path) as f:
        ours = json.load(f)
    with open(ref_path) as f:
        ref = json.load(f)
    difference = first_difference(ours, ref, "$", ("generated_unix_ms", "input_log_path"))
    return "DIFFER at " + difference if difference else "agree (%d incidents)" % len(ref.get("incidents", []))


def first_difference(ours, ref, path, ignored=()):
    """Where ours lacks or changes what ref has (keys triage-rules adds are fine), or None."""
    if isinstance(ref, dict):
        if not isinstance(ours, dict):
            return path
        for key, value in ref.items():
            if key not in ignored:
                difference = first_difference(ours.get(key), value, "%s.%s" % (path, key))
                if difference:
                    return difference
        return None
    if isinstance(ref, list):
        if not isinstance(ours, list) or len(ours) != len(ref):
            return path
        for i, (mine, theirs) in enumerate(zip(ours, ref)):
            difference = first_difference(mine, theirs, "%s[%d]" % (path, i))
            if difference:
                return difference
        return None
    return None if type(ours) is type(ref) and ours == ref else path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--huge", action="store_true", help="add the 3,000,000-entry case (3.7 GB)")
    parser.add_argument("--only", help="comma-separated case keys (see --list)")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    options = parser.parse_args()

    ref = os.environ.get("REF") or None
    if ref and not os.access(ref, os.X_OK):
        sys.exit("bench: REF=%s is not an executable file" % ref)
    if not os.access(GNU_TIME, os.X_OK):
        sys.exit("bench: needs GNU time at %s (apt-get install time)" % GNU_TIME)
    bench_dir = os.environ.get("BENCH_DIR", "/tmp/triage-bench")
    cases = all_cases(bench_dir, int(os.environ.get("PAIRS", "5")), int(os.environ.get("HUGE_PAIRS", "3")))
    if options.list:
        for case in cases:
            print("%-10s %s" % (case.key, case.label))
        return 0
    wanted = options.only.split(",") if options.only else [c.key for c in cases if c.key != "3m" or options.huge]
    unknown = set(wanted) - {c.key for c in cases}
    if unknown:
        sys.exit("bench: unknown case %s (see --list)" % ", ".join(sorted(unknown)))
    cases = [c for c in cases if c.key in wanted]
    os.makedirs(bench_dir, exist_ok=True)
    scratch = tempfile.mkdtemp(prefix="run-", dir=bench_dir)  # this run's outputs, cache and rules copy
    try:
        return benchmark(cases, ref, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def all_cases(bench_dir, pairs, huge_pairs):
    real_small = os.path.isfile(REAL_SMALL_LOG)
    small_log = os.path.normpath(REAL_SMALL_LOG) if real_small else os.path.join(bench_dir, "small-254.jsonl")
    small_label = "254-entry real log" if real_small else "254-entry generated log"
    log_300k = os.path.join(bench_dir, "300k.jsonl")
    return [
        Case("small", small_label, small_log, pairs=2 * pairs),
        Case("300k", "300,000 entries, 370 MB", log_300k, pairs=pairs),
        Case("3m", "3,000,000 entries, 3.7 GB", os.path.join(bench_dir, "3m.jsonl"), pairs=huge_pairs),
        # {rules} is this run's copy of rules/, edited before each run so the cache misses.
        Case("rule-edit", "254 entries, first run after a rule edit", small_log, ["--rules", "{rules}"],
             with_ref=False, before_each=lambda rules: append(os.path.join(rules, "unclassified.drl")), pairs=pairs),
        Case("no-cache", "254 entries, --no-cache", small_log, ["--no-cache"], with_ref=False, pairs=pairs),
        Case("history", "300,000 entries, --history (verdicts)", log_300k, ["--history"], with_ref=False,
             pairs=pairs),
    ]


def benchmark(cases, ref, scratch):
    triage = os.environ.get("TRIAGE", os.path.join(HERE, "bin", "triage-rules"))
    java = os.environ.get("JAVA") or shutil.which("java") or "java"
    sizes = {"small-254.jsonl": 254, "300k.jsonl": 300_000, "3m.jsonl": 3_000_000}
    for case in cases:
        if case.log != os.path.normpath(REAL_SMALL_LOG):
            generate(sizes[os.path.basename(case.log)], case.log)
    rules = os.path.join(scratch, "rules")
    shutil.copytree(os.path.join(HERE, "rules"), rules)
    env = dict(os.environ, XDG_CACHE_HOME=os.path.join(scratch, "cache"))
    # As users run it on their machines, with the class-data archive, even where CI=true
    # would have the launcher skip making one.
    env.setdefault("TRIAGE_RULES_CDS", "1")
    ours_out = os.path.join(scratch, "ours.json")
    ref_out = os.path.join(scratch, "ref.json")

    def ours(case):
        return [triage, "-q", "--input", case.log, "--output", ours_out] + [a.replace("{rules}", rules)
                                                                            for a in case.args]

    def upstream(case):
        return [ref, "--input", case.log, "--output", ref_out]

    print("bench/run.sh, %s UTC, %s" % (datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"),
                                         machine(java)))
    print("load average at start: %s" % load_average())
    print("upstream: %s" % (ref or "not given (REF=...), triage-rules alone"))
    for log in dict.fromkeys(case.log for case in cases):
        print("log: %s (%.0f MB)" % (log, os.path.getsize(log) / 1e6))
    # Builds the jar and the CDS archive when needed, and fills the compiled-rules cache.
    timed(ours(cases[0]), scratch, env)
    # From here on the tool as built: a source edited during the benchmark must not make the
    # launcher rebuild in the middle of a pair (it did once, and voided that pair).
    env["TRIAGE_RULES_BUILD"] = "0"

    results = {}
    agree = True
    for case in cases:
        with_ref = case.with_ref and ref is not None
        # Untimed warm-up of each side: the page cache holds the log, the rules cache is filled.
        timed(ours(case), scratch, env)
        if with_ref:
            timed(upstream(case), scratch, env)
            verdict = reports_agree(ours_out, ref_out)
            agree &= verdict.startswith("agree")
            print("%s: the two reports %s" % (case.label, verdict))
        mine, theirs, java_version = [], [], []
        for _ in range(case.pairs):
            if case.before_each:
                case.before_each(rules)
            mine.append(timed(ours(case), scratch, env))
            if with_ref:
                theirs.append(timed(upstream(case), scratch, env))
            if case.key == "small":
                java_version.append(timed([java, "-version"], scratch, env))
        results[case.key] = (case, mine, theirs, java_version)
        print("  %s: done" % case.label, file=sys.stderr)

    print("load average at end: %s" % load_average())
    print()
    print_side_by_side(results, ref)
    print_alone(results)
    if not agree:
        print("bench: the reports differ (see above): these timings compare different work", file=sys.stderr)
        return 1
    return 0


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def append(path):
    with open(path, "a") as f:
        f.write("// edit %d\n" % time.monotonic_ns())


def print_side_by_side(results, ref):
    print("| case | metric | triage-rules | upstream | ratio | goal | |")
    print("|---|---|---:|---:|---:|---|---|")
    for key in ("small", "300k", "3m"):
        if key not in results:
            continue
        case, mine, theirs, java_version = results[key]
        for metric, name, fmt in (("wall", "wall", fmt_time), ("cpu", "CPU (user + sys)", fmt_time),
                                  ("rss", "peak RSS", fmt_rss)):
            ours_median = median([getattr(r, metric) for r in mine])
            if theirs and all(getattr(b, metric) > 0 for b in theirs):
                ratio = median([getattr(a, metric) / getattr(b, metric) for a, b in zip(mine, theirs)])
                theirs_median = fmt(median([getattr(r, metric) for r in theirs]))
                ratio_text = "%.2f ×" % ratio
            elif theirs:  # below GNU time's 10 ms resolution
                ratio, theirs_median, ratio_text = None, fmt(median([getattr(r, metric) for r in theirs])), "—"
            else:
                ratio, theirs_median, ratio_text = None, "—", "—"
            goal, verdict = "", ""
            bound = RATIO_GOALS.get((key, metric))
            if bound is not None:
                goal = "≤ %.1f ×" % bound
                verdict = "—" if ratio is None else ("met" if ratio <= bound else "**not met**")
            if key == "3m" and metric == "rss":
                goal, verdict = huge_rss_goal(ours_median, results)
            print("| %s | %s | %s | %s | %s | %s | %s |" % (case.label, name, fmt(ours_median), theirs_median,
                                                           ratio_text, goal, verdict))
        if java_version:
            ratio = median([a.wall / b.wall for a, b in zip(mine, java_version)])
            print("| %s | wall / `java -version` | %s | %s (`java -version`) | %.1f × | ≤ %.0f × | %s |" % (
                case.label, fmt_time(median([r.wall for r in mine])), fmt_time(median([r.wall for r in java_version])),
                ratio, SMALL_VS_JAVA_VERSION_GOAL, "met" if ratio <= SMALL_VS_JAVA_VERSION_GOAL else "**not met**"))
            if all(b.cpu > 0 for b in java_version):  # not a goal; steadier than wall on a busy machine
                print("| %s | CPU / `java -version` | %s | %s (`java -version`) | %.1f × | | |" % (
                    case.label, fmt_time(median([r.cpu for r in mine])), fmt_time(median([r.cpu for r in java_version])),
                    median([a.cpu / b.cpu for a, b in zip(mine, java_version)])))
    print()
    if ref is None:
        print("(no REF: ratios against the upstream tool not measured)")
        print()
    else:
        print_spread(results)


def print_spread(results):
    """The per-pair ratios' range, the upstream tool's own range, and the ratio of the two medians.

    The table's ratio is the median of the per-pair ratios: each pair ran side by side, so
    a drift in the machine's speed cancels within it. The ratio of the two tools' medians
    is printed too: with a handful of pairs the two statistics differ by the noise (0.74 ×
    against 0.81 × wall in one run), and the verdict stays with the per-pair one.
    """
    lines = []
    for key in ("300k", "3m"):
        if key not in results or not results[key][2]:
            continue
        case, mine, theirs, _ = results[key]
        parts = []
        for metric, name in (("wall", "wall"), ("cpu", "CPU")):
            if all(getattr(b, metric) > 0 for b in theirs):
                ratios = [getattr(a, metric) / getattr(b, metric) for a, b in zip(mine, theirs)]
                own = [getattr(r, metric) for r in theirs]
                of_medians = median([getattr(a, metric) for a in mine]) / median(own)
                parts.append("%s %.2f–%.2f × (upstream %s–%s; ratio of the medians %.2f ×)" % (
                    name, min(ratios), max(ratios), fmt_time(min(own)), fmt_time(max(own)), of_medians))
        lines.append("- %s, %d pairs: %s" % (case.label, len(theirs), "; ".join(parts)))
    if lines:
        print("Per-pair ratios, lowest to highest:")
        print("\n".join(lines))
        print()


def huge_rss_goal(huge_mib, results):
    goal = "≤ %d MiB, flat in entries" % HUGE_RSS_GOAL_MIB
    if "300k" not in results:
        return goal + " (300k case not run)", "met" if huge_mib <= HUGE_RSS_GOAL_MIB else "**not met**"
    base = median([r.rss for r in results["300k"][1]])
    growth = huge_mib / base
    met = huge_mib <= HUGE_RSS_GOAL_MIB and growth <= FLAT_RSS_GROWTH
    return ("%s (≤ %.2f × the 300k run's: %.2f ×)" % (goal, FLAT_RSS_GROWTH, growth),
            "met" if met else "**not met**")


def print_alone(results):
    alone = [k for k in results if not results[k][0].with_ref]
    if not alone:
        return
    print("| triage-rules alone | wall | CPU (user + sys) | peak RSS |")
    print("|---|---:|---:|---:|")
    for key in alone:
        case, mine, _, _ = results[key]
        print("| %s | %s | %s | %s |" % (case.label, fmt_time(median([r.wall for r in mine])),
                                         fmt_time(median([r.cpu for r in mine])), fmt_rss(median([r.rss for r in mine]))))
    print()


if __name__ == "__main__":
    sys.exit(main())
