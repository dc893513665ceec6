"""The whole crmsec exception tree, and the reasons carried by evidence errors and findings.

```
CrmsecError              .hint: what the user should do next
├── InputError           exit 2
│   ├── ProfileError          a profile file is unusable (file, line, field)
│   ├── EvidenceFileError     an evidence snapshot is unusable (file, JSON pointer)
│   ├── ReportFileError       a report.json is unusable (file, JSON pointer)
│   ├── PluginConflictError   two checks claim one id (both origins)
│   ├── PluginError           a check's metadata is invalid
│   └── SchemaError           a document does not match its JSON Schema
├── ConnectorError       .endpoint, .reason: one request failed, recorded as an evidence item error
│   └── TargetError      the target is unusable (unreachable, TLS unverified, credentials rejected): exit 3
├── EvidenceError        a check cannot use what it got: an ERROR finding
├── RenderError          a report format failed while rendering (the other formats are written): exit 3
└── SigningError         a bad key or envelope
    └── VerificationError     a signature or digest does not match: `crmsec verify` exits 1
```
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """Why a piece of evidence or a finding could not be what was asked for."""

    EVIDENCE_MISSING = "evidence_missing"
    EVIDENCE_UNUSABLE = "evidence_unusable"
    NOT_SUPPORTED = "not_supported"
    PERMISSION_DENIED = "permission_denied"
    AUTHENTICATION_FAILED = "authentication_failed"
    RATE_LIMITED = "rate_limited"
    BUDGET_EXHAUSTED = "budget_exhausted"
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"
    TLS_ERROR = "tls_error"
    HTTP_ERROR = "http_error"
    MALFORMED_RESPONSE = "malformed_response"
    RESPONSE_TOO_LARGE = "response_too_large"
    CHECK_CRASHED = "check_crashed"
    CHECK_TIMEOUT = "check_timeout"
    NO_FINDINGS = "no_findings"
    PLUGIN_LOAD_FAILED = "plugin_load_failed"
    INPUT_INVALID = "input_invalid"


class CrmsecError(Exception):
    """Base of every error crmsec raises on purpose; `hint` tells the user what to do next."""

    hint: str = "run with --debug for details"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint


class InputError(CrmsecError):
    """Something the user handed us (flag, file, plugin) is unusable: exit code 2."""

    hint = "fix the named file or flag and run again"


class ProfileError(InputError):
    """A profile cannot be loaded; the message names the file, and line or field."""

    hint = "fix the profile (see `crmsec schema profile`)"


class EvidenceFileError(InputError):
    """An evidence snapshot cannot be loaded; the message names the file and JSON pointer."""

    hint = "re-run `crmsec collect` or fix the snapshot (see `crmsec schema evidence`)"


class ReportFileError(InputError):
    """A report.json cannot be loaded; the message names the file and JSON pointer."""

    hint = "pass a report.json written by crmsec (see `crmsec schema report`)"


class PluginConflictError(InputError):
    """Two checks claim the same id; both origins are named."""

    hint = "rename one of the checks or drop one of the packs (--no-plugins runs built-ins only)"


class PluginError(InputError):
    """A check's metadata is invalid."""

    hint = "fix the check's metadata (see `crmsec schema check`)"


class SchemaError(InputError):
    """A document does not match its JSON Schema."""


class ConnectorError(CrmsecError):
    """One request to the target failed; it becomes an evidence item error, not a crash."""

    hint = "check the connector's permissions on the named endpoint"

    def __init__(self, message: str, *, endpoint: str, reason: Reason, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.endpoint = endpoint
        self.reason = reason


class TargetError(ConnectorError):
    """The target as a whole is unusable (unreachable, TLS unverified, credentials rejected): exit 3."""

    hint = "check the URL, --ca-bundle and the credentials"


class EvidenceError(CrmsecError):
    """A check cannot use the evidence it was given; the engine turns this into an ERROR finding."""


class RenderError(CrmsecError):
    """A report format failed while rendering (a crashing plugin): the other formats are written, exit 3."""

    hint = "the other formats were written; fix or uninstall the plugin named, or drop it from --format"


class SigningError(CrmsecError):
    """A key or an envelope is unusable."""

    hint = "check the key file and its passphrase variable"


class VerificationError(SigningError):
    """A signature or a digest does not match: the signed report must not be trusted."""

    hint = "the report, evidence or envelope changed after signing, or the key is not the signer's"
