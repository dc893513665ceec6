"""Waivers applied to finding records: a failing record with a live waiver becomes WAIVED (original kept)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from crmsec.profiles import Profile, Waiver
from crmsec.report.model import FindingRecord
from crmsec.scoring import waiver_for
from crmsec.vocabulary import FAILING_STATUSES, Status


def apply_waivers(
    records: Iterable[FindingRecord], profile: Profile, today: dt.date
) -> tuple[list[FindingRecord], list[tuple[Waiver, str, str]]]:
    """The records with waived ones replaced, and each applied waiver with the check id and resource it matched."""
    waived: list[FindingRecord] = []
    applied: list[tuple[Waiver, str, str]] = []
    for record in records:
        waiver = None
        if record.status in FAILING_STATUSES:
            waiver = waiver_for(record.check_id, record.resource, profile.waivers, today)
        if waiver is None:
            waived.append(record)
            continue
        applied.append((waiver, record.check_id, record.resource))
        waived.append(replace(record, status=Status.WAIVED, original_status=record.status, waiver=waiver.to_json()))
    return waived, applied
