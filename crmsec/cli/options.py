"""Exit codes and options shared by several commands."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """crmsec's documented exit codes (README and `crmsec --help` say the same)."""

    OK = 0
    """The gate passed (`verify`: signature and digests match)."""
    GATE_FAILED = 1
    """The gate failed: score under --fail-under, a FAIL at/above --fail-on (`verify`: mismatch)."""
    INPUT_ERROR = 2
    """Usage or input error: flags, profile, evidence file, report file, plugin conflict."""
    SCAN_FAILED = 3
    """The scan could not run: unreachable target, TLS verification failed, credentials rejected,
    nothing collected, or an unexpected crash."""


EXIT_CODES_HELP = """\b
Exit codes:
  0  gate passed (verify: signature and digests match)
  1  gate failed: score under --fail-under, a FAIL at or above --fail-on,
     or an ERROR when the profile is fail-closed (verify: mismatch)
  2  usage or input error: flags, profile, evidence, report, plugin
  3  the scan could not run: unreachable target, TLS verification failed,
     credentials rejected, nothing collected, crash
"""
