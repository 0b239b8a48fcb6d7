#!/usr/bin/env python3
"""Compares two command lines in alternating pairs (A B A B ...): medians and per-pair ratios.

    bench/ab.py [--pairs N] [--warmup N] 'A command' 'B command' [...more]

Each command is split like a shell would split it; leading VAR=value words set its
environment. {out} in a command is a scratch output file. With more than two commands,
each round runs them all in order and every ratio is against the first. Used to measure
launcher levers (JVM flags, JDKs) side by side; see docs/performance.md.
"""
import argparse
import os
import shlex
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import timed, fmt_time, fmt_rss  # noqa: E402


def parse(command, out):
    words = shlex.split(command.replace("{out}", out))
    env = dict(os.environ)
    while words and "=" in words[0] and not words[0].startswith("="):
        name, value = words.pop(0).split("=", 1)
        env[name] = value
    return words, env


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs of each command first")
    parser.add_argument("commands", nargs="+")
    options = parser.parse_args()
    if len(options.commands) < 2:
        sys.exit("ab: give at least two commands")
    scratch = tempfile.mkdtemp(prefix="ab-")
    commands = [parse(c, os.path.join(scratch, "out-%d" % i)) for i, c in enumerate(options.commands)]
    for _ in range(options.warmup):
        for words, env in commands:
            timed(words, scratch, env)
    runs = [[] for _ in commands]
    for _ in range(options.pairs):
        for i, (words, env) in enumerate(commands):
            runs[i].append(timed(words, scratch, env))
    print("load average: %s" % " ".join(open("/proc/loadavg").read().split()[:3]))
    print("| command | wall | CPU | peak RSS | wall ratio | CPU ratio | RSS ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for i, command in enumerate(options.commands):
        cells = [fmt_time(statistics.median(r.wall for r in runs[i])),
                 fmt_time(statistics.median(r.cpu for r in runs[i])),
                 fmt_rss(statistics.median(r.rss for r in runs[i]))]
        for metric in ("wall", "cpu", "rss"):
            pairs = [(getattr(a, metric), getattr(b, metric)) for a, b in zip(runs[i], runs[0])]
            cells.append("%.3f" % statistics.median(a / b for a, b in pairs) if all(b > 0 for _, b in pairs)
                         else "—")
        print("| `%s` | %s |" % (command, " | ".join(cells)))


if __name__ == "__main__":
    main()
