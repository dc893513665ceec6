"""Run real Tryton servers (trytond + party + sale + sale_opportunity from PyPI) on loopback for the live test.

`prepare()` builds, once per pinned version set, a venv and a database with the modules activated, both
cached in `.cache/live/tryton-<version>/` (git-ignored): activating the modules takes about half a minute,
copying the SQLite file milliseconds. `Deployment.start()` copies the database into a fresh folder, writes
the deployment's `trytond.conf`, seeds it (`seed_tryton.py`) and starts the server (`tryton_serve.py`) in its
own process group; `stop()` kills that group, and the pytest fixtures call it in a `finally`.

trytond is never a dependency of crmsec: it lives only in this venv, and the connector speaks JSON-RPC.
`python tests/live/tryton_server.py` prepares the cache only.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from live_processes import LiveSetupError, stop_process_group, wait_until_answering

TRYTOND_VERSION = "8.2.1"
PACKAGES = (
    "trytond==8.2.1",
    "trytond-party==8.2.0",
    "trytond-sale==8.2.0",
    "trytond-sale-opportunity==8.2.0",
    "trytond-authentication-sms==8.2.0",
)
"""The pinned distributions; their own dependencies (company, account, stock...) resolve within series 8.2.
authentication_sms gives the careful deployment its second factor."""
MODULES = ("party", "sale", "sale_opportunity", "authentication_sms")
DATABASE = "crm"
ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CACHE = ROOT / ".cache" / "live" / f"tryton-{TRYTOND_VERSION}"
START_TIMEOUT = 60.0
FORBIDDEN_PASSWORDS = "password\n123456\nqwerty\nletmein\nwelcome\nadmin\ntryton\n"


def _run(command: list[str], *, log: Path, env: dict[str, str] | None = None, cwd: Path | None = None) -> None:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as output:
        result = subprocess.run(command, stdout=output, stderr=subprocess.STDOUT, env=env, cwd=cwd, check=False)
    if result.returncode != 0:
        raise LiveSetupError(f"{Path(command[0]).name} {command[1] if len(command) > 1 else ''} failed; see {log}")


@dataclass
class Cache:
    """The prepared venv and initial database of one pinned Tryton version set."""

    venv: Path
    database: Path
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def python(self) -> Path:
        """The venv's interpreter."""
        return self.venv / "bin" / "python"


def _base_config(database_folder: Path, port: int, *, listing: bool = False) -> str:
    return (
        f"[database]\nuri = sqlite://\npath = {database_folder}\nlist = {listing}\n[web]\nlisten = 127.0.0.1:{port}\n"
    )


def prepare(cache_dir: Path = CACHE) -> Cache:
    """The cached venv and database with the modules activated, building whichever is missing."""
    cache = Cache(venv=cache_dir / "venv", database=cache_dir / f"{DATABASE}.initial.sqlite")
    cache_dir.mkdir(parents=True, exist_ok=True)
    log = cache_dir / "setup.log"
    stamp = cache.venv / ".crmsec-installed"
    if not stamp.exists() or stamp.read_text(encoding="utf-8") != " ".join(PACKAGES):
        started = time.monotonic()
        shutil.rmtree(cache.venv, ignore_errors=True)
        _run([sys.executable, "-m", "venv", str(cache.venv)], log=log)
        _run([str(cache.python), "-m", "pip", "install", "--quiet", *PACKAGES], log=log)
        stamp.write_text(" ".join(PACKAGES), encoding="utf-8")
        cache.timings["pip_install_seconds"] = round(time.monotonic() - started, 1)
        cache.database.unlink(missing_ok=True)
    if not cache.database.exists():
        started = time.monotonic()
        work = cache_dir / "initialise"
        shutil.rmtree(work, ignore_errors=True)
        (work / "db").mkdir(parents=True)
        (work / "db" / f"{DATABASE}.sqlite").touch()
        (work / "trytond.conf").write_text(_base_config(work / "db", 8000), encoding="utf-8")
        (work / "admin-password").write_text(os.urandom(16).hex(), encoding="utf-8")
        env = {**os.environ, "TRYTONPASSFILE": str(work / "admin-password")}
        admin = [str(cache.venv / "bin" / "trytond-admin"), "-c", str(work / "trytond.conf"), "-d", DATABASE,
                 "--all", "--email", "admin@example.com", "--activate-dependencies", "-u", *MODULES]  # fmt: skip
        _run(admin, log=log, env=env)
        (work / "db" / f"{DATABASE}.sqlite").replace(cache.database)  # atomic: a half-built file is never cached
        shutil.rmtree(work, ignore_errors=True)
        cache.timings["activate_seconds"] = round(time.monotonic() - started, 1)
    if cache.timings:
        (cache_dir / "timings.json").write_text(json.dumps(cache.timings) + "\n", encoding="utf-8")
    return cache


def installed_versions(cache: Cache) -> dict[str, str]:
    """Distribution name -> version of every trytond distribution in the venv."""
    script = (
        "import importlib.metadata as m, json; print(json.dumps({d.metadata['Name'].lower().replace('_', '-'): "
        "d.version for d in m.distributions() if d.metadata['Name'].lower().startswith('trytond')}))"
    )
    output = subprocess.run([str(cache.python), "-c", script], capture_output=True, text=True, check=True)
    versions: dict[str, str] = json.loads(output.stdout)
    return versions


def free_port() -> int:
    """A loopback TCP port that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Deployment:
    """One Tryton server: its folder, its configuration (extra trytond.conf text) and, once started, its process."""

    name: str
    folder: Path
    settings: str
    listing: bool = False
    environment: dict[str, str] = field(default_factory=dict)
    front: str = "none"
    tls: bool = False
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    credentials: Path | None = None
    ca_bundle: Path | None = None

    @property
    def url(self) -> str:
        """The server's base URL on loopback."""
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    @property
    def config(self) -> Path:
        """The deployment's trytond.conf."""
        return self.folder / "trytond.conf"

    def start(self, cache: Cache) -> None:
        """Copy the database, write the configuration, seed, start the server and wait for an answer."""
        database_folder = self.folder / "db"
        database_folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cache.database, database_folder / f"{DATABASE}.sqlite")
        (self.folder / "forbidden.txt").write_text(FORBIDDEN_PASSWORDS, encoding="utf-8")
        self.port = free_port()
        text = _base_config(database_folder, self.port, listing=self.listing) + self.settings.format(folder=self.folder)
        if self.tls:
            from crmsec.lab.certs import make_certificates

            paths = make_certificates(self.folder / "tls")
            self.ca_bundle = paths.ca_bundle
            text += f"[ssl]\ncertificate = {paths.certificate}\nprivatekey = {paths.private_key}\n"
        self.config.write_text(text, encoding="utf-8")
        env = {**os.environ, **self.environment}
        self.credentials = self.folder / "credentials.json"
        seed = [str(cache.python), str(HERE / "seed_tryton.py"), "--config", str(self.config), "--database", DATABASE,
                "--deployment", self.name, "--out", str(self.credentials)]  # fmt: skip
        _run(seed, log=self.folder / "seed.log", env=env)
        command = [str(cache.python), str(HERE / "tryton_serve.py"), "--config", str(self.config), "--database",
                   DATABASE, "--front", self.front]  # fmt: skip
        with (self.folder / "server.log").open("wb") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.folder, start_new_session=True
            )
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        context = ssl.create_default_context(cafile=str(self.ca_bundle)) if self.ca_bundle else None
        body = json.dumps({"id": 0, "method": "common.server.version", "params": []}).encode()
        ping = urllib.request.Request(f"{self.url}/rpc/", data=body, headers={"Content-Type": "application/json"})
        wait_until_answering(self.name, ping, self.process, server="trytond", log=self.folder / "server.log",
                             timeout=START_TIMEOUT, context=context)  # fmt: skip

    def stop(self) -> None:
        """Kill the server's process group; safe to call twice."""
        process, self.process = self.process, None
        stop_process_group(process)


def careless(folder: Path) -> Deployment:
    """Short passwords, no real lockout, day-long sessions, the database list open, development mode on."""
    settings = "[password]\nlength = 4\n[session]\ntimeout = 86400\nmax_attempt = 1000\n"
    return Deployment("careless", folder / "careless", settings, listing=True, environment={"TRYTOND_DEV": "1"})


def careful(folder: Path) -> Deployment:
    """Long passwords checked against a forbidden list, lockout, 15-minute sessions, SMS second factor, TLS and a
    hardened front."""
    settings = (
        "[password]\nlength = 14\nforbidden = {folder}/forbidden.txt\n"
        "[session]\ntimeout = 900\nmax_attempt = 4\n"
        # An SMS code for every sign-in except from the scanner's host (the live test has no phone).
        "authentications = password+sms?ip_address\nauthentication_ip_network = 127.0.0.1/32\n"
    )
    return Deployment("careful", folder / "careful", settings, front="hardened", tls=True)


if __name__ == "__main__":  # prepare the cache only
    built = prepare()
    sys.stdout.write(f"cache ready in {CACHE} {built.timings}\n")
