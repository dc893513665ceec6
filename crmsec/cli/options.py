"""Exit codes and options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import Any, TypeVar

import click

from crmsec.plugin import Severity


class ExitCode(IntEnum):
    """crmsec's documented exit codes (README and `crmsec --help` say the same)."""

    OK = 0
    """The gate passed (`verify`: the signature is valid and the files given with --report/--evidence match,
    the signed verdict included; or only the signature, with --signature-only)."""
    GATE_FAILED = 1
    """The gate failed: score under --fail-under, a FAIL at/above --fail-on (`verify`: a signature, digest or
    signed verdict does not match)."""
    INPUT_ERROR = 2
    """Usage or input error: flags, profile, evidence file, report file, plugin conflict (`verify`: neither
    --report/--evidence nor --signature-only)."""
    SCAN_FAILED = 3
    """The scan could not run: unreachable target, TLS verification failed, credentials rejected,
    nothing collected, or an unexpected crash."""


EXIT_CODES_HELP = """\b
Exit codes:
  0  gate passed (verify: the signature is valid and the files given with
     --report/--evidence match, the signed score, grade and gate
     included; with --signature-only, the signature alone)
  1  gate failed: score under --fail-under, a FAIL at or above --fail-on,
     or an ERROR when the profile is fail-closed (verify: a signature,
     digest or signed verdict mismatch)
  2  usage or input error: flags, profile, evidence, report, plugin
     (verify: neither --report/--evidence nor --signature-only)
  3  the scan could not run: unreachable target, TLS verification failed,
     credentials rejected, nothing collected, crash, a report format
     that failed while rendering (the other files are written)
"""


F = TypeVar("F", bound=Callable[..., Any])

SEVERITY_CHOICE = click.Choice([str(severity) for severity in Severity], case_sensitive=False)


def _stack(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    def apply(function: F) -> F:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


def target_options(function: F) -> F:
    """--platform, --url and how to authenticate and trust the target (secrets never on argv)."""
    return _stack(
        click.option(
            "--platform", required=True, help="CRM platform: salesforce, bottlecrm, tryton, web, or a plugin's."
        ),
        click.option("--url", required=True, help="Base URL of the CRM instance (https://...)."),
        click.option(
            "--token-env",
            default="CRMSEC_TOKEN",
            show_default=True,
            help="Environment variable holding the access token (never pass secrets on the command line).",
        ),
        click.option(
            "--credentials-file",
            type=click.Path(dir_okay=False, path_type=Path),
            help="File with a token or KEY=VALUE credentials (client_id, client_secret, private_key_file, ...).",
        ),
        click.option(
            "--ca-bundle",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="PEM bundle of private CAs to trust (verification is always on).",
        ),
        click.option(
            "--allow-insecure-http",
            is_flag=True,
            help="Allow an http:// --url on a loopback host (127.0.0.0/8, ::1, localhost) for platforms that send "
            "credentials; never allowed for any other host.",
        ),
        click.option(
            "--option",
            "target_options",
            multiple=True,
            metavar="KEY=VALUE",
            help="Connector option, e.g. concurrency=4, api_version=62.0, budget_share=0.5, "
            "follow_offsite_redirects=true (web) (repeatable); `crmsec platforms show NAME` lists a platform's.",
        ),
        click.option(
            "--facts",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="Deployment-facts YAML for what the API cannot show (backups, disk encryption).",
        ),
    )(function)


def identities_option(function: F) -> F:
    """--show-identities: keep usernames raw in evidence and reports (the auditor's internal copy)."""
    return click.option(
        "--show-identities",
        is_flag=True,
        help="Keep usernames and credential owners raw in evidence and reports, for the auditor's internal copy "
        "(default: masked as j***@e***.com#<hash>; the report records which). Display names stay masked.",
    )(function)


JUNIT_FAIL_ON_HELP = (
    "What turns a JUnit test red: gate (the findings that failed the gate, and the gate itself; a passing "
    "gate means no red test), fail (every FAIL and ERROR) or warn (also every WARN)."
)


def junit_fail_on_option(function: F) -> F:
    """--junit-fail-on gate|fail|warn (default gate: JUnit agrees with the exit code)."""
    return click.option(
        "--junit-fail-on",
        type=click.Choice(["gate", "fail", "warn"]),
        default="gate",
        show_default=True,
        help=JUNIT_FAIL_ON_HELP,
    )(function)


def evaluation_options(function: F) -> F:
    """--profile, plugins, gating, outputs and signing: everything after the snapshot."""
    return _stack(
        click.option("--profile", default="baseline", show_default=True, help="Built-in profile name or YAML file."),
        click.option(
            "--checks-dir",
            multiple=True,
            type=click.Path(exists=True, file_okay=False, path_type=Path),
            help="Folder of extra checks (.py or .yaml), loaded by path (repeatable).",
        ),
        click.option("--no-plugins", is_flag=True, help="Run built-in checks only (skip entry-point packs)."),
        click.option(
            "--check-timeout",
            type=click.FloatRange(0.1, 3600),
            default=30.0,
            show_default=True,
            help="Seconds a check may run before it is abandoned as an ERROR.",
        ),
        click.option("--fail-under", type=click.FloatRange(0, 100), help="Gate: fail when the score is below this."),
        click.option("--fail-on", type=SEVERITY_CHOICE, help="Gate: fail on any FAIL at or above this severity."),
        click.option(
            "--baseline",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="Earlier report.json: the gate considers only findings new since then.",
        ),
        click.option(
            "--inputs",
            type=click.Path(exists=True, file_okay=False, path_type=Path),
            help="Folder of evaluation inputs (survey.csv, kpis.yaml, ...; see `crmsec init`).",
        ),
        click.option(
            "--out",
            "out_dir",
            type=click.Path(file_okay=False, path_type=Path),
            default=Path("crmsec-report"),
            show_default=True,
            help="Folder for report.json, evidence.json and the rendered reports.",
        ),
        click.option(
            "--format",
            "formats",
            default=None,
            help="Comma-separated formats to render: html,md,sarif,junit,csv,pdf (default: all but pdf).",
        ),
        click.option(
            "--previous",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="An earlier report.json, for the trend in the HTML report.",
        ),
        click.option(
            "--sarif-anchor",
            help="Repository file SARIF results point at (default: the --profile file when it is a relative "
            "path, else crmsec.yaml).",
        ),
        junit_fail_on_option,
        click.option(
            "--history",
            multiple=True,
            type=click.Path(exists=True, path_type=Path),
            help="Earlier reports (report.json or folders holding one) for the score trend (repeatable).",
        ),
        click.option(
            "--sign-key",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="Ed25519 private key: writes report.dsse.json (passphrase from CRMSEC_KEY_PASSPHRASE).",
        ),
        click.option("--quiet", "-q", is_flag=True, help="Print only errors."),
        click.option(
            "--output-format",
            type=click.Choice(["text", "json"]),
            default="text",
            show_default=True,
            help="Console summary as text or as JSON for machines.",
        ),
    )(function)
