"""Reading the CSV inputs: size cap, UTF-8 (BOM tolerated), `#` comment lines, directives and line numbers.

Templates written by `crmsec init` start with `#` comment lines; lines such as `# observed_from: 2025-01-01`
are directives. Every row keeps the line number it had in the file, so problems can point at it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from crmsec import files
from crmsec.errors import InputError

MAX_CSV_BYTES = 16 * 1024 * 1024
_DIRECTIVE = re.compile(r"#\s*([a-z_]+)\s*:\s*(\S.*?)\s*$")


@dataclass(frozen=True, slots=True)
class Table:
    """The rows of a CSV input: `(line number, {column: cell})`, plus its header and directives."""

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]
    directives: dict[str, str]


def read_table(path: Path, *, required: tuple[str, ...]) -> Table:
    """Parse a CSV input file; raises InputError naming the file (and line) when it cannot be used."""
    lines = _text(path).splitlines()
    directives: dict[str, str] = {}
    content: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith("#"):
            match = _DIRECTIVE.match(line.strip())
            if match:
                directives[match.group(1)] = match.group(2)
        elif line.strip():
            content.append((number, line))
    if not content:
        return Table(path.name, (), (), directives)
    header_line, header_text = content[0]
    header = tuple(cell.strip().lower() for cell in next(csv.reader([header_text])))
    missing = [column for column in required if column not in header]
    if missing:
        raise InputError(f"{path.name}:{header_line}: missing column(s) {', '.join(missing)}")
    rows = tuple((number, _row(path.name, number, text, header)) for number, text in content[1:])
    return Table(path.name, header, rows, directives)


def _row(name: str, number: int, text: str, header: tuple[str, ...]) -> dict[str, str]:
    try:
        cells = next(csv.reader([text], strict=True))
    except csv.Error as error:
        raise InputError(f"{name}:{number}: malformed CSV ({error})") from error
    if len(cells) > len(header):
        raise InputError(f"{name}:{number}: {len(cells)} cells but the header has {len(header)} columns")
    cells += [""] * (len(header) - len(cells))
    return {column: cell.strip() for column, cell in zip(header, cells, strict=True)}


def _text(path: Path) -> str:
    data = files.read_regular(path, limit=MAX_CSV_BYTES, error=InputError)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{path.name}: not UTF-8 text") from error
