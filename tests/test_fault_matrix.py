"""The fault matrix: a fault may only ever turn a verdict into ERROR (docs/reliability.md).

Every connector with a lab (salesforce, and web pointed at the same lab) is scanned once cleanly, then
several times per cell under seeded faults (mixed faults at 0.3 and 0.6, only 429, only 5xx, only truncated
bodies, only slow bodies, latency, token expiry), on two lab scenarios: `mixed` (PASS, FAIL, WARN, MANUAL and
NOT_APPLICABLE findings, `RUNS` runs per cell) and `hardened` (the clean reference where most checks PASS and
the gate passes, the strictest test of "a PASS survives only if its evidence was there"; `HARDENED_RUNS` runs
per cell). Each faulted run is compared with the clean one:

- every (check id, resource) of the clean run keeps its status or becomes ERROR;
- a clean row missing from the faulted run is covered only by an ERROR of the same check on `organization`
  (a check that could not enumerate its resources says so once);
- a row only the faulted run has must be ERROR;
- the `--fail-on medium` gate never passes where the clean run's fails, and the score never rises (so no
  `--fail-under` threshold passes where the clean run fails);
- a run the connector stops (TargetError, exit 3) gives no verdict at all, which is allowed.

CRM-STAB-002 (API error rate) judges the collection's own requests, exactly what the faults change: it may get
worse, never better. CRM-STAB-001 (API latency) is left out of the profile: it judges measured time, and
tests never assert on time (a loaded machine could make the clean run slower than a faulted one). The checks
of what is not collected here are left out too (`tls.scan`, and for salesforce `http.probe`, which its
`tls_scan=false` skips as well): their ERRORs would fail every gate, the clean one included, so "the gate
never passes where the clean run fails" would hold for nothing.

Seeds differ per cell (cell number * 100 + run, plus 50 for `hardened`), so each cell fails other requests.
To keep the matrix near a minute on two cores, faulted runs retry without waiting (Retry-After and backoff
are tested in tests/connectors), skip the TLS scan (the faults are HTTP-level) and skip validating each report
against its schema (every other report test validates it). Set CRMSEC_FAULT_MATRIX_SUMMARY to a file path to
append one JSON line of counts per cell; docs/reliability.md shows them.
"""

from __future__ import annotations

import json
import os
import random
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import anyio
import pytest

from crmsec import engine
from crmsec.connectors import web
from crmsec.connectors.base import Connector, Recorder
from crmsec.connectors.salesforce.connector import SalesforceConnector
from crmsec.connectors.web import WebConnector
from crmsec.errors import ConnectorError
from crmsec.lab import Lab, LabConfig, start_lab
from crmsec.lab.server import FAULT_KINDS
from crmsec.plugin import Severity, Status
from crmsec.profiles import Profile, load_profile
from crmsec.registry import Catalogue, load_catalogue
from crmsec.report import build
from crmsec.report.build import GateOptions
from crmsec.target import Secret, Target

pytestmark = pytest.mark.integration

RUNS = 20
HARDENED_RUNS = 8
LABS = {
    "mixed": LabConfig(scenario="mixed", users=30, contacts=40, seed=11),
    # 35 users keep the hardened org's three admins under CRM-AC-001's 10% limit: its clean gate passes.
    "hardened": LabConfig(scenario="hardened", users=35, contacts=40, seed=11),
}
RUNS_PER_CELL = {"mixed": RUNS, "hardened": HARDENED_RUNS}
SEED_OFFSET = {"mixed": 1, "hardened": 51}
TRANSPORT_CHECKS = frozenset({"CRM-STAB-002"})
TIMED_CHECKS = ("CRM-STAB-001",)
UNCOLLECTED_KEYS = {"salesforce": frozenset({"tls.scan", "http.probe"}), "web": frozenset({"tls.scan"})}
RANK = {Status.PASS: 0, Status.WARN: 1, Status.FAIL: 2, Status.ERROR: 3}
Row = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Cell:
    """One kind of trouble: which faults, how often, what latency, whether the token expires mid-scan."""

    name: str
    rate: float = 0.0
    kinds: tuple[str, ...] = FAULT_KINDS
    latency_ms: float = 0.0
    expiry: bool = False


CELLS = (
    Cell("mixed-0.3", rate=0.3),
    Cell("mixed-0.6", rate=0.6),
    Cell("429-only", rate=0.6, kinds=("rate_limited",)),
    Cell("5xx-only", rate=0.6, kinds=("server_error", "unavailable")),
    Cell("truncated-only", rate=0.6, kinds=("truncated",)),
    Cell("slow-only", rate=0.6, kinds=("slow",)),
    Cell("latency-5ms", latency_ms=5.0),
    Cell("token-expiry", expiry=True),
)
PLATFORMS = ("salesforce", "web")
"""bottlecrm has no lab (it runs against real django-crm in `make test-live`), so it is not in the matrix."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one scan decided: statuses per (check id, resource), score and gate; `aborted` when it stopped."""

    rows: Mapping[Row, frozenset[Status]]
    score: float | None
    gate_passed: bool
    aborted: str | None = None


@dataclass(slots=True)
class Tally:
    """Counts of one cell (docs/reliability.md reports them)."""

    runs: int = 0
    aborted: int = 0
    compared: int = 0
    unchanged: int = 0
    turned_error: int = 0
    covered_by_check_error: int = 0
    transport_worse: int = 0
    gate_failed: int = 0
    aborted_by: dict[str, int] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)


async def _no_wait(seconds: float) -> None:
    """Retries happen at once: Retry-After and backoff are honoured in tests/connectors, not waited for here."""


async def _no_tls_scan(target: Target, recorder: Recorder) -> None:
    """The lab's faults are HTTP-level; sslyze's handshakes would only slow the matrix down."""


def _unvalidated(document: Mapping[str, Any], *, where: str) -> None:
    """Stands in for report schema validation, which is most of an evaluation's time and not under test here."""


def _connector(platform: str) -> Connector:
    if platform == "salesforce":
        return SalesforceConnector(sleeper=_no_wait)
    return WebConnector(sleeper=_no_wait)


def _target(lab: Lab, platform: str) -> Target:
    if platform == "salesforce":
        return Target(
            platform="salesforce",
            url=lab.url,
            secret=Secret(lab.token),
            ca_bundle=Path(lab.ca_bundle),
            options={"tls_scan": "false"},
        )
    return Target(platform="web", url=lab.url, ca_bundle=Path(lab.ca_bundle))


@dataclass(frozen=True, slots=True)
class Scanner:
    """Scans one lab with one connector and evaluates like `crmsec scan --fail-on medium`."""

    lab: Lab
    platform: str
    catalogue: Catalogue
    profile: Profile

    def scan(self) -> Outcome:
        return anyio.run(self._scan)

    async def _scan(self) -> Outcome:
        try:
            snapshot = await engine.collect(_target(self.lab, self.platform))
        except ConnectorError as error:  # TargetError included: the scan stops with exit 3
            return Outcome(rows={}, score=None, gate_passed=False, aborted=str(error.reason))
        options = engine.EvaluationOptions(gate=GateOptions(fail_on=Severity.MEDIUM))
        _, report = engine.assess(snapshot, self.profile, self.catalogue, options)
        rows: dict[Row, set[Status]] = defaultdict(set)
        for finding in report.findings:
            rows[(finding.check_id, finding.resource)].add(finding.status)
        passed = report.gate.get("passed") is True
        return Outcome({row: frozenset(found) for row, found in rows.items()}, report.scores.overall, passed)


def _profile(catalogue: Catalogue, platform: str) -> Profile:
    """`baseline` without the checks that judge measured time or read what the platform skips here."""
    baseline = load_profile("baseline")
    skipped = UNCOLLECTED_KEYS[platform]
    uncollected = sorted(
        check_id for check_id, spec in catalogue.checks.items() if skipped & {*spec.requires, *spec.optional}
    )
    excluded = (*baseline.select.get("exclude", ()), *TIMED_CHECKS, *uncollected)
    return replace(baseline, select={**baseline.select, "exclude": excluded})


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(plugins=False)


@pytest.fixture(scope="module")
def labs() -> Iterator[dict[str, Lab]]:
    with start_lab(LABS["mixed"]) as mixed, start_lab(LABS["hardened"]) as hardened:
        yield {"mixed": mixed, "hardened": hardened}


@pytest.fixture(scope="module")
def clean(labs: dict[str, Lab], catalogue: Catalogue) -> Iterator[dict[tuple[str, str], tuple[Outcome, int]]]:
    """The clean scan of each scenario and platform, and how many authenticated requests it made (token expiry)."""
    outcomes: dict[tuple[str, str], tuple[Outcome, int]] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "load_connector", _connector)
        patch.setattr(web, "collect_tls", _no_tls_scan)
        patch.setattr(build, "validate_report", _unvalidated)
        for scenario, lab in labs.items():
            for platform in PLATFORMS:
                lab.state.configure_faults(seed=0, rate=0.0)
                outcome = Scanner(lab, platform, catalogue, _profile(catalogue, platform)).scan()
                assert outcome.aborted is None and outcome.rows, f"the clean {scenario} {platform} scan failed"
                outcomes[(scenario, platform)] = (outcome, lab.state.authenticated_requests)
    yield outcomes


def test_the_hardened_reference_passes_where_mixed_fails(clean: dict[tuple[str, str], tuple[Outcome, int]]) -> None:
    """The two references differ as meant: the hardened org is mostly PASS and passes the gate on both platforms."""
    hardened, _ = clean[("hardened", "salesforce")]
    mixed, _ = clean[("mixed", "salesforce")]
    passing = sum(Status.PASS in found for found in hardened.rows.values())
    assert hardened.gate_passed and clean[("hardened", "web")][0].gate_passed and not mixed.gate_passed
    assert passing > len(hardened.rows) / 2
    assert not any(check_id.startswith("CRM-TLS-") for check_id, _ in hardened.rows)


def compare(clean: Outcome, faulted: Outcome, tally: Tally, *, run: str) -> None:
    """Add one faulted run to `tally` (see the module docstring for the rules)."""
    tally.runs += 1
    if not faulted.gate_passed:
        tally.gate_failed += 1
    if faulted.aborted is not None:
        tally.aborted += 1
        tally.aborted_by[faulted.aborted] = tally.aborted_by.get(faulted.aborted, 0) + 1
        return
    if faulted.gate_passed and not clean.gate_passed:
        tally.violations.append(f"{run}: the --fail-on medium gate passed where the clean run failed")
    if clean.score is not None and (faulted.score is None or faulted.score > clean.score):
        tally.violations.append(f"{run}: score {faulted.score} above the clean {clean.score}")
    errored = {check_id for (check_id, resource), found in faulted.rows.items() if resource == "organization"
               and Status.ERROR in found}  # fmt: skip
    for row, expected in sorted(clean.rows.items()):
        tally.compared += 1
        _compare_row(row, expected, faulted.rows.get(row), errored, tally, run=run)
    for row, found in sorted(faulted.rows.items()):
        if row not in clean.rows and found != {Status.ERROR}:
            tally.violations.append(f"{run}: {row} appeared as {sorted(found)}")


def _compare_row(
    row: Row, expected: frozenset[Status], found: frozenset[Status] | None, errored: set[str], tally: Tally, *, run: str
) -> None:
    check_id = row[0]
    if found is None:
        if check_id in errored:
            tally.covered_by_check_error += 1
        else:
            tally.violations.append(f"{run}: {row} ({sorted(expected)}) disappeared without a check-level ERROR")
    elif found == expected:
        tally.unchanged += 1
    elif found == {Status.ERROR}:
        tally.turned_error += 1
    elif check_id in TRANSPORT_CHECKS and _worse_or_equal(found, expected):
        tally.transport_worse += 1
    else:
        tally.violations.append(f"{run}: {row} went from {sorted(expected)} to {sorted(found)}")


def _worse_or_equal(found: frozenset[Status], expected: frozenset[Status]) -> bool:
    if not (found | expected) <= RANK.keys():
        return False
    return min(RANK[status] for status in found) >= max(RANK[status] for status in expected)


def _configure(lab: Lab, cell: Cell, *, seed: int, platform: str, clean_requests: int) -> None:
    """Faults strike the APIs for salesforce and every path for web (its probes read `/` and admin pages)."""
    expire_after = random.Random(seed).randint(1, max(1, clean_requests)) if cell.expiry else None
    lab.state.configure_faults(
        seed=seed,
        rate=cell.rate,
        kinds=cell.kinds,
        scope="api" if platform == "salesforce" else "all",
        latency_seconds=cell.latency_ms / 1000.0,
        expire_after=expire_after,
    )


def _record_summary(scenario: str, platform: str, cell: Cell, tally: Tally) -> None:
    destination = os.environ.get("CRMSEC_FAULT_MATRIX_SUMMARY")
    if not destination:
        return
    counts: dict[str, Any] = {"scenario": scenario, "platform": platform, "cell": cell.name, "rate": cell.rate,
                              "kinds": list(cell.kinds)}  # fmt: skip
    counts.update({name: getattr(tally, name) for name in Tally.__slots__ if name != "violations"})
    counts["violations"] = len(tally.violations)
    with Path(destination).open("a", encoding="utf-8") as summary:
        summary.write(json.dumps(counts, sort_keys=True) + "\n")


MATRIX = [
    (scenario, platform, cell)
    for scenario in LABS
    for platform in PLATFORMS
    for cell in CELLS
    if platform == "salesforce" or not cell.expiry
]
"""The web connector sends no credentials, so token expiry does not apply to it."""


@pytest.mark.parametrize(("scenario", "platform", "cell"), MATRIX, ids=[f"{s}-{p}-{c.name}" for s, p, c in MATRIX])
def test_faults_only_turn_verdicts_into_error(
    scenario: str,
    platform: str,
    cell: Cell,
    labs: dict[str, Lab],
    catalogue: Catalogue,
    clean: dict[tuple[str, str], tuple[Outcome, int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(engine, "load_connector", _connector)
    monkeypatch.setattr(web, "collect_tls", _no_tls_scan)
    monkeypatch.setattr(build, "validate_report", _unvalidated)
    lab = labs[scenario]
    reference, clean_requests = clean[(scenario, platform)]
    scanner = Scanner(lab, platform, catalogue, _profile(catalogue, platform))
    runs = RUNS_PER_CELL[scenario]
    first = 100 * CELLS.index(cell) + SEED_OFFSET[scenario]
    tally = Tally()
    try:
        for seed in range(first, first + runs):
            _configure(lab, cell, seed=seed, platform=platform, clean_requests=clean_requests)
            compare(reference, scanner.scan(), tally, run=f"{scenario}/{platform}/{cell.name}/seed {seed}")
    finally:
        lab.state.configure_faults(seed=0, rate=0.0)
    _record_summary(scenario, platform, cell, tally)
    assert tally.runs == runs
    assert not tally.violations, "\n".join(tally.violations[:40])
    assert tally.compared + tally.aborted > 0
