"""Running checks: each check over the evidence it declares, behind the evidence guards, with a timeout.

A check never sees a missing key (ERROR evidence_missing), a failed key (ERROR with the connector's reason)
or an unsupported one (NOT_APPLICABLE). A check that raises, returns garbage or runs too long becomes an
ERROR finding (check_crashed, check_timeout); a plugin's fault never stops the scan.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from crmsec.errors import EvidenceError, Reason
from crmsec.evidence import EvidenceSnapshot
from crmsec.plugin import CheckSpec, Evidence, Finding
from crmsec.profiles import Profile
from crmsec.vocabulary import CHECK_STATUSES, JsonValue, Status

DEFAULT_CHECK_TIMEOUT = 30.0


class Observer(Protocol):
    """Receives progress: `stage` names the step, `done`/`total` count checks or requests."""

    def __call__(self, stage: str, done: int, total: int) -> None: ...


class RunSettings(Protocol):
    """What running checks needs of the evaluation options (`crmsec.engine.EvaluationOptions` has both)."""

    @property
    def check_timeout(self) -> float: ...

    @property
    def observer(self) -> Observer: ...


def _evidence_guard(spec: CheckSpec, snapshot: EvidenceSnapshot) -> Finding | None:
    """A finding that replaces running the check when its evidence is absent, failed or unsupported."""
    platform = snapshot.metadata.platform
    if spec.platforms and platform not in spec.platforms:
        return Finding(Status.NOT_APPLICABLE, "organization", f"not a check for platform {platform}",
                       reason=Reason.NOT_SUPPORTED)  # fmt: skip
    for key in spec.requires:
        item = snapshot.items.get(key)
        if item is None:
            return Finding(Status.ERROR, "organization", f"evidence {key} was not collected",
                           reason=Reason.EVIDENCE_MISSING)  # fmt: skip
        if item.error is not None and item.error.reason is Reason.NOT_SUPPORTED:
            return Finding(Status.NOT_APPLICABLE, "organization", f"{key}: {item.error.message}",
                           reason=Reason.NOT_SUPPORTED)  # fmt: skip
        if item.error is not None:
            return Finding(Status.ERROR, "organization", f"{key}: {item.error.message}", reason=item.error.reason)
    for key in spec.optional:
        # An optional key that was never collected, or that the platform lacks, reads as absent. One whose
        # collection failed is unknown: reading it as absent could turn a FAIL into a better verdict.
        item = snapshot.items.get(key)
        if item is not None and item.error is not None and item.error.reason is not Reason.NOT_SUPPORTED:
            message = f"{key} could not be collected ({item.error.message}), so the check cannot decide"
            return Finding(Status.ERROR, "organization", message, reason=item.error.reason)
    return None


class _Runner:
    """Runs checks one at a time in a daemon worker thread, so a hung check can be abandoned after its timeout.

    An abandoned thread keeps running until the process exits but never blocks that exit (it is a daemon,
    unlike a ThreadPoolExecutor's workers, which the interpreter joins at exit).
    """

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._jobs: queue.Queue[Callable[[], list[Finding]] | None] = queue.Queue()
        self._results: queue.Queue[tuple[bool, Any]] = queue.Queue()
        self._start()

    def _start(self) -> None:
        self._jobs, self._results = queue.Queue(), queue.Queue()
        worker = threading.Thread(target=_work, args=(self._jobs, self._results), daemon=True, name="crmsec-check")
        worker.start()

    def run(self, spec: CheckSpec, evidence: Evidence, params: Mapping[str, JsonValue]) -> list[Finding]:
        self._jobs.put(lambda: list(spec.function(evidence, **params)))
        try:
            succeeded, value = self._results.get(timeout=self.timeout)
        except queue.Empty:
            self._start()  # leave the hung thread behind with its own queues
            return [Finding(Status.ERROR, "organization", f"the check ran longer than {self.timeout:g} s",
                            reason=Reason.CHECK_TIMEOUT)]  # fmt: skip
        if succeeded:
            return _validated(value)
        if isinstance(value, EvidenceError):
            return [Finding(Status.ERROR, "organization", str(value), reason=Reason.EVIDENCE_UNUSABLE)]
        return [Finding(Status.ERROR, "organization", f"the check crashed: {type(value).__name__}",
                        reason=Reason.CHECK_CRASHED)]  # fmt: skip

    def close(self) -> None:
        self._jobs.put(None)


def _work(jobs: queue.Queue[Callable[[], list[Finding]] | None], results: queue.Queue[tuple[bool, Any]]) -> None:
    """The worker loop: run each job and hand back its result or the exception it raised."""
    while (job := jobs.get()) is not None:
        try:
            results.put((True, job()))
        except BaseException as error:  # noqa: BLE001 -- boundary: a broken check (even sys.exit) must not stop the scan
            results.put((False, error))


def _validated(findings: Sequence[Any]) -> list[Finding]:
    if not findings:
        return [Finding(Status.ERROR, "organization", "the check returned nothing", reason=Reason.NO_FINDINGS)]
    for finding in findings:
        if not isinstance(finding, Finding) or finding.status not in CHECK_STATUSES:
            shown = finding.status if isinstance(finding, Finding) else type(finding).__name__
            return [Finding(Status.ERROR, "organization", f"the check returned an invalid result ({shown})",
                            reason=Reason.CHECK_CRASHED)]  # fmt: skip
    return list(findings)


def run_checks(
    specs: Sequence[CheckSpec], snapshot: EvidenceSnapshot, profile: Profile, options: RunSettings
) -> list[tuple[CheckSpec, Finding]]:
    """Run each check over the snapshot with the profile's parameters; never raises for a check's fault."""
    values = snapshot.values()
    runner = _Runner(options.check_timeout)
    results: list[tuple[CheckSpec, Finding]] = []
    try:
        for index, spec in enumerate(specs, start=1):
            options.observer("checks", index, len(specs))
            guard = _evidence_guard(spec, snapshot)
            if guard is not None:
                results.append((spec, guard))
                continue
            declared = (*spec.requires, *spec.optional)
            present = [key for key in declared if key in values]
            times = {key: snapshot.items[key].collected_at for key in present}
            given = {key: values[key] for key in present}
            if not spec.origin.startswith("builtin"):
                given = _private_copy(given)
            evidence = Evidence(given, declared, times)
            params = profile.parameters_for(spec)
            results.extend((spec, finding) for finding in runner.run(spec, evidence, params))
    finally:
        runner.close()
    return results


def _private_copy(values: dict[str, JsonValue]) -> dict[str, JsonValue]:
    """A deep copy for checks from outside packs, so a check that mutates its input cannot change the evidence
    other checks see or the snapshot that is saved and signed. Built-in checks are pure by review and tests."""
    copied: dict[str, JsonValue] = json.loads(json.dumps(values))
    return copied
