"""Benchmark fleet scans against lab orgs: fleet mode vs one process per org, side by side (never run by pytest).

    .venv/bin/python bench/fleet_bench.py --orgs 100 --latency-ms 50 --parallel 4

The labs run in their own process (`crmsec fleet lab`, scenarios hardened, misconfigured and mixed in turn),
so their CPU and memory are not counted. Then, on the same orgs:

- fleet: one `crmsec scan --targets targets.yaml --parallel K` process for every org;
- one-by-one: one `crmsec scan --platform salesforce --url ...` process per org, in sequence, which is how a
  fleet is scanned without fleet mode.

Both write the default formats (html, md, sarif, junit, csv) and run the TLS scan (sslyze) unless
`--no-tls-scan`. Prints wall time, orgs per minute, CPU seconds and peak RSS of the scanning process(es)
(from wait4), and checks that both modes gave every org the same score.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crmsec.fleet.plan import load_plan

CRMSEC = str(Path(sys.executable).with_name("crmsec"))
Verdicts = dict[str, dict[tuple[str, str], str]]


def timed(command: list[str]) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, peak RSS in MiB, exit code) of one child process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, process.returncode


def fleet_mode(targets: Path, out: Path, parallel: int) -> dict[str, float]:
    wall, cpu, rss, code = timed([CRMSEC, "scan", "--targets", str(targets), "--parallel", str(parallel),
                                  "--out", str(out), "-q"])  # fmt: skip
    return {"wall": wall, "cpu": cpu, "rss": rss, "worst_exit": code}


def one_by_one(targets: Path, out: Path) -> dict[str, float]:
    """One `crmsec scan` process per org, in sequence. A process that dies before writing a report (e.g. an
    import error while the checkout is being edited) still counts in the wall time: the table's orgs/min
    counts only orgs with a report."""
    wall = cpu = 0.0
    rss = worst = 0
    for target in load_plan(targets).targets:
        assert target.credentials_file is not None and target.ca_bundle is not None
        command = [CRMSEC, "scan", "--platform", target.platform, "--url", target.url,
                   "--credentials-file", str(target.credentials_file), "--ca-bundle", str(target.ca_bundle),
                   "--out", str(out / target.name), "-q"]  # fmt: skip
        for key, value in target.options.items():
            command += ["--option", f"{key}={value}"]
        one_wall, one_cpu, one_rss, code = timed(command)
        wall, cpu, rss, worst = wall + one_wall, cpu + one_cpu, max(rss, one_rss), max(worst, code)
    return {"wall": wall, "cpu": cpu, "rss": rss, "worst_exit": worst}


def verdicts(out: Path) -> Verdicts:
    """Per org: the status of every (check id, resource)."""
    found = {}
    for folder in sorted(out.iterdir()):
        if (folder / "report.json").is_file():
            report = json.loads((folder / "report.json").read_text())
            found[folder.name] = {(f["check_id"], f["resource"]): f["status"] for f in report["findings"]}
    return found


def differences(
    first: dict[str, dict[tuple[str, str], str]], second: dict[str, dict[tuple[str, str], str]]
) -> dict[str, int]:
    """How many orgs each check id decided differently in the two modes."""
    counts: dict[str, int] = {}
    for org in sorted(set(first) | set(second)):
        one, other = first.get(org, {}), second.get(org, {})
        for check_id in sorted({key[0] for key in set(one) | set(other) if one.get(key) != other.get(key)}):
            counts[check_id] = counts.get(check_id, 0) + 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orgs", type=int, default=100)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--parallel", type=int, default=4)
    parser.add_argument("--no-tls-scan", action="store_true")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="crmsec-fleet-bench-") as scratch:
        root = Path(scratch)
        lab_command = [CRMSEC, "fleet", "lab", "--orgs", str(arguments.orgs), "--latency-ms",
                       str(arguments.latency_ms), "--out", str(root / "labs")]  # fmt: skip
        if arguments.no_tls_scan:
            lab_command.append("--no-tls-scan")
        labs = subprocess.Popen(lab_command, stdout=subprocess.PIPE, text=True)
        try:
            assert labs.stdout is not None
            targets = Path(json.loads(labs.stdout.readline())["targets"])
            fleet = fleet_mode(targets, root / "fleet", arguments.parallel)
            single = one_by_one(targets, root / "single")
        finally:
            labs.terminate()
            labs.wait(timeout=60)
        fleet_verdicts, single_verdicts = verdicts(root / "fleet"), verdicts(root / "single")
    tls = "off" if arguments.no_tls_scan else "on"
    print(f"crmsec fleet bench: {arguments.orgs} lab orgs, {arguments.latency_ms:g} ms latency, TLS scan {tls}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}")  # fmt: skip
    print(f"orgs with a report: {len(fleet_verdicts)} (fleet), {len(single_verdicts)} (one by one)")
    changed = differences(fleet_verdicts, single_verdicts)
    print("checks decided differently (orgs): " + (", ".join(f"{k} ({v})" for k, v in changed.items()) or "none"))
    print("| mode | orgs with a report | wall (s) | orgs/min | CPU (s) | peak RSS (MiB) | worst exit |")
    print("|---|---|---|---|---|---|---|")
    modes = ((f"fleet, --parallel {arguments.parallel}", fleet, fleet_verdicts),
             ("one process per org", single, single_verdicts))  # fmt: skip
    for name, result, reported in modes:
        rate = len(reported) / result["wall"] * 60
        print(f"| {name} | {len(reported)} | {result['wall']:.1f} | {rate:.1f} | {result['cpu']:.1f} | "
              f"{result['rss']:.0f} | {result['worst_exit']:.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()
