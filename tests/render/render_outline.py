"""A normalized outline of report.html for the golden test: landmarks, section ids, headings, findings and
recommendation rows, and the text alternative of each chart.

Guarding the whole page byte for byte would make every CSS tweak a golden change; the outline catches what
matters to a reader (a section or a finding disappearing, a heading renamed) and stays readable in a diff.
"""

from __future__ import annotations

from html.parser import HTMLParser

_LANDMARKS = {"header", "nav", "main", "footer", "section"}
_HEADINGS = {"h1", "h2", "h3", "h4"}


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._heading: list[str] | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._row_attributes = ""
        self._in_details = False
        self._chart_text = ""
        self._in_svg = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in _LANDMARKS:
            identifier = attributes.get("id")
            self.lines.append(f"<{tag}{'#' + identifier if identifier else ''}>")
        elif tag in _HEADINGS:
            self._heading = []
        elif tag == "tr" and "data-status" in attributes:
            self._row = []
            self._row_attributes = (
                f"{attributes['data-dimension']} {attributes['data-status']} {attributes['data-severity']}"
            )
            if attributes.get("id"):
                self._row_attributes += f" #{attributes['id']}"
        elif tag == "tr" and "data-recommendation" in attributes:
            self._row = []
            self._row_attributes = "recommendation"
        elif tag == "a" and self._cell is not None:
            self._cell.append(f"->{attributes.get('href')} ")
        elif tag == "svg":
            self._in_svg = True
        elif tag in ("title", "desc") and self._in_svg and attributes.get("id") and self._heading is None:
            self._heading = []
            self._chart_text = tag
        elif tag == "td" and self._row is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")
        elif tag == "details":
            self._in_details = True  # the details of a finding are not part of the outline

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._in_svg = False
        if tag == "details":
            self._in_details = False
        elif tag in ("title", "desc") and self._chart_text == tag and self._heading is not None:
            self.lines.append(f"    svg {tag}: {' '.join(''.join(self._heading).split())}")
            self._heading, self._chart_text = None, ""
        elif tag in _HEADINGS and self._heading is not None:
            self.lines.append(f"  {tag}: {' '.join(''.join(self._heading).split())}")
            self._heading = None
        elif tag == "td" and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.lines.append(f"    row [{self._row_attributes}] " + " | ".join(self._row))
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)
        if self._cell is not None and not self._in_details:
            self._cell.append(data)


def outline(page: str) -> str:
    """The outline of an HTML report, one line per landmark, heading and finding row."""
    parser = _Outline()
    parser.feed(page)
    parser.close()
    return "\n".join(parser.lines) + "\n"
