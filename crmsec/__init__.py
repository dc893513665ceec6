"""crmsec: a security and compliance audit scanner for CRM deployments.

The library behind the CLI, in the order data flows:

    snapshot = anyio.run(lambda: crmsec.collect(target))          # connector -> evidence
    snapshot, report = crmsec.assess(snapshot, crmsec.load_profile("baseline"), crmsec.load_catalogue())
    report.to_bytes()                                               # report.json
"""

from __future__ import annotations

__version__ = "0.1.0"

from crmsec.engine import EvaluationOptions, assess, collect, evaluate
from crmsec.evidence import EvidenceSnapshot, load_snapshot, save_snapshot
from crmsec.profiles import Profile, load_profile
from crmsec.registry import Catalogue, load_catalogue
from crmsec.report.model import Report, load_report
from crmsec.target import Secret, Target

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
    "collect",
    "evaluate",
    "load_catalogue",
    "load_profile",
    "load_report",
    "load_snapshot",
    "save_snapshot",
]
