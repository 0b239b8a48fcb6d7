#!/usr/bin/env python3
"""Checks upstream reference binaries against the golden set before they are trusted in a benchmark.

    bench/check-ref.py REF_DIR     (REF_DIR holds ref-v1 and ref-head, as build-upstream-ref makes them)

Runs ref-v1 and ref-head on every log of src/test/resources/golden/logs that has an
expected report for their pack (with --packet where the report's name says so) and
compares as the golden tests do: every key the expected report has, same value, time of
the run and input path aside. Exit 0 when all agree, 1 otherwise.
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import HERE, first_difference  # noqa: E402

GOLDEN = os.path.join(HERE, "src", "test", "resources", "golden")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    ref_dir = sys.argv[1]
    failures = 0
    with tempfile.TemporaryDirectory() as scratch:
        out = os.path.join(scratch, "report.json")
        for pack in ("v1", "head"):
            binary = os.path.join(ref_dir, "ref-" + pack)
            if not os.access(binary, os.X_OK):
                print("%s: not an executable file (docs/performance.md, Building the reference)" % binary)
                failures += 1
                continue
            expected_dir = os.path.join(GOLDEN, "expected", pack)
            for name in sorted(os.listdir(expected_dir)):
                stem = name[:-len(".json")]
                log, _, packet = stem.partition(".packet-")
                command = [binary, "--input", os.path.join(GOLDEN, "logs", log + ".jsonl"), "--output", out]
                if packet:
                    command += ["--packet", packet]
                run = subprocess.run(command, capture_output=True, text=True)
                if run.returncode != 0:
                    print("ref-%s %s: exit %d: %s" % (pack, stem, run.returncode, run.stderr.strip()))
                    failures += 1
                    continue
                with open(out) as f:
                    ours = json.load(f)
                with open(os.path.join(expected_dir, name)) as f:
                    expected = json.load(f)
                difference = first_difference(ours, expected, "$", ("generated_unix_ms", "input_log_path"))
                print("ref-%s %s: %s" % (pack, stem, "DIFFERS at " + difference if difference
                                          else "agrees (%d incidents)" % len(expected["incidents"])))
                failures += difference is not None
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
