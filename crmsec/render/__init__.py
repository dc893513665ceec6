"""Renderers: report.json in, HTML, Markdown, SARIF, JUnit XML, CSV (and optionally PDF) out.

Renderers read only a `Report` (loaded from report.json); they never import the registry, the engine, the
connectors or the checks, so `crmsec report report.json --format ...` gives the same files as the scan.

    FORMATS           name -> (file name, what it is for)
    DEFAULT_FORMATS   what scan, evaluate and demo write
    render()          one format as bytes
    write_formats()   several formats into a folder, returns the paths written
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from crmsec.documents import write_private
from crmsec.errors import InputError
from crmsec.report.model import Report


@dataclass(frozen=True, slots=True)
class Format:
    """A rendering: the file it is written to and a one-line description."""

    name: str
    filename: str
    description: str


FORMATS: dict[str, Format] = {
    entry.name: entry
    for entry in (
        Format("html", "report.html", "self-contained page with charts, filters and the full explanation"),
        Format("md", "report.md", "short summary for pull-request comments and tickets"),
        Format("sarif", "report.sarif", "SARIF 2.1.0 for code-scanning dashboards"),
        Format("junit", "report.junit.xml", "JUnit XML for CI test views"),
        Format("csv", "report.csv", "one row per finding for spreadsheets (UTF-8 with BOM)"),
        Format("pdf", "report.pdf", "the HTML printed by headless Chromium (optional)"),
    )
}
DEFAULT_FORMATS: tuple[str, ...] = ("html", "md", "sarif", "junit", "csv")
DEFAULT_SARIF_ANCHOR = "crmsec.yaml"


def parse_formats(text: str) -> tuple[str, ...]:
    """`html,md` -> ("html", "md"); `all` means every format but pdf; unknown names raise InputError."""
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    if names == ["all"]:
        return DEFAULT_FORMATS
    check_formats(names)
    return tuple(dict.fromkeys(names))


def check_renderable(names: Iterable[str]) -> None:
    """Check formats before anything is collected or written: InputError naming the first unknown one, and
    `PdfUnavailableError` (exit 2) when pdf is asked for and no Chromium can print it."""
    names = tuple(names)
    check_formats(names)
    if "pdf" in names:
        from crmsec.render import to_pdf

        if to_pdf.find_chromium() is None:
            raise to_pdf.PdfUnavailableError("--format pdf: no Chromium found to print the HTML report")


def check_formats(names: Iterable[str]) -> None:
    """InputError naming the first unknown format."""
    for name in names:
        if name not in FORMATS:
            raise InputError(
                f"unknown report format {name!r}",
                hint="use one or more of " + ", ".join(FORMATS) + " (comma-separated)",
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
    `junit_fail_on` says what turns a JUnit test red (gate, fail or warn: see `to_junit`)."""
    check_formats([fmt])
    if fmt == "html":
        from crmsec.render import to_html

        return to_html.render(report, previous=previous)
    if fmt == "md":
        from crmsec.render import to_markdown

        return to_markdown.render(report, previous=previous)
    if fmt == "sarif":
        from crmsec.render import to_sarif

        return to_sarif.render(report, anchor=sarif_anchor)
    if fmt == "junit":
        from crmsec.render import to_junit

        return to_junit.render(report, fail_on=junit_fail_on)
    if fmt == "csv":
        from crmsec.render import to_csv

        return to_csv.render(report)
    from crmsec.render import to_pdf

    return to_pdf.render(report, previous=previous)


def write_formats(
    report: Report,
    out_dir: Path,
    formats: Iterable[str],
    *,
    previous: Report | None = None,
    sarif_anchor: str = DEFAULT_SARIF_ANCHOR,
    junit_fail_on: str = "gate",
) -> list[Path]:
    """Render each format into `out_dir` (files are 0600: reports describe weaknesses) and return the paths.

    Unknown formats, and pdf without Chromium, raise InputError before anything is written; a Chromium that
    fails while printing raises `PdfUnavailableError` too, since pdf was asked for (exit 2, never 0 without it).
    """
    names = tuple(dict.fromkeys(formats))
    check_renderable(names)
    written = []
    for name in names:
        data = render(report, name, previous=previous, sarif_anchor=sarif_anchor, junit_fail_on=junit_fail_on)
        path = out_dir / FORMATS[name].filename
        write_private(path, data)
        written.append(path)
    return written
