"""Glue shared by `scan`, `evaluate` and `demo`: build the target, evaluate, write the bundle, gate.

Argument plumbing and messages only: the bundle itself is `crmsec.bundle`. Everything here calls the library;
what is printed goes through `console`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import anyio

from crmsec import bundle, engine
from crmsec.cli import console
from crmsec.cli.diagnose import TOKENLESS_AUTH, explain_collection_failure
from crmsec.cli.options import ExitCode
from crmsec.cli.summary import print_summary
from crmsec.connectors import load_connector
from crmsec.errors import ConnectorError, InputError
from crmsec.evidence import EvidenceSnapshot
from crmsec.plugin import FAILING_STATUSES, JsonValue
from crmsec.profiles import Profile, load_profile, require_selection
from crmsec.redaction import Identities
from crmsec.registry import Catalogue, load_catalogue
from crmsec.report.build import GateOptions
from crmsec.report.diff import history_points
from crmsec.report.model import Report, load_report
from crmsec.target import (
    DEFAULT_TOKEN_ENV,
    Secret,
    Target,
    clean_url,
    credentials_from_file,
    require_secure_transport,
    secret_from_environment,
)

SHOWN_IDENTITIES_WARNING = (
    "crmsec: --show-identities: usernames are kept raw in this evidence and its reports (marked "
    "'identities: shown'); keep this copy internal"
)


@dataclass(frozen=True, slots=True)
class RunSettings:
    """What the evaluation-side flags asked for."""

    profile: str
    checks_dirs: Sequence[Path] = ()
    no_plugins: bool = False
    check_timeout: float = engine.DEFAULT_CHECK_TIMEOUT
    fail_under: float | None = None
    fail_on: str | None = None
    baseline: Path | None = None
    inputs: Path | None = None
    out_dir: Path = Path("crmsec-report")
    formats: str | None = None
    previous: Path | None = None
    history: Sequence[Path] = ()
    sarif_anchor: str | None = None
    junit_fail_on: str = "gate"
    sign_key: Path | None = None
    quiet: bool = False
    output_format: str = "text"


def build_target(
    *,
    platform: str,
    url: str,
    token_env: str = DEFAULT_TOKEN_ENV,
    credentials_file: Path | None = None,
    ca_bundle: Path | None = None,
    target_options: Sequence[str] = (),
    facts: Path | None = None,
    allow_insecure_http: bool = False,
) -> Target:
    """A Target from flags: the secret comes from the environment or a file, never from argv.

    A platform whose connector sends credentials (any connector without `sends_credentials = False`)
    needs an https URL; see `target.require_secure_transport`.
    """
    options: dict[str, str] = {}
    for entry in target_options:
        key, separator, value = entry.partition("=")
        if not separator or not key:
            raise InputError(f"--option {entry!r}: expected KEY=VALUE")
        options[key.strip()] = value.strip()
    if facts is not None:
        options["facts"] = str(facts)
    url = clean_url(url)
    if getattr(load_connector(platform), "sends_credentials", True):
        require_secure_transport(url, platform=platform, allow_insecure_http=allow_insecure_http)
    credentials: dict[str, Secret] = credentials_from_file(credentials_file) if credentials_file else {}
    secret = credentials.get("token") or secret_from_environment(token_env)
    if secret is None and not credentials and needs_token(platform, options):
        raise InputError(
            f"no access token: environment variable {token_env} is not set or empty"
            + ("" if token_env == DEFAULT_TOKEN_ENV else f" (--token-env {token_env})"),
            hint=f"export {token_env}=<access token> (never on the command line), or pass --credentials-file",
        )
    return Target(
        platform=platform,
        url=url,
        secret=secret,
        ca_bundle=ca_bundle,
        options=options,
        credentials=credentials,
    )


def needs_token(platform: str, options: Mapping[str, str]) -> bool:
    """True when the platform's connector sends credentials with the default (token) auth flow."""
    sends = bool(getattr(load_connector(platform), "sends_credentials", True))
    return sends and options.get("auth", "bearer") not in TOKENLESS_AUTH


def collect_snapshot(target: Target, *, quiet: bool, show_identities: bool = False) -> tuple[EvidenceSnapshot, float]:
    """Collect evidence from the target (exit 3 on failure via TargetError) and time it.

    Usernames are masked unless `show_identities`; then a warning (unless `quiet`) says this copy holds them raw.
    """
    identities = Identities.SHOWN if show_identities else Identities.MASKED
    progress = console.Progress(enabled=not quiet)
    progress.update(f"collecting evidence from {target.url} ...")
    started = time.perf_counter()
    try:
        snapshot = anyio.run(lambda: engine.collect(target, identities=identities))
    except ConnectorError as error:
        error.hint = explain_collection_failure(error, target)
        raise
    finally:
        progress.close()
    if show_identities and not quiet:
        console.err(SHOWN_IDENTITIES_WARNING)
    return snapshot, round(time.perf_counter() - started, 3)


def report_path(location: Path) -> Path:
    """A report.json given directly or as the folder that holds it; InputError when there is none."""
    path = location / "report.json" if location.is_dir() else location
    if not path.is_file():
        raise InputError(f"{location}: no report.json there")
    return path


def _gate_options(settings: RunSettings) -> GateOptions:
    from crmsec.plugin import Severity

    fingerprints = None
    if settings.baseline is not None:
        old = load_report(settings.baseline)
        fingerprints = frozenset(
            finding.fingerprint
            for finding in old.findings
            if (finding.original_status or finding.status) in FAILING_STATUSES
        )
    return GateOptions(
        fail_under=settings.fail_under,
        fail_on=Severity(settings.fail_on.lower()) if settings.fail_on else None,
        baseline_fingerprints=fingerprints,
        baseline_name=settings.baseline.name if settings.baseline else None,
    )


@dataclass(frozen=True, slots=True)
class PreparedRun:
    """What the evaluation-side flags resolve to, checked before anything is collected."""

    profile: Profile
    catalogue: Catalogue
    formats: tuple[str, ...]


def prepare_run(settings: RunSettings) -> PreparedRun:
    """Check --profile, --checks-dir and --format (pdf needs Chromium) up front: InputError (exit 2) before any
    network call, so a typo never costs a scan. The profile's parameters are type-checked against the
    selected checks here too."""
    formats = bundle.resolve_formats(settings.formats)
    profile = load_profile(settings.profile)
    catalogue = load_catalogue(plugins=not settings.no_plugins, directories=settings.checks_dirs)
    for spec in require_selection(profile, catalogue.checks):  # a profile that selects nothing: exit 2 now
        profile.parameters_for(spec)
    return PreparedRun(profile=profile, catalogue=catalogue, formats=formats)


def evaluate_and_write(
    snapshot: EvidenceSnapshot,
    settings: RunSettings,
    *,
    collect_seconds: float | None,
    prepared: PreparedRun | None = None,
) -> int:
    """Evaluate a snapshot under the flags, write the bundle, print the summary; returns the exit code."""
    prepared = prepared or prepare_run(settings)
    profile, catalogue = prepared.profile, prepared.catalogue
    extras: dict[str, JsonValue] = {}
    if settings.history:
        extras["trend"] = history_points([load_report(report_path(path)) for path in settings.history])
    timings = {} if collect_seconds is None else {"collect_seconds": collect_seconds}
    progress = console.Progress(enabled=not settings.quiet)

    def observe(stage: str, done: int, total: int) -> None:
        progress.update(f"{stage}: {done}/{total}")

    options = engine.EvaluationOptions(
        gate=_gate_options(settings),
        check_timeout=settings.check_timeout,
        observer=observe,
        timings=timings,
        extras=extras,
    )
    try:
        snapshot, report = engine.assess(snapshot, profile, catalogue, options, inputs=settings.inputs)
    finally:
        progress.close()
    files = write_bundle(report, snapshot, settings, formats=prepared.formats)
    if not settings.quiet or settings.output_format == "json":
        print_summary(report, files, output_format=settings.output_format)
    return ExitCode.OK if report.gate["passed"] else ExitCode.GATE_FAILED


def write_bundle(
    report: Report, snapshot: EvidenceSnapshot, settings: RunSettings, *, formats: Sequence[str] | None = None
) -> list[Path]:
    """Write the output bundle into `--out` as the flags ask (`crmsec.bundle.write_bundle`)."""
    names = tuple(formats) if formats is not None else bundle.resolve_formats(settings.formats)
    options = bundle.BundleOptions(
        formats=names,
        previous=settings.previous,
        sarif_anchor=bundle.sarif_anchor(settings.sarif_anchor, settings.profile),
        junit_fail_on=settings.junit_fail_on,
        sign_key=settings.sign_key,
    )
    return bundle.write_bundle(report, snapshot, settings.out_dir, options)
