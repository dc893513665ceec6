"""Benchmark the Salesforce connector against the lab (never run by pytest).

    .venv/bin/python bench/salesforce/bench_collect.py speed --users 2000 --latency-ms 50
    .venv/bin/python bench/salesforce/bench_collect.py memory --users 50000

`speed` collects the same lab with concurrency 16 (the default), 8 and 1, interleaved, and prints median
wall time, API calls and the collecting process's CPU time.
`memory` runs one collection in a child process and prints its peak RSS (the lab runs in another process).
The lab always runs as `crmsec lab serve` in a subprocess, so its memory and CPU are not counted.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import anyio

from crmsec import engine
from crmsec.target import Secret, Target


def start_lab(users: int, latency_ms: float) -> tuple[subprocess.Popen[str], dict[str, str]]:
    command = [
        str(Path(sys.executable).with_name("crmsec")),
        "lab",
        "serve",
        "--scenario",
        "misconfigured",
        "--users",
        str(users),
        "--latency-ms",
        str(latency_ms),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    return process, json.loads(process.stdout.readline())


def target(lab: dict[str, str], concurrency: int) -> Target:
    return Target(
        platform="salesforce",
        url=lab["url"],
        secret=Secret(lab["token"]),
        ca_bundle=Path(lab["ca_bundle"]),
        options={"concurrency": str(concurrency), "tls_scan": "false"},
    )


def collect_once(lab: dict[str, str], concurrency: int) -> tuple[float, int, int, float]:
    """(wall seconds, API calls, item errors, CPU seconds of this process) of one collection."""
    started, cpu = time.perf_counter(), time.process_time()
    snapshot = anyio.run(engine.collect, target(lab, concurrency))
    errors = sum(1 for item in snapshot.items.values() if item.error is not None)
    return time.perf_counter() - started, snapshot.metadata.api_calls, errors, time.process_time() - cpu


def speed(users: int, latency_ms: float, rounds: int) -> None:
    """Concurrency 16 (the default), 8 and 1, interleaved for `rounds` rounds; medians are compared."""
    process, lab = start_lab(users, latency_ms)
    levels = (16, 8, 1)
    runs: dict[int, list[tuple[float, int, int, float]]] = {level: [] for level in levels}
    try:
        collect_once(lab, 16)  # warm-up: imports, the lab's query cache, the client's SSL context
        for _ in range(rounds):
            for level in levels:
                runs[level].append(collect_once(lab, level))
    finally:
        process.terminate()
        process.wait(10)
    print(f"users={users} latency_ms={latency_ms} rounds={rounds} (medians)")
    medians = {level: statistics.median(run[0] for run in runs[level]) for level in levels}
    for level in levels:
        calls = sorted({run[1] for run in runs[level]})
        errors = sorted({run[2] for run in runs[level]})
        cpu = statistics.median(run[3] for run in runs[level])
        print(
            f"concurrency {level:2d}: {medians[level]:.2f} s, API calls {calls}, item errors {errors}, CPU {cpu:.2f} s"
        )
    for level in (16, 8):
        print(f"speed-up {level} vs 1: {medians[1] / medians[level]:.1f}x")


def memory(users: int) -> None:
    process, lab = start_lab(users, 0)
    try:
        child = subprocess.run(
            [sys.executable, __file__, "_collect", json.dumps(lab)], check=True, capture_output=True, text=True
        )
    finally:
        process.terminate()
        process.wait(10)
    print(child.stdout.strip())


def _collect_child(lab_json: str) -> None:
    seconds, calls, errors, _cpu = collect_once(json.loads(lab_json), 16)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"collection: {seconds:.1f} s, {calls} API calls, {errors} item errors, peak RSS {peak_mb:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["speed", "memory", "_collect"])
    parser.add_argument("lab", nargs="?")
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    if arguments.mode == "speed":
        speed(arguments.users, arguments.latency_ms, arguments.rounds)
    elif arguments.mode == "memory":
        memory(arguments.users)
    else:
        _collect_child(arguments.lab)


if __name__ == "__main__":
    main()
