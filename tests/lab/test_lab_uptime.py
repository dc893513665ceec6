"""The lab's ages do not drift while it runs: served timestamps move by its whole days of uptime.

Issue 13: a hardened lab's verdicts must not change with the lab's uptime. The org is built relative to its
start; a fake clock stands in for days of uptime.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import anyio
import pytest

from crmsec import engine
from crmsec.evidence import EvidenceSnapshot
from crmsec.lab import LabConfig, start_lab
from crmsec.lab.org import LabOrg
from crmsec.lab.scenarios import SCENARIOS
from crmsec.profiles import load_profile
from crmsec.registry import load_catalogue
from crmsec.target import Secret, Target

START = datetime(2026, 1, 1, tzinfo=UTC)
LOGINS = "SELECT Id, LastLoginDate FROM User WHERE LastLoginDate != null ORDER BY Id LIMIT 5"
RECENT = "SELECT COUNT() FROM LoginHistory WHERE LoginTime = LAST_N_DAYS:30"
LATENCY = "CRM-STAB-001"


class FakeClock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def _logins(page: dict[str, object]) -> list[datetime]:
    records = page["records"]
    assert isinstance(records, list)
    return [datetime.fromisoformat(record["LastLoginDate"].replace("+0000", "+00:00")) for record in records]


def test_served_timestamps_move_by_whole_days_of_uptime() -> None:
    clock = FakeClock(START + timedelta(hours=5))
    org = LabOrg(SCENARIOS["hardened"], seed=1, users=20, contacts=5, now=START, clock=clock)
    first = _logins(org.query(LOGINS, tooling=False, batch_size=2000))
    first_bytes = org.query_page(LOGINS, tooling=False, batch_size=2000)
    counted = org.query(RECENT, tooling=False, batch_size=2000)["totalSize"]
    assert first and all(moment < START for moment in first)

    clock.moment = START + timedelta(days=40, hours=23)  # the same lab, 40 days and 23 hours later
    later = _logins(org.query(LOGINS, tooling=False, batch_size=2000))
    assert later == [moment + timedelta(days=40) for moment in first]
    assert org.current_now() == START + timedelta(days=40)
    # the page cache does not serve day one's bytes on day 41, and the 30-day window moves along
    later_bytes = org.query_page(LOGINS, tooling=False, batch_size=2000)
    assert later_bytes != first_bytes
    assert _logins(json.loads(later_bytes)) == later
    assert org.query(RECENT, tooling=False, batch_size=2000)["totalSize"] == counted


def test_without_a_clock_nothing_moves() -> None:
    org = LabOrg(SCENARIOS["hardened"], seed=1, users=20, contacts=5, now=START)
    assert org.shift() == timedelta(0) and org.current_now() == START


def _verdicts(config: LabConfig) -> dict[str, str]:
    async def collect() -> EvidenceSnapshot:
        with start_lab(config) as lab:
            target = Target(platform="salesforce", url=lab.url, secret=Secret(lab.token), ca_bundle=Path(lab.ca_bundle))
            return await engine.collect(target)

    _, report = engine.assess(anyio.run(collect), load_profile("baseline"), load_catalogue(plugins=False))
    statuses: dict[str, set[str]] = {}
    for finding in report.findings:
        statuses.setdefault(finding.check_id, set()).add(str(finding.status))
    return {check_id: ",".join(sorted(found)) for check_id, found in statuses.items()}


@pytest.mark.integration
def test_a_hardened_lab_up_for_40_days_judges_as_on_its_first_day() -> None:
    """Before: active users (last login within 30 days of the scan) fell from PASS to FAIL after ~3 weeks."""
    config = LabConfig(scenario="hardened", users=200, contacts=100)
    fresh = _verdicts(config)
    long_running = _verdicts(
        LabConfig(scenario="hardened", users=200, contacts=100, now=config.now - timedelta(days=40))
    )
    assert fresh["CRM-USE-002"] == "PASS"
    timed = {LATENCY}  # measured on this run's own response times, which a busy machine moves
    assert {k: v for k, v in long_running.items() if k not in timed} == {
        k: v for k, v in fresh.items() if k not in timed
    }
