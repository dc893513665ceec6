"""The format registry: a format name -> how to render it, the file it goes to, whether it needs Chromium.

Built-in formats and plugins register the same way: a `Format` value checked by `validate_format` and added
by `register`. A plugin is a `Format` named by an entry point in the group `crmsec.formats`, whose name is
the format's name:

    [project.entry-points."crmsec.formats"]
    xlsx = "my_package.render:XLSX"          # XLSX = Format("xlsx", "report.xlsx", "...", render=...)

How a hostile or broken plugin is treated (docs/reports.md, "Format plugins"):

- One that cannot be imported, is not a `Format`, has a bad name or file name, or takes a built-in's name or
  file name is left out and remembered in `broken`; scans that do not ask for it are unaffected. Asking for
  it (`--format NAME`) is an InputError naming the entry point and why: exit 2 before anything is collected.
- One that raises (or returns no bytes) while rendering: `RenderError` naming the format and its origin. The
  writers render every other format first, so no other output is lost; the command then exits 3.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import entry_points

from crmsec.errors import InputError
from crmsec.report.model import Report

ENTRY_POINT_GROUP = "crmsec.formats"
DEFAULT_SARIF_ANCHOR = "crmsec.yaml"
# Files the bundle writes itself (report.json, evidence.json, the DSSE envelope): no format may take them.
RESERVED_FILENAMES = frozenset({"report.json", "evidence.json", "report.dsse.json"})
_NAME = re.compile(r"[a-z][a-z0-9_-]{0,31}")
_FILENAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


@dataclass(frozen=True, slots=True)
class RenderContext:
    """What a renderer may use besides the report: the earlier report (trend), the SARIF anchor, JUnit mode."""

    previous: Report | None = None
    sarif_anchor: str = DEFAULT_SARIF_ANCHOR
    junit_fail_on: str = "gate"


Renderer = Callable[[Report, RenderContext], bytes]


@dataclass(frozen=True, slots=True)
class Format:
    """A rendering: its name, the file it is written to, a one-line description and the callable that makes
    the bytes. `needs_chromium` formats are refused up front when no Chromium is found."""

    name: str
    filename: str
    description: str
    render: Renderer
    needs_chromium: bool = False
    origin: str = "builtin"


@dataclass(slots=True)
class FormatRegistry:
    """Usable formats by name, and entry points that were left out with the reason (by entry-point name)."""

    formats: dict[str, Format] = field(default_factory=dict)
    broken: dict[str, str] = field(default_factory=dict)


def validate_format(candidate: object, *, taken: Mapping[str, Format]) -> Format:
    """`candidate` as a Format that fits next to `taken`; InputError saying what is wrong otherwise."""
    if not isinstance(candidate, Format):
        raise InputError(f"expected a crmsec.render.Format, got {type(candidate).__name__}")
    if not isinstance(candidate.name, str) or not _NAME.fullmatch(candidate.name) or candidate.name == "all":
        raise InputError(f"format name {candidate.name!r} must be 1-32 of a-z, 0-9, _ and -, starting with a letter")
    filename = candidate.filename
    if not isinstance(filename, str) or not _FILENAME.fullmatch(filename) or ".." in filename:
        raise InputError(f"format {candidate.name!r}: file name {filename!r} must be a plain file name")
    if filename in RESERVED_FILENAMES:
        raise InputError(f"format {candidate.name!r}: file name {filename!r} is crmsec's own")
    if not callable(candidate.render):
        raise InputError(f"format {candidate.name!r}: render is not callable")
    if candidate.name in taken:
        raise InputError(f"format {candidate.name!r} is already provided by {taken[candidate.name].origin}")
    for other in taken.values():
        if other.filename == filename:
            raise InputError(f"format {candidate.name!r}: file name {filename!r} is already used by {other.name!r}")
    return candidate


def register(registry: FormatRegistry, candidate: object) -> Format:
    """Validate and add one format (built-in or plugin); InputError when it does not fit."""
    entry = validate_format(candidate, taken=registry.formats)
    registry.formats[entry.name] = entry
    return entry


def load_entry_points(registry: FormatRegistry) -> None:
    """Add every `crmsec.formats` entry point; one that fails is recorded in `registry.broken`, never raised."""
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda item: item.name):
        try:
            loaded = entry.load()
            if isinstance(loaded, Format) and loaded.name != entry.name:
                raise InputError(f"entry point {entry.name!r} names a format called {loaded.name!r}")
            if isinstance(loaded, Format):
                distribution = entry.dist
                version = f" {distribution.version}" if distribution is not None else ""
                loaded = Format(
                    loaded.name,
                    loaded.filename,
                    loaded.description,
                    loaded.render,
                    needs_chromium=loaded.needs_chromium,
                    origin=f"plugin {entry.value}{version}",
                )
            register(registry, loaded)
        except (Exception, SystemExit) as error:  # noqa: BLE001 -- boundary: a broken plugin is left out, not fatal
            reason = str(error) if isinstance(error, InputError) else f"{type(error).__name__}: {error}"
            registry.broken[entry.name] = f"{entry.value}: {reason}"


def _html(report: Report, context: RenderContext) -> bytes:
    from crmsec.render import to_html

    return to_html.render(report, previous=context.previous)


def _markdown(report: Report, context: RenderContext) -> bytes:
    from crmsec.render import to_markdown

    return to_markdown.render(report, previous=context.previous)


def _sarif(report: Report, context: RenderContext) -> bytes:
    from crmsec.render import to_sarif

    return to_sarif.render(report, anchor=context.sarif_anchor)


def _junit(report: Report, context: RenderContext) -> bytes:
    from crmsec.render import to_junit

    return to_junit.render(report, fail_on=context.junit_fail_on)


def _csv(report: Report, context: RenderContext) -> bytes:
    from crmsec.render import to_csv

    return to_csv.render(report)


def _pdf(report: Report, context: RenderContext) -> bytes:
    from crmsec.render import to_pdf

    return to_pdf.render(report, previous=context.previous)


BUILTIN_FORMATS: tuple[Format, ...] = (
    Format("html", "report.html", "self-contained page with charts, filters and the full explanation", _html),
    Format("md", "report.md", "short summary for pull-request comments and tickets", _markdown),
    Format("sarif", "report.sarif", "SARIF 2.1.0 for code-scanning dashboards", _sarif),
    Format("junit", "report.junit.xml", "JUnit XML for CI test views", _junit),
    Format("csv", "report.csv", "one row per finding for spreadsheets (UTF-8 with BOM)", _csv),
    Format("pdf", "report.pdf", "the HTML printed by headless Chromium (optional)", _pdf, needs_chromium=True),
)


def builtin_registry() -> FormatRegistry:
    """A registry holding the built-in formats only."""
    registry = FormatRegistry()
    for entry in BUILTIN_FORMATS:
        register(registry, entry)
    return registry


_LOADED: list[FormatRegistry] = []


def loaded_registry() -> FormatRegistry:
    """Built-ins and entry-point plugins, loaded once per process."""
    if not _LOADED:
        registry = builtin_registry()
        load_entry_points(registry)
        _LOADED.append(registry)
    return _LOADED[0]


def reset() -> None:
    """Forget the loaded plugins (tests that install a fake entry point)."""
    _LOADED.clear()
