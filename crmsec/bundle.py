"""The output bundle: evidence.json, report.json, the rendered formats and the DSSE envelope in one folder.

What `scan`, `evaluate`, `demo` and `fleet scan` write, without the CLI: formats (and a `--previous` report)
are checked before the first byte is written, every file is replaced atomically (`crmsec.files`) with mode
0600 (the DSSE envelope 0644: it is public), and files an earlier run wrote here but this one does
not are removed, so nothing in the folder looks current when it is not.

    BundleOptions          which formats, the trend's earlier report, SARIF anchor, JUnit mode, signing key
    resolve_formats()      `--format` text (None: the defaults) -> names, checked up front (pdf needs Chromium)
    sarif_anchor()         where SARIF results point
    write_bundle()         the whole folder; returns the paths written
    remove_stale_outputs() crmsec's own rendered files and envelope that are not in `keep`
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from crmsec.documents import write_private
from crmsec.errors import InputError
from crmsec.evidence import EvidenceSnapshot, save_snapshot
from crmsec.render import DEFAULT_FORMATS, DEFAULT_SARIF_ANCHOR, available, check_renderable, parse_formats, write_each
from crmsec.report.model import Report, load_report

REPORT_NAME = "report.json"
EVIDENCE_NAME = "evidence.json"


@dataclass(frozen=True, slots=True)
class BundleOptions:
    """What goes into the folder besides report.json and evidence.json."""

    formats: tuple[str, ...] = DEFAULT_FORMATS
    previous: Path | None = None
    sarif_anchor: str = DEFAULT_SARIF_ANCHOR
    junit_fail_on: str = "gate"
    sign_key: Path | None = None


def resolve_formats(text: str | None) -> tuple[str, ...]:
    """`--format` as typed (None: the default set) as format names; InputError for an unknown or broken
    format, `PdfUnavailableError` (exit 2) when pdf is asked for and no Chromium can print it."""
    formats = DEFAULT_FORMATS if text is None else parse_formats(text)
    check_renderable(formats)
    return formats


def sarif_anchor(flag: str | None, profile: str) -> str:
    """Where SARIF results point: the flag, else a profile file given by relative path, else crmsec.yaml."""
    if flag:
        return flag
    path = Path(profile)
    if path.suffix in (".yaml", ".yml") and not path.is_absolute() and ".." not in path.parts:
        return path.as_posix()
    return DEFAULT_SARIF_ANCHOR


def write_bundle(report: Report, snapshot: EvidenceSnapshot, out: Path, options: BundleOptions) -> list[Path]:
    """Write evidence.json, report.json, the rendered formats and (with a signing key) the DSSE envelope.

    The formats and the previous report are checked before anything is written. A format that fails while
    rendering does not stop the others, the signature or the stale-file removal (its own old file goes too);
    its error is raised at the end (`RenderError`: exit 3; a Chromium that fails printing: exit 2).
    """
    check_renderable(options.formats)
    previous = load_report(options.previous) if options.previous is not None else None
    out.mkdir(parents=True, exist_ok=True)
    save_snapshot(snapshot, out / EVIDENCE_NAME)
    write_private(out / REPORT_NAME, report.to_bytes())
    files = [out / REPORT_NAME, out / EVIDENCE_NAME]
    rendered = write_each(
        report,
        out,
        options.formats,
        previous=previous,
        sarif_anchor=options.sarif_anchor,
        junit_fail_on=options.junit_fail_on,
    )
    files += rendered.written
    if options.sign_key is not None:
        from crmsec.signing import sign_bundle

        files.append(sign_bundle(out, options.sign_key))
    remove_stale_outputs(out, keep=files)
    rendered.raise_failures()
    return files


def remove_stale_outputs(out: Path, *, keep: Sequence[Path]) -> None:
    """Remove the rendered files and envelope crmsec writes into `out` that are not in `keep`.

    Only our own fixed names (every registered format's file and the envelope) are touched; anything else in
    the folder is left alone. A symlink with one of those names is removed, never followed.
    """
    from crmsec.signing import ENVELOPE_NAME

    kept = {path.name for path in keep}
    for name in (*(entry.filename for entry in available().values()), ENVELOPE_NAME):
        path = out / name
        if name in kept or not (path.is_symlink() or path.exists()):
            continue
        try:
            path.unlink()
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise InputError(f"{path}: left from an earlier run and cannot be removed ({reason})") from error
