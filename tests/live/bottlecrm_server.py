"""Run real BottleCRM (`django-crm` from PyPI) servers on loopback for the live end-to-end test.

`prepare()` builds, once per django-crm version, a venv under CPython 3.12 and a migrated SQLite database,
both cached in `.cache/live/django-crm-<version>/` (git-ignored): migrations take minutes, copying the file
takes milliseconds. `Deployment.start()` copies the database into a fresh folder, seeds it with synthetic
data (`seed_bottlecrm.py`), and starts gunicorn in its own process group; `stop()` kills that group, and the
pytest fixtures call it in a `finally`.

Python 3.12 is found as `$CRMSEC_LIVE_PYTHON`, `python3.12` on PATH, or pyenv's 3.12 install. Without one:
`pyenv install 3.12`, `apt-get install python3.12`, or `uv python install 3.12`, then run again.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from live_processes import LiveSetupError, stop_process_group, wait_until_answering

DJANGO_CRM_VERSION = "1.35.0"
ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CACHE = ROOT / ".cache" / "live" / f"django-crm-{DJANGO_CRM_VERSION}"
DEFAULT_KEY = "django-insecure-dev-key-please-change-in-production"  # BottleCRM's shipped default
START_TIMEOUT = 60.0

OVERLAY = '''"""Settings overlay for crmsec's live test: SQLite next to this file, Celery tasks run inline."""
import os
from crm.settings import *  # noqa: F401,F403
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",
                         "NAME": os.path.join(os.path.dirname(os.path.abspath(__file__)), "crm.sqlite3")}}
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
if os.environ.get("CRMSEC_LIVE_HIDE_ADMIN") == "1":
    ROOT_URLCONF = "crmsec_live_urls"
'''
URLS_WITHOUT_ADMIN = '''"""BottleCRM's URLs without the Django admin, as a careful operator would route them."""
from crm.urls import urlpatterns as _all
urlpatterns = [pattern for pattern in _all if not str(getattr(pattern, "pattern", "")).startswith("admin/")]
'''


def find_python312() -> str:
    """A working CPython 3.12 interpreter (see the module docstring for the search order)."""
    candidates = [os.environ.get("CRMSEC_LIVE_PYTHON", ""), shutil.which("python3.12") or ""]
    pyenv = shutil.which("pyenv")
    if pyenv:
        root = subprocess.run([pyenv, "root"], capture_output=True, text=True, check=False).stdout.strip()
        candidates += sorted((str(path) for path in Path(root).glob("versions/3.12*/bin/python3.12")), reverse=True)
    for candidate in filter(None, candidates):
        probe = subprocess.run(
            [candidate, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True, text=True, check=False
        )
        if probe.returncode == 0 and probe.stdout.strip() == "(3, 12)":
            return candidate
    raise LiveSetupError("no Python 3.12 found: set CRMSEC_LIVE_PYTHON or install one (pyenv install 3.12)")


def _run(command: list[str], *, log: Path, env: dict[str, str] | None = None, cwd: Path | None = None) -> None:
    with log.open("ab") as output:
        done = subprocess.run(command, stdout=output, stderr=subprocess.STDOUT, env=env, cwd=cwd, check=False)
    if done.returncode != 0:
        raise LiveSetupError(f"{Path(command[0]).name} {command[1]} failed (exit {done.returncode}); see {log}")


def base_environment(app_dir: Path) -> dict[str, str]:
    """A clean environment for BottleCRM processes: nothing inherited but PATH, HOME and the locale."""
    keep = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TMPDIR") if name in os.environ}
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "bottle_local",
        "PYTHONPATH": str(app_dir),
        "PYTHONUNBUFFERED": "1",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }


def write_overlay(app_dir: Path) -> None:
    """The settings overlay and the admin-less URLconf in `app_dir`."""
    app_dir.mkdir(parents=True, exist_ok=True)
    (app_dir / "bottle_local.py").write_text(OVERLAY, encoding="utf-8")
    (app_dir / "crmsec_live_urls.py").write_text(URLS_WITHOUT_ADMIN, encoding="utf-8")


@dataclass
class Cache:
    """The prepared venv and migrated database of one django-crm version."""

    venv: Path
    database: Path
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def bin(self) -> Path:
        """The venv's bin folder."""
        return self.venv / "bin"


def prepare(cache_dir: Path = CACHE) -> Cache:
    """The cached venv and migrated database, building whichever is missing."""
    cache = Cache(venv=cache_dir / "venv", database=cache_dir / "crm.migrated.sqlite3")
    cache_dir.mkdir(parents=True, exist_ok=True)
    log = cache_dir / "setup.log"
    stamp = cache.venv / ".crmsec-installed"
    if not stamp.exists():
        started = time.monotonic()
        shutil.rmtree(cache.venv, ignore_errors=True)
        _run([find_python312(), "-m", "venv", str(cache.venv)], log=log)
        _run([str(cache.bin / "pip"), "install", "--quiet", f"django-crm=={DJANGO_CRM_VERSION}"], log=log)
        _django_admin(cache, "collectstatic", work=cache_dir / "static", log=log)
        shutil.rmtree(cache_dir / "static", ignore_errors=True)
        stamp.write_text(DJANGO_CRM_VERSION, encoding="utf-8")
        cache.timings["pip_install_seconds"] = round(time.monotonic() - started, 1)
    if not cache.database.exists():
        started = time.monotonic()
        work = cache_dir / "migrate"
        _django_admin(cache, "migrate", work=work, log=log)
        (work / "crm.sqlite3").replace(cache.database)  # atomic: a half-migrated file is never cached
        shutil.rmtree(work, ignore_errors=True)
        cache.timings["migrate_seconds"] = round(time.monotonic() - started, 1)
    if cache.timings:
        (cache_dir / "timings.json").write_text(json.dumps(cache.timings) + "\n", encoding="utf-8")
    return cache


def _django_admin(cache: Cache, command: str, *, work: Path, log: Path) -> None:
    """Run `django-admin <command> --noinput` with the overlay in a scratch folder `work`."""
    shutil.rmtree(work, ignore_errors=True)
    write_overlay(work)
    env = {**base_environment(work), "SECRET_KEY": DEFAULT_KEY}
    _run([str(cache.bin / "django-admin"), command, "--noinput"], log=log, env=env, cwd=work)


def free_port() -> int:
    """A loopback TCP port that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Deployment:
    """One BottleCRM server: its folder, settings (environment) and, once started, its process."""

    name: str
    folder: Path
    settings: dict[str, str]
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    credentials: Path | None = None

    @property
    def url(self) -> str:
        """The server's base URL on loopback."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, cache: Cache) -> None:
        """Copy the migrated database, seed it, start gunicorn and wait for /healthz/."""
        app = self.folder / "app"
        write_overlay(app)
        shutil.copyfile(cache.database, app / "crm.sqlite3")
        env = {**base_environment(app), **self.settings}
        self.credentials = self.folder / "credentials.json"
        seed = [
            str(cache.bin / "python"),
            str(HERE / "seed_bottlecrm.py"),
            "--deployment",
            self.name,
            "--out",
            str(self.credentials),
        ]
        _run(seed, log=self.folder / "seed.log", env=env, cwd=app)
        self.port = free_port()
        command = [
            str(cache.bin / "gunicorn"),
            "crm.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "1",
            "--threads",
            "4",
            "--no-control-socket",
            "--access-logfile",
            "-",
        ]
        with (self.folder / "server.log").open("wb") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=app, start_new_session=True
            )
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        wait_until_answering(self.name, f"{self.url}/healthz/", self.process, server="gunicorn",
                             log=self.folder / "server.log", timeout=START_TIMEOUT)  # fmt: skip

    def stop(self) -> None:
        """Kill the server's whole process group (gunicorn master and workers); safe to call twice."""
        process, self.process = self.process, None
        stop_process_group(process)


def careless(folder: Path) -> Deployment:
    """DEBUG on, the shipped default SECRET_KEY, CORS for every origin, any Host, the admin served."""
    settings = {"SECRET_KEY": DEFAULT_KEY, "DEBUG": "true", "ALLOWED_HOSTS": "*", "CORS_ALLOW_ALL": "true"}
    return Deployment("careless", folder / "careless", settings)


def careful(folder: Path, secret_key: str) -> Deployment:
    """DEBUG off, a random SECRET_KEY, CORS for the front end only, known hosts, no admin route, no org key."""
    settings = {
        "SECRET_KEY": secret_key,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CORS_ALLOW_ALL": "false",
        "CORS_ALLOWED_ORIGINS": "https://crm.example.com",
        "DJANGO_ORG_API_KEY_AUTH": "false",
        "CRMSEC_LIVE_HIDE_ADMIN": "1",
    }
    return Deployment("careful", folder / "careful", settings)


if __name__ == "__main__":  # `python tests/live/bottlecrm_server.py`: prepare the cache only
    built = prepare()
    sys.stdout.write(f"cache ready in {CACHE} {built.timings}\n")
