"""docs/salesforce.md states how many API calls one collection makes: the lab's own counter must agree."""

from __future__ import annotations

import re
from pathlib import Path

import anyio
import pytest

from crmsec import engine
from crmsec.lab import LabConfig, start_lab
from crmsec.target import Secret, Target

pytestmark = pytest.mark.integration
DOC = Path(__file__).parents[2] / "docs" / "salesforce.md"


def _documented() -> int:
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    match = re.search(r"One collection makes (\d+) API calls", text)
    assert match, "docs/salesforce.md no longer states the calls per collection"
    return int(match[1])


@pytest.mark.parametrize(("scenario", "users"), [("hardened", 30), ("misconfigured", 200)])
def test_one_collection_makes_the_documented_number_of_api_calls(scenario: str, users: int) -> None:
    async def collect() -> tuple[int, int]:
        with start_lab(LabConfig(scenario=scenario, users=users, contacts=50)) as lab:
            before = lab.state.used
            target = Target(platform="salesforce", url=lab.url, secret=Secret(lab.token), ca_bundle=Path(lab.ca_bundle))
            snapshot = await engine.collect(target)
            return lab.state.used - before, snapshot.metadata.api_calls

    counted_by_lab, counted_by_client = anyio.run(collect)
    assert counted_by_lab == _documented()
    assert counted_by_client == counted_by_lab + 1  # evidence metadata also counts the free version list
