"""Render a fleet report: fleet.json (the document itself), fleet.md and fleet.html.

The fleet document is read as JSON only; like every renderer, nothing here re-runs a check. Org names,
titles and errors can carry hostile text: the HTML template autoescapes under a strict CSP (no script at
all, the inline style by hash), and the Markdown template escapes every value it prints
(`render.to_markdown.escape_markdown`).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FunctionLoader, StrictUndefined

from crmsec import documents, resources
from crmsec.errors import InputError
from crmsec.render import to_markdown
from crmsec.render.presentation import number_text, printable

FLEET_FORMATS: dict[str, str] = {"json": "fleet.json", "md": "fleet.md", "html": "fleet.html"}
DEFAULT_FLEET_FORMATS: tuple[str, ...] = ("json", "md", "html")
TOP_CHECKS_MARKDOWN = 25
CSS = (
    "body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1f24}table{border-collapse:collapse;width:100%;"
    "margin-bottom:2rem}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}"
    "th{background:#f6f8fa}.gate.passed{color:#1a7f37}.gate.failed{color:#cf222e;font-weight:600}"
    ".severity.critical,.severity.high{color:#cf222e}small{color:#57606a}"
)


def _percent(ratio: float | None) -> str:
    return "n/a" if ratio is None else f"{ratio * 100:.0f}%"


def _html_text(value: Any) -> Any:
    return printable(value) if type(value) is str else value


@cache
def _html_environment() -> Environment:
    return Environment(
        loader=FunctionLoader(resources.template),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        finalize=_html_text,
    )


def content_security_policy() -> str:
    """No script, no request: only our inline style, by hash."""
    digest = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
    return f"default-src 'none'; style-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"


def _context(fleet: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "summary": fleet["summary"],
        "gate": fleet["gate"],
        "targets": fleet["targets"],
        "dimensions": fleet["dimensions"],
        "checks": fleet["checks"],
        "tags": fleet["tags"],
        "generated_at": fleet["generated_at"],
        "tool_version": fleet["tool"]["version"],
        "number": number_text,
        "percent": _percent,
        "top": TOP_CHECKS_MARKDOWN,
        "css": CSS,
        "csp": content_security_policy(),
    }


def render_fleet(fleet: Mapping[str, Any], name: str) -> bytes:
    """The bytes of one rendering (`json`, `md` or `html`) of a fleet document."""
    if name == "json":
        return documents.pretty_bytes(fleet)
    if name == "md":
        return to_markdown.environment().get_template("fleet.md.j2").render(_context(fleet)).encode("utf-8")
    if name == "html":
        return _html_environment().get_template("fleet.html.j2").render(_context(fleet)).encode("utf-8")
    raise InputError(f"--format {name!r}: a fleet report renders as {', '.join(FLEET_FORMATS)}")


def parse_fleet_formats(text: str | None) -> tuple[str, ...]:
    """`json,md,html` -> names; json is always written (the signed document), unknown names are an InputError."""
    if text is None:
        return DEFAULT_FLEET_FORMATS
    names = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    unknown = [name for name in names if name not in FLEET_FORMATS]
    if unknown:
        raise InputError(f"--format {unknown[0]!r}: a fleet report renders as {', '.join(FLEET_FORMATS)}")
    return ("json", *(name for name in names if name != "json"))


def write_fleet(fleet: Mapping[str, Any], out_dir: Path, formats: Sequence[str]) -> list[Path]:
    """Write the chosen renderings into `out_dir` (0600, atomic); returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in formats:
        path = out_dir / FLEET_FORMATS[name]
        documents.write_private(path, render_fleet(fleet, name))
        written.append(path)
    return written
