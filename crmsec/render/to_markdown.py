"""report.md: a short, link-free Markdown summary for pull-request comments and tickets.

CRM data is hostile input, and Markdown has no autoescaping, so the template's `finalize` hook escapes
every value it prints: HTML characters become entities, Markdown punctuation (pipes, backticks, emphasis,
brackets, tildes, backslashes) is backslash-escaped, line breaks become spaces (they would end a table
row), other control characters (ESC, BEL, C1...: report.md is often read with `cat`) become U+FFFD as in
HTML and CSV, and URL schemes and `www.` are defanged (`https[:]//`) so GitHub's autolinker makes no links.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jinja2 import Environment, FunctionLoader, StrictUndefined

from crmsec import resources
from crmsec.render import comparison, view
from crmsec.render.evaluation_view import evaluation_sections, recommendations
from crmsec.render.presentation import number_text, printable
from crmsec.render.to_html import percent_text
from crmsec.report.model import Report
from crmsec.report.verdict import coverage_wording, gate_wording_of

TOP_FAILURES = 10
TOP_RECOMMENDATIONS = 10
KEY_METRICS = 4
_PUNCTUATION = re.compile(r"([\\`*_\[\]|~])")
_SCHEME = re.compile(r"(?i)([a-z][a-z0-9+.-]*):(//)")
_WWW = re.compile(r"(?i)\bwww\.")
_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029]+")


def escape_markdown(value: Any) -> str:
    """Text safe inside a Markdown paragraph, list item or table cell, with no links or HTML."""
    text = printable(_LINE_BREAK.sub(" ", "" if value is None else str(value)))
    text = _SCHEME.sub(r"\1[:]\2", text)
    text = _WWW.sub("www[.]", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _PUNCTUATION.sub(r"\\\1", text)


@cache
def environment() -> Environment:
    """The Jinja environment for Markdown: every printed value goes through `escape_markdown`."""
    return Environment(
        loader=FunctionLoader(resources.template),
        autoescape=False,  # noqa: S701 -- Markdown, not HTML: `finalize` escapes every value instead
        finalize=escape_markdown,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def _dimensions(report: Report) -> list[dict[str, str]]:
    order = list(view.DIMENSION_LABELS)
    return [
        {
            "label": view.dimension_label(str(d.dimension)),
            "score_text": number_text(d.score),
            "coverage_text": percent_text(d.coverage),
            "points_text": number_text(round(sum(p.points for p in d.points_lost), 2)),
        }
        for d in sorted(report.scores.dimensions, key=lambda d: order.index(str(d.dimension)))
    ]


def _comparison(report: Report, previous: Report | None) -> dict[str, Any] | None:
    if previous is None:
        return None
    compared = comparison.compare(report, previous)
    return {
        "previous_generated_at": compared.previous_generated_at,
        "previous_overall_text": number_text(compared.previous_overall),
        "delta_text": "n/a" if compared.overall_delta is None else f"{compared.overall_delta:+.2f}",
        "new_count": len(compared.new_failures),
        "resolved_count": len(compared.resolved),
        "unassessed_count": len(compared.unassessed),
    }


def _evaluation(report: Report) -> list[dict[str, Any]]:
    """One line per evaluation dimension: its score and its key metrics (judged ones first)."""
    return [
        {
            "label": section.label,
            "score": section.score,
            "score_text": section.score_text,
            "metrics": section.key_metrics(KEY_METRICS),
        }
        for section in evaluation_sections(report)
    ]


def _count(report: Report, name: str) -> int:
    value = report.waivers.get(name)
    return len(value) if isinstance(value, list) else 0


def context(report: Report, previous: Report | None = None) -> dict[str, Any]:
    """The values the Markdown template prints."""
    groups, more_failures = view.top_failure_groups(report, TOP_FAILURES)
    failures = [(group, number_text(group.points)) for group in groups]
    expired = report.waivers.get("expired")
    ratio = report.coverage.get("ratio")
    advice = recommendations(report)
    return {
        "meta": {
            "platform": report.target.get("platform", ""),
            "url": report.target.get("url", ""),
            "profile": report.profile.get("name", ""),
            "generated_at": report.generated_at,
            "identities": view.identities_note(report),
        },
        "scores": {
            "overall_text": number_text(report.scores.overall),
            "grade": report.scores.grade,
            "capped_by": list(report.scores.grade_capped_by),
        },
        "gate": {"wording": gate_wording_of(report.gate), "reasons": list(report.gate.get("reasons") or [])},
        "coverage": {
            "decided": report.coverage.get("decided"),
            "selected": report.coverage.get("selected"),
            "ratio_text": percent_text(ratio if isinstance(ratio, int | float) else None),
            "wording": coverage_wording(report.coverage),
        },
        "status_counts": view.status_counts(report.findings),
        "audit": view.audit_trail(report),
        "dimensions": _dimensions(report),
        "failures": failures,
        "more_failures": more_failures,
        "waivers": {
            "applied": _count(report, "applied"),
            "expired": _count(report, "expired"),
            "unused": _count(report, "unused"),
            "expired_entries": expired if isinstance(expired, list) else [],
        },
        "errors": list(report.errors),
        "comparison": _comparison(report, previous),
        "evaluation": _evaluation(report),
        "recommendations": advice[:TOP_RECOMMENDATIONS],
        "more_recommendations": max(len(advice) - TOP_RECOMMENDATIONS, 0),
    }


def render(report: Report, *, previous: Report | None = None) -> bytes:
    """The bytes of report.md (UTF-8, ends with a newline)."""
    text = environment().get_template("report.md.j2").render(context(report, previous))
    return (text.rstrip("\n") + "\n").encode("utf-8")
