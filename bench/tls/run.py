"""TLS scan benchmark: crmsec (sslyze, 20 connections per server) against testssl.sh's default run.

Both tools scan the same loopback HTTPS server (private CA, TLS 1.2/1.3, Mozilla intermediate) through the
same latency proxy (`latency_proxy.py`, a stand-in for `tc netem`, which would need privileges and would slow
every other loopback user of the machine). Never run by pytest.

    .venv/bin/python bench/tls/run.py --delay-ms 25 --repeat 3 --testssl-repeat 1 --out bench/tls/results.json

testssl.sh is installed with apt-get when missing (Debian package `testssl.sh`, needs root).
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import anyio

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent / "tests" / "connectors"))  # the loopback server and its CA

from latency_proxy import latency_proxy  # noqa: E402
from tls_servers import issue_leaf, make_authority, serve_https  # noqa: E402

from crmsec.connectors.tls import scan_tls  # noqa: E402


def testssl_command() -> str:
    """The testssl.sh executable, installed with apt-get when missing."""
    for name in ("testssl", "testssl.sh"):
        found = shutil.which(name)
        if found:
            return found
    subprocess.run(["apt-get", "install", "-y", "-q", "testssl.sh"], check=True, capture_output=True)
    found = shutil.which("testssl") or shutil.which("testssl.sh")
    if not found:
        raise SystemExit("testssl.sh is not installed and apt-get could not install it")
    return found


def handshake_ms(port: int, bundle: Path) -> float:
    """One TCP connect + TLS handshake through the proxy, to show the latency actually added."""
    context = ssl.create_default_context(cafile=str(bundle))
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port)) as raw, context.wrap_socket(raw, server_hostname="127.0.0.1"):
        pass
    return (time.perf_counter() - started) * 1000


def time_crmsec(port: int, bundle: Path, *, concurrency: int) -> tuple[float, dict[str, object]]:
    started = time.perf_counter()
    value = anyio.run(lambda: scan_tls("127.0.0.1", port, ca_bundle=bundle, concurrency=concurrency))
    return time.perf_counter() - started, value


def time_testssl(command: str, port: int, log: Path) -> tuple[float, int]:
    arguments = [command, "--quiet", "--color", "0", "--warnings", "off", f"127.0.0.1:{port}"]
    started = time.perf_counter()
    with log.open("wb") as output:
        completed = subprocess.run(arguments, stdout=output, stderr=subprocess.STDOUT, check=False)
    return time.perf_counter() - started, completed.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay-ms", type=float, default=25.0, help="latency added in each direction")
    parser.add_argument("--repeat", type=int, default=3, help="crmsec runs per setting (median reported)")
    parser.add_argument("--testssl-repeat", type=int, default=1, help="testssl.sh runs (each takes minutes)")
    parser.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    arguments = parser.parse_args()
    command = testssl_command()
    version = subprocess.run([command, "--version"], capture_output=True, text=True, check=False).stdout
    folder = Path(tempfile.mkdtemp(prefix="crmsec-bench-tls-"))
    authority = make_authority(folder)
    leaf = issue_leaf(authority, folder)
    results: dict[str, object] = {"delay_ms_each_way": arguments.delay_ms, "repeat": arguments.repeat}
    results["testssl_repeat"] = arguments.testssl_repeat
    with serve_https(leaf) as server_port, latency_proxy(server_port, delay_ms=arguments.delay_ms) as port:
        results["handshake_ms"] = round(statistics.median(handshake_ms(port, authority.bundle) for _ in range(5)), 1)
        for label, concurrency in (("crmsec_c20", 20), ("crmsec_c5", 5)):
            runs = [time_crmsec(port, authority.bundle, concurrency=concurrency) for _ in range(arguments.repeat)]
            results[label] = [round(seconds, 2) for seconds, _ in runs]
            results[f"{label}_compliant"] = runs[-1][1]["mozilla_intermediate"]
        testssl_runs = [
            time_testssl(command, port, folder / f"testssl-{n}.log") for n in range(arguments.testssl_repeat)
        ]
        results["testssl"] = [round(seconds, 2) for seconds, _ in testssl_runs]
        results["testssl_exit_codes"] = [code for _, code in testssl_runs]
    results["testssl_version"] = next((line.split()[1] for line in version.splitlines() if "testssl" in line), "")
    fast = statistics.median(results["crmsec_c20"])  # type: ignore[arg-type]
    slow = statistics.median(results["testssl"])  # type: ignore[arg-type]
    results["speedup_median"] = round(slow / fast, 1)
    text = json.dumps(results, indent=2)
    if arguments.out:
        arguments.out.write_text(text + "\n")
    print(text)
    print(f"testssl.sh output: {folder / 'testssl-0.log'}", file=sys.stderr)


if __name__ == "__main__":
    main()
