"""Renderers: report.json in, HTML, Markdown, SARIF, JUnit XML, CSV (and optionally PDF) out.

Renderers read only a `Report` (loaded from report.json); they never import the registry, the engine, the
connectors or the checks, so `crmsec report report.json --format ...` gives the same files as the scan.
Which formats exist is the format registry's business (`crmsec.render.formats`: built-ins and plugins in the
entry-point group `crmsec.formats`, registered the same way).

    FORMATS           the built-in formats by name (file name, description, renderer)
    available()       built-ins and format plugins by name
    DEFAULT_FORMATS   what scan, evaluate and demo write
    render()          one format as bytes
    write_each()      several formats into a folder: the paths written and the failures, nothing lost
    write_formats()   the same, raising the failure after the other formats are written
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from crmsec.documents import write_private
from crmsec.errors import CrmsecError, InputError, RenderError
from crmsec.render.formats import (
    DEFAULT_SARIF_ANCHOR,
    ENTRY_POINT_GROUP,
    Format,
    RenderContext,
    builtin_registry,
    loaded_registry,
)
from crmsec.report.model import Report

__all__ = [
    "DEFAULT_FORMATS",
    "DEFAULT_SARIF_ANCHOR",
    "ENTRY_POINT_GROUP",
    "FORMATS",
    "Format",
    "RenderContext",
    "WriteResult",
    "available",
    "check_formats",
    "check_renderable",
    "parse_formats",
    "render",
    "write_each",
    "write_formats",
]

FORMATS: Mapping[str, Format] = builtin_registry().formats
DEFAULT_FORMATS: tuple[str, ...] = ("html", "md", "sarif", "junit", "csv")


def available() -> Mapping[str, Format]:
    """Every usable format: the built-ins, then format plugins (loaded once)."""
    return loaded_registry().formats


def parse_formats(text: str) -> tuple[str, ...]:
    """`html,md` -> ("html", "md"); `all` means every built-in format but pdf; unknown names raise InputError."""
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    if names == ["all"]:
        return DEFAULT_FORMATS
    check_formats(names)
    return tuple(dict.fromkeys(names))


def check_renderable(names: Iterable[str]) -> None:
    """Check formats before anything is collected or written: InputError naming the first unknown (or broken
    plugin) one, and `PdfUnavailableError` (exit 2) when a format needs Chromium and none can print it."""
    names = tuple(names)
    check_formats(names)
    formats = available()
    chromium = [name for name in names if formats[name].needs_chromium]
    if chromium:
        from crmsec.render import to_pdf

        if to_pdf.find_chromium() is None:
            raise to_pdf.PdfUnavailableError(f"--format {chromium[0]}: no Chromium found to print the HTML report")


def check_formats(names: Iterable[str]) -> None:
    """InputError naming the first unknown format, or the first broken plugin asked for and why."""
    registry = loaded_registry()
    for name in names:
        if name in registry.formats:
            continue
        if name in registry.broken:
            raise InputError(
                f"report format {name!r} cannot be used: plugin {registry.broken[name]}",
                hint="fix or uninstall the plugin that provides it (`crmsec formats` lists them), or drop it",
            )
        raise InputError(
            f"unknown report format {name!r}",
            hint="use one or more of " + ", ".join(registry.formats) + " (comma-separated)",
        )


def render(
    report: Report,
    fmt: str,
    *,
    previous: Report | None = None,
    sarif_anchor: str = DEFAULT_SARIF_ANCHOR,
    junit_fail_on: str = "gate",
) -> bytes:
    """One format as bytes. `previous` adds the trend (HTML, Markdown); `sarif_anchor` is the SARIF location;
    `junit_fail_on` says what turns a JUnit test red (gate, fail or warn: see `to_junit`).

    A renderer that raises anything but a `CrmsecError`, or returns no bytes, is a `RenderError` naming it."""
    check_formats([fmt])
    entry = available()[fmt]
    context = RenderContext(previous=previous, sarif_anchor=sarif_anchor, junit_fail_on=junit_fail_on)
    try:
        data = entry.render(report, context)
    except CrmsecError:
        raise
    except (Exception, SystemExit) as error:  # boundary: a crashing (plugin) renderer is named
        raise RenderError(f"report format {fmt!r} ({entry.origin}) failed: {type(error).__name__}: {error}") from error
    if not isinstance(data, bytes):
        raise RenderError(f"report format {fmt!r} ({entry.origin}) returned {type(data).__name__}, not bytes")
    return data


@dataclass(slots=True)
class WriteResult:
    """What `write_each` wrote, and the formats that failed (in the order asked for)."""

    written: list[Path] = field(default_factory=list)
    failures: list[CrmsecError] = field(default_factory=list)

    def raise_failures(self) -> None:
        """Raise the one failure, or a RenderError naming all of them; nothing when every format was written."""
        if len(self.failures) == 1:
            raise self.failures[0]
        if self.failures:
            raise RenderError(f"{len(self.failures)} report formats failed: " + "; ".join(map(str, self.failures)))


def write_each(
    report: Report,
    out_dir: Path,
    formats: Iterable[str],
    *,
    previous: Report | None = None,
    sarif_anchor: str = DEFAULT_SARIF_ANCHOR,
    junit_fail_on: str = "gate",
) -> WriteResult:
    """Render each format into `out_dir` (files are 0600: reports describe weaknesses). Unknown formats, and
    Chromium formats without Chromium, raise InputError before anything is written; a format that fails while
    rendering is recorded and the others are still written."""
    names = tuple(dict.fromkeys(formats))
    check_renderable(names)
    result = WriteResult()
    for name in names:
        try:
            data = render(report, name, previous=previous, sarif_anchor=sarif_anchor, junit_fail_on=junit_fail_on)
        except CrmsecError as error:
            result.failures.append(error)
            continue
        path = out_dir / available()[name].filename
        write_private(path, data)
        result.written.append(path)
    return result


def write_formats(
    report: Report,
    out_dir: Path,
    formats: Iterable[str],
    *,
    previous: Report | None = None,
    sarif_anchor: str = DEFAULT_SARIF_ANCHOR,
    junit_fail_on: str = "gate",
) -> list[Path]:
    """`write_each`, then raise the failure (if any) once the other formats are written; returns the paths.

    A Chromium that fails while printing raises `PdfUnavailableError` (exit 2, never 0 without the pdf); a
    crashing plugin raises `RenderError` (exit 3).
    """
    result = write_each(
        report, out_dir, formats, previous=previous, sarif_anchor=sarif_anchor, junit_fail_on=junit_fail_on
    )
    result.raise_failures()
    return result.written
