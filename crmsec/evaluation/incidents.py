"""incidents.csv: outages and failures in an observed window, for failure rate, MTTR and availability.

Unlike survey rows, a bad incident row refuses the whole file: dropping one outage silently would flatter
the stability metrics. The window comes from the directives `# observed_from:` and `# observed_to:`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from crmsec.errors import InputError
from crmsec.evaluation.tables import read_table
from crmsec.vocabulary import JsonValue

SEVERITIES = ("critical", "high", "medium", "low")
KINDS = ("outage", "degradation", "defect")


def load_incidents(path: Path) -> dict[str, JsonValue] | None:
    """The evidence value of `inputs.incidents` (None for an untouched template); InputError names file and line."""
    table = read_table(path, required=("start", "end", "severity"))
    if not table.rows and not {"observed_from", "observed_to"} & table.directives.keys():
        return None
    window = {name: table.directives.get(name) for name in ("observed_from", "observed_to")}
    for name, text in window.items():
        if text is None:
            raise InputError(f"{path.name}: add a '# {name}: YYYY-MM-DD' line (the observed window)")
    start = parse_moment(str(window["observed_from"]), where=f"{path.name}: observed_from")
    end = parse_moment(str(window["observed_to"]), where=f"{path.name}: observed_to", end_of_day=True)
    if end <= start:
        raise InputError(f"{path.name}: observed_to must be after observed_from")
    incidents = [_incident(path.name, number, row, start, end) for number, row in table.rows]
    return {
        "file": path.name,
        "observed_from": _stamp(start),
        "observed_to": _stamp(end),
        "incidents": incidents,
    }


def _incident(
    name: str, number: int, row: dict[str, str], window_start: datetime, window_end: datetime
) -> dict[str, JsonValue]:
    where = f"{name}:{number}"
    start = parse_moment(row["start"], where=f"{where}: start")
    end = parse_moment(row["end"], where=f"{where}: end") if row["end"] else None
    if end is not None and end < start:
        raise InputError(f"{where}: end is before start")
    if not window_start <= start <= window_end:
        raise InputError(f"{where}: start is outside the observed window")
    severity = row["severity"].lower()
    if severity not in SEVERITIES:
        raise InputError(f"{where}: severity {row['severity'][:20]!r} is not one of {', '.join(SEVERITIES)}")
    kind = (row.get("kind") or "outage").lower()
    if kind not in KINDS:
        raise InputError(f"{where}: kind {kind[:20]!r} is not one of {', '.join(KINDS)}")
    return {
        "id": row.get("id") or f"line-{number}",
        "start": _stamp(start),
        "end": None if end is None else _stamp(end),
        "severity": severity,
        "kind": kind,
        "line": number,
    }


def parse_moment(text: str, *, where: str, end_of_day: bool = False) -> datetime:
    """A UTC datetime from `YYYY-MM-DD` or an ISO 8601 time (naive times are UTC); InputError naming `where`."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as error:
        raise InputError(f"{where}: {text[:30]!r} is not a date or ISO 8601 time") from error
    if len(text.strip()) == 10 and end_of_day:
        moment = moment.replace(hour=23, minute=59, second=59)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
