"""crmsec: a security and compliance audit scanner for CRM deployments.

The library behind the CLI, in the order data flows:

    snapshot = anyio.run(lambda: crmsec.collect(target))          # connector -> evidence
    snapshot, report = crmsec.assess(snapshot, crmsec.load_profile("baseline"), crmsec.load_catalogue())
    report.to_bytes()                                               # report.json

The names are loaded lazily (PEP 562): `import crmsec.plugin` or `from crmsec.version import __version__`
does not load the engine, the connectors or httpx; `crmsec.assess` does, on first use.

`assess` is what `crmsec scan` and `crmsec evaluate` run; `check_snapshot` runs the checks over a snapshot as
it is (no evaluation inputs, metrics or recommendations). `evaluate` is its deprecated former name.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from crmsec.version import __version__

if TYPE_CHECKING:
    from crmsec.engine import EvaluationOptions, assess, check_snapshot, collect, evaluate
    from crmsec.evidence import EvidenceSnapshot, load_snapshot, save_snapshot
    from crmsec.profiles import Profile, load_profile
    from crmsec.registry import Catalogue, load_catalogue
    from crmsec.report.model import Report, load_report
    from crmsec.target import Secret, Target

_LAZY: dict[str, str] = {
    "Catalogue": "crmsec.registry",
    "EvaluationOptions": "crmsec.engine",
    "EvidenceSnapshot": "crmsec.evidence",
    "Profile": "crmsec.profiles",
    "Report": "crmsec.report.model",
    "Secret": "crmsec.target",
    "Target": "crmsec.target",
    "assess": "crmsec.engine",
    "check_snapshot": "crmsec.engine",
    "collect": "crmsec.engine",
    "evaluate": "crmsec.engine",
    "load_catalogue": "crmsec.registry",
    "load_profile": "crmsec.profiles",
    "load_report": "crmsec.report.model",
    "load_snapshot": "crmsec.evidence",
    "save_snapshot": "crmsec.evidence",
}


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first access (PEP 562) and keep it."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'crmsec' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "Catalogue",
    "EvaluationOptions",
    "EvidenceSnapshot",
    "Profile",
    "Report",
    "Secret",
    "Target",
    "__version__",
    "assess",
    "check_snapshot",
    "collect",
    "evaluate",
    "load_catalogue",
    "load_profile",
    "load_report",
    "load_snapshot",
    "save_snapshot",
]
