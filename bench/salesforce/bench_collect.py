"""Benchmark the Salesforce connector against the lab (never run by pytest).

    .venv/bin/python bench/salesforce/bench_collect.py speed --users 2000 --latency-ms 50
    .venv/bin/python bench/salesforce/bench_collect.py memory --users 50000

`speed` collects the same lab with concurrency 8 and 1, side by side, and prints wall time and API calls.
`memory` runs one collection in a child process and prints its peak RSS (the lab runs in another process).
The lab always runs as `crmsec lab serve` in a subprocess, so its memory and CPU are not counted.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import anyio

from crmsec import engine
from crmsec.target import Secret, Target


def start_lab(users: int, latency_ms: float) -> tuple[subprocess.Popen[str], dict[str, str]]:
    command = [str(Path(sys.executable).with_name("crmsec")), "lab", "serve", "--scenario", "misconfigured",
               "--users", str(users), "--latency-ms", str(latency_ms)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    return process, json.loads(process.stdout.readline())


def target(lab: dict[str, str], concurrency: int) -> Target:
    return Target(platform="salesforce", url=lab["url"], secret=Secret(lab["token"]),
                  ca_bundle=Path(lab["ca_bundle"]), options={"concurrency": str(concurrency), "tls_scan": "false"})


def collect_once(lab: dict[str, str], concurrency: int) -> tuple[float, int, int]:
    started = time.perf_counter()
    snapshot = anyio.run(engine.collect, target(lab, concurrency))
    errors = sum(1 for item in snapshot.items.values() if item.error is not None)
    return time.perf_counter() - started, snapshot.metadata.api_calls, errors


def speed(users: int, latency_ms: float) -> None:
    process, lab = start_lab(users, latency_ms)
    try:
        collect_once(lab, 8)  # warm-up: lab caches, imports
        fast = collect_once(lab, 8)
        slow = collect_once(lab, 1)
    finally:
        process.terminate()
        process.wait(10)
    print(f"users={users} latency_ms={latency_ms}")
    print(f"concurrency 8: {fast[0]:.2f} s, {fast[1]} API calls, {fast[2]} item errors")
    print(f"concurrency 1: {slow[0]:.2f} s, {slow[1]} API calls, {slow[2]} item errors")
    print(f"speed-up: {slow[0] / fast[0]:.1f}x")


def memory(users: int) -> None:
    process, lab = start_lab(users, 0)
    try:
        child = subprocess.run([sys.executable, __file__, "_collect", json.dumps(lab)], check=True,
                               capture_output=True, text=True)
    finally:
        process.terminate()
        process.wait(10)
    print(child.stdout.strip())


def _collect_child(lab_json: str) -> None:
    seconds, calls, errors = collect_once(json.loads(lab_json), 8)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"collection: {seconds:.1f} s, {calls} API calls, {errors} item errors, peak RSS {peak_mb:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["speed", "memory", "_collect"])
    parser.add_argument("lab", nargs="?")
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--latency-ms", type=float, default=50)
    arguments = parser.parse_args()
    if arguments.mode == "speed":
        speed(arguments.users, arguments.latency_ms)
    elif arguments.mode == "memory":
        memory(arguments.users)
    else:
        _collect_child(arguments.lab)


if __name__ == "__main__":
    main()
