#!/usr/bin/env python3
"""Generate a synthetic JSONL forensic log (StructuredCaseLog lines) for examples and benchmarks.

    generate-log.py --entries 300000 --fail-rate 0.10 [--seed 1] [--pad-bytes 900] > log.jsonl

Deterministic for a given seed. Failing entries draw reason codes that exercise every
crash class of both shipped rule packs (and their precedence overlaps); a scenario that
fails may pass in other entries, like a flaky test. --pad-bytes adds an extra field of
that size to each line, to reach realistic line lengths (upstream lines carry long
artifact lists); the tool ignores extra fields.
"""
import argparse
import json
import random
import sys

PACKETS = [f"FT-P2C-00{i}" for i in range(1, 9)]
SUITES = ["dispatch_key", "autograd_scheduler", "serialization", "tensor_meta", "scalar_dag",
          "nn_state", "optimizer_state", "op_schema"]
MODES = ["strict", "hardened"]
FAILURE_CODES = [
    # oracle_infra (v1: any "oracle"; head: with unavailable/timeout)
    "legacy_oracle_unavailable", "legacy_oracle_timeout_bounded", "oracle_guard_skip",
    # autograd_state (critical)
    "reentrant_depth_overflow", "dependency_cycle_detected", "unknown_node_reference",
    "Scheduler_Queue_Stall", "oracle_reentrant_hang",
    # dispatch_routing
    "dispatch_expectation_mismatch", "Dispatch_Keyset_Mismatch", "fallback_path_unexpected",
    "oracle_dispatch_error", "scheduler_dispatch_conflict", "dispatch_index_mismatch",
    # serialization_parser
    "decode_failure", "checksum_mismatch", "unknown_field_rejected", "invalid_json_payload",
    "version_mismatch",
    # tensor_meta_state
    "rank_mismatch", "index_out_of_bounds", "stride_overflow", "TENSOR_META_drift",
    # head-only classes (unclassified under v1)
    "op_schema_parse_expectation_mismatch", "schema_alias_conflict", "scalar_math_drift",
    "tensor_reduction_drift", "nn_state_hook_trace_mismatch", "optimizer_step_mismatch",
    # unclassified everywhere
    "totally_unknown_reason_code", "schema_only_drift",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, required=True)
    parser.add_argument("--fail-rate", type=float, default=0.10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scenarios", type=int, default=400, help="distinct scenarios per suite")
    parser.add_argument("--failing-scenarios", type=int, default=300,
                        help="failures recur on this many scenarios, so they fold into incidents")
    parser.add_argument("--pad-bytes", type=int, default=0)
    parser.add_argument("--demo-replays", action="store_true",
                        help="replay commands run examples/replay-demo.sh (runnable anywhere)")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    pad = "x" * args.pad_bytes
    out = sys.stdout
    write = out.write
    def scenario():
        return (PACKETS[rng.randrange(len(PACKETS))], SUITES[rng.randrange(len(SUITES))],
                MODES[rng.randrange(2)], rng.randrange(args.scenarios))

    # Failing scenarios, each with the failure it usually shows.
    failing = [(scenario(), FAILURE_CODES[i % len(FAILURE_CODES)]) for i in range(args.failing_scenarios)]
    ts = 1771275651615
    for i in range(args.entries):
        failed = rng.random() < args.fail_rate
        if failed:
            (packet, suite, mode, case), code = failing[rng.randrange(len(failing))]
            if rng.random() < 0.1:
                code = FAILURE_CODES[rng.randrange(len(FAILURE_CODES))]
            outcome = "fail" if rng.random() < 0.9 else "error"
        else:
            packet, suite, mode, case = scenario()
            code, outcome = "parity_ok", "pass"
        entry = {
            "schema_version": "ft-conformance-log-v1",
            "ts_unix_ms": ts + i * 3,
            "suite_id": suite,
            "scenario_id": f"{suite}/{mode}:case_{case}",
            "fixture_id": f"{suite}_cases.json",
            "packet_id": packet,
            "mode": mode,
            "seed": rng.getrandbits(64),
            "env_fingerprint": "det64:%016x" % ((PACKETS.index(packet) * 0x9E3779B97F4A7C15 + MODES.index(mode)) & 0xFFFFFFFFFFFFFFFF),
            "artifact_refs": [f"crates/ft-conformance/fixtures/{suite}_cases.json",
                              f"artifacts/phase2c/{packet}/parity_report.json"],
            "replay_command": (f"sh examples/replay-demo.sh --packet {packet} --scenario {suite}/{mode}:case_{case}"
                               if args.demo_replays else
                               f"cargo run -p ft-conformance --bin run_e2e_matrix -- --mode {mode} --packet {packet} --scenario {suite}/{mode}:case_{case}"),
            "outcome": outcome,
            "reason_code": code,
        }
        if pad:
            entry["forensic_padding"] = pad
        write(json.dumps(entry, separators=(",", ":")))
        write("\n")


if __name__ == "__main__":
    main()
